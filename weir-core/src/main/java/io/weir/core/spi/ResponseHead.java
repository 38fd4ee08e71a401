package io.weir.core.spi;

import java.util.List;
import java.util.Map;

/**
 * The status line and headers of a response, ready for the wire.
 *
 * @param status        the status code
 * @param reason        the reason phrase
 * @param headers       name/value pairs in order; never Content-Length or Transfer-Encoding
 *                      (the transport derives them from {@code contentLength})
 * @param contentLength the entity length in bytes, or -1 when unknown (chunked)
 * @param close         true to close the connection after this response
 */
public record ResponseHead(
        int status, String reason, List<Map.Entry<String, String>> headers, long contentLength, boolean close) {}
