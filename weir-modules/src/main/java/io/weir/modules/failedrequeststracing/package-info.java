/**
 * FailedRequestsTracingModule: IIS's Failed Request Tracing (FREB), for
 * {@code system.webServer/tracing/traceFailedRequests} and each site's
 * {@code traceFailedRequestsLogging}. A global module that subscribes to the trace events of the
 * requests a rule could match and writes one HTML trace file per failed request (IIS writes XML
 * with an XSL style sheet). See {@link io.weir.modules.failedrequeststracing.FailedRequestsTracingModule}.
 */
package io.weir.modules.failedrequeststracing;
