package io.weir.server.cache;

import java.nio.ByteBuffer;

/**
 * A transport exchange that can send a kernel-style cache hit from its {@link EncodedHead}: the
 * encoded bytes, then the per-request framing fields and {@code Date}, then the body, in one gather
 * write. Implemented by the HTTP/1.1 exchange; an exchange that cannot (HTTP/2 and HTTP/3 streams,
 * a response already started) refuses, and the dispatcher answers through
 * {@link io.weir.core.spi.Exchange#write} instead.
 */
public interface EncodedHeadWriter {

    /**
     * Sends a whole 200 response and ends the exchange, on the exchange's event loop.
     *
     * @param head the encoded status line and fields
     * @param body the entity (read, not consumed); its remaining bytes are the
     *             {@code Content-Length}. Not sent for a HEAD request.
     * @return true when sent; false when this exchange cannot send it so, in which case nothing
     *         was sent
     */
    boolean writeEncoded(EncodedHead head, ByteBuffer body);
}
