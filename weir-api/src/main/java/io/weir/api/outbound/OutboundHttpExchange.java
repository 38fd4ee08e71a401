package io.weir.api.outbound;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/1.1 request/response exchange with a backend, started by
 * {@link OutboundConnector#exchange}. Meant to be used on the event loop that started the exchange
 * (a module calls it from its notification methods or from its listener); called from another
 * thread, each method hands its work to that loop, and {@link #writeBody} then answers false and
 * {@link OutboundHttpListener#onWritable()} follows.
 */
public interface OutboundHttpExchange {

    /**
     * Sends bytes of the request entity. The buffer is sent by reference: do not change it
     * afterwards.
     *
     * @param bytes the bytes between the buffer's position and limit
     * @return true when the connection can take more at once; false when the bytes were queued
     *         and the caller should wait for {@link OutboundHttpListener#onWritable()}
     * @throws IllegalStateException if the entity was already ended
     */
    boolean writeBody(ByteBuffer bytes);

    /**
     * Ends the request entity; for an entity of unknown length, the trailer fields go after the
     * last chunk.
     *
     * @param trailers trailer fields (ignored unless the entity is chunked)
     */
    void endBody(List<Map.Entry<String, String>> trailers);

    /** Stops reading the response from the backend until {@link #resumeResponse()}: back-pressure. */
    void suspendResponse();

    /** Reads the response again after {@link #suspendResponse()}. */
    void resumeResponse();

    /**
     * Abandons the exchange and closes its connection; the listener then gets nothing more.
     * Idempotent.
     */
    void abort();
}
