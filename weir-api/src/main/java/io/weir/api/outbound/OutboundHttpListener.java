package io.weir.api.outbound;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Receives the events of one {@link OutboundHttpExchange}, always on the event loop of the
 * request that started the exchange (so never concurrently). After {@link #onResponseEnd} or
 * {@link #onFailure} no further method is called.
 */
public interface OutboundHttpListener {

    /**
     * The backend answered {@code 100 Continue}: the request entity may be sent. Other interim
     * (1xx) responses are dropped, except 101. The default does nothing.
     */
    default void onContinue() {}

    /**
     * The response's status line and header fields arrived.
     *
     * @param status  the status code, 101 or 200 to 599
     * @param reason  the reason phrase, possibly empty
     * @param headers the header fields in order, as received (framing fields included)
     */
    void onResponseHead(int status, String reason, List<Map.Entry<String, String>> headers);

    /**
     * A piece of the response entity arrived.
     *
     * @param bytes the bytes, the listener's to keep (the connector does not reuse the buffer)
     */
    void onResponseBody(ByteBuffer bytes);

    /**
     * The response ended; the connection went back to its pool (or was closed).
     *
     * @param trailers the trailer fields of a chunked response; empty otherwise
     */
    void onResponseEnd(List<Map.Entry<String, String>> trailers);

    /**
     * The exchange failed; the connection was closed.
     *
     * @param failure why
     */
    void onFailure(OutboundFailure failure);

    /**
     * The connection can take more request-entity bytes again after
     * {@link OutboundHttpExchange#writeBody} answered false. The default does nothing.
     */
    default void onWritable() {}
}
