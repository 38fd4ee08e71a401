/**
 * WebSocket for handler modules (RFC 6455), after IIS's {@code IWebSocketContext}: a handler
 * accepts the upgrade in EXECUTE_REQUEST_HANDLER with
 * {@link io.weir.api.http.HttpContext#acceptWebSocket()}, returns PENDING, reads and writes
 * fragments asynchronously through {@link io.weir.api.websocket.WebSocketContext}, and completes
 * the request once the connection is closed. The server owns the framing.
 */
package io.weir.api.websocket;
