package io.weir.api.outbound;

import java.nio.ByteBuffer;

/**
 * Receives the events of one {@link OutboundStream}, on the event loop that opened it.
 */
public interface OutboundStreamListener {

    /**
     * The connection is open.
     *
     * @param stream the stream, to write to
     */
    void onConnected(OutboundStream stream);

    /**
     * Bytes arrived.
     *
     * @param bytes the bytes, the listener's to keep
     */
    void onData(ByteBuffer bytes);

    /** The connection can take more bytes after a write answered false. The default does nothing. */
    default void onWritable() {}

    /** The connection closed (by either side); nothing follows. */
    void onClosed();

    /**
     * The connection could not be opened, or failed; nothing follows.
     *
     * @param failure why
     */
    void onFailure(OutboundFailure failure);
}
