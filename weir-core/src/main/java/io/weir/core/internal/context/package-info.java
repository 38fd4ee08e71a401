/**
 * The request as modules see it: RequestContext (IHttpContext) with its request, response, handler
 * selection, server variables, child requests, errors and trace context.
 *
 * <p>Threads: confined to the request's event loop (or the blocking executor during a blocking
 * notification); indicateCompletion and postCompletion hop onto the event loop.
 */
package io.weir.core.internal.context;
