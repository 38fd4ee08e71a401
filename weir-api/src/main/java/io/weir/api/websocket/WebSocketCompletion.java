package io.weir.api.websocket;

/** The completion of an asynchronous WebSocket write, called on the request's event loop. */
@FunctionalInterface
public interface WebSocketCompletion {

    /**
     * The operation finished.
     *
     * @param error null on success, else why it failed (for example the connection closed)
     */
    void completed(Throwable error);
}
