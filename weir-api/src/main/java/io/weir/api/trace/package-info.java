/**
 * Request tracing (IHttpTraceContext): the events modules and the server raise for a request, which
 * global modules consume through GL_TRACE_EVENT. Confined to the request's event loop.
 */
package io.weir.api.trace;
