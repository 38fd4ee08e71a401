package io.weir.api.outbound;

import java.nio.ByteBuffer;

/**
 * A byte-stream connection (for protocols framed by the module itself, such as FastCGI), opened
 * by {@link OutboundConnector#openStream}. Every method must be called on the event loop that
 * opened it.
 */
public interface OutboundStream {

    /**
     * Sends bytes; the buffer is sent by reference.
     *
     * @param bytes the bytes between the buffer's position and limit
     * @return true when more can be written at once; false when the caller should wait for
     *         {@link OutboundStreamListener#onWritable()}
     */
    boolean write(ByteBuffer bytes);

    /** Stops reading from the peer until {@link #resumeReads()}. */
    void suspendReads();

    /** Reads from the peer again. */
    void resumeReads();

    /** Closes the connection; the listener then gets {@link OutboundStreamListener#onClosed()}. */
    void close();
}
