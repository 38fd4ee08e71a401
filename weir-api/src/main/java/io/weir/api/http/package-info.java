/**
 * The request as modules see it: HttpContext (IHttpContext), HttpRequest, HttpResponse, the site,
 * application, connection, user, file information and stored contexts.
 *
 * <p>Threads: an HttpContext and everything reached from it are confined to the request's event
 * loop (or to the blocking executor while a blocking notification runs); only
 * indicateCompletion and postCompletion may be called from any thread.
 */
package io.weir.api.http;
