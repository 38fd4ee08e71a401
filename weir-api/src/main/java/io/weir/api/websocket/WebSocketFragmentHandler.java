package io.weir.api.websocket;

import java.nio.ByteBuffer;

/**
 * Receives the result of one {@link WebSocketContext#readFragment}, on the request's event loop;
 * exactly one method is called per read.
 */
public interface WebSocketFragmentHandler {

    /**
     * A data fragment arrived.
     *
     * @param data          the payload, the handler's to keep
     * @param utf8          true when the message is text (its UTF-8 has been validated)
     * @param finalFragment true for the message's last fragment
     */
    void onFragment(ByteBuffer data, boolean utf8, boolean finalFragment);

    /**
     * The client sent a Close frame (the server has answered it), or the connection closed;
     * mirrors {@code pfConnectionClose}.
     *
     * @param status the client's close code; 1005 when its Close had none, 1006 when the
     *               connection closed without one
     * @param reason the client's reason; empty when none
     */
    void onClose(int status, String reason);
}
