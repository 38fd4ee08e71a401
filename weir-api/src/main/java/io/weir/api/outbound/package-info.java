/**
 * The outbound connector: connections from the server to backends (a reverse proxy's origin
 * servers, an out-of-process application, a FastCGI process), offered to modules by
 * {@link io.weir.api.HttpServer#outboundConnector()}.
 *
 * <p>Connections run on the event loop of the request that opened them: every listener method is
 * called on that loop, so a module keeps its per-request state without locks and never opens a
 * thread pool of its own. HTTP/1.1 connections are pooled per event loop and per address. Both
 * directions have back-pressure: a write answers whether the connection can take more at once,
 * and reading a response can be suspended while the client is slow.
 */
package io.weir.api.outbound;
