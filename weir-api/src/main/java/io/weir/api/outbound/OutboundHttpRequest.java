package io.weir.api.outbound;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The head of an HTTP/1.1 request sent to a backend, with the exchange's settings.
 *
 * @param method         the verb, for example {@code "GET"}
 * @param target         the request-target in origin form, for example {@code "/a%20b?x=1"}
 * @param headers        the header fields in order; {@code Host} must be among them;
 *                       {@code Content-Length}, {@code Transfer-Encoding} and {@code Connection}
 *                       are ignored (the connector writes them from {@code contentLength} and
 *                       {@code keepAlive})
 * @param contentLength  the entity length in bytes: 0 for none, -1 for an entity of unknown length
 *                       (sent with chunked transfer coding, which also allows trailers)
 * @param http10         true to send the request as HTTP/1.0 (an entity then needs a known length)
 * @param keepAlive      true to keep the connection for later exchanges when the response allows
 *                       it; false sends {@code Connection: close}
 * @param connectTimeout how long opening a connection may take
 * @param responseTimeout how long the backend may stay silent while the exchange waits for the
 *                       response head or body, as ARR's {@code timeout}
 * @param maxResponseHeaderBytes the limit on the response's status line and header block together;
 *                       a larger head fails the exchange with {@link OutboundFailure.Kind#PROTOCOL}
 */
public record OutboundHttpRequest(
        String method,
        String target,
        List<Map.Entry<String, String>> headers,
        long contentLength,
        boolean http10,
        boolean keepAlive,
        Duration connectTimeout,
        Duration responseTimeout,
        int maxResponseHeaderBytes) {

    /**
     * Validates and copies the components.
     *
     * @param method          the verb
     * @param target          the request-target
     * @param headers         the header fields
     * @param contentLength   the entity length, 0 or -1
     * @param http10          true for HTTP/1.0
     * @param keepAlive       true to keep the connection
     * @param connectTimeout  the connect timeout
     * @param responseTimeout the response timeout
     * @param maxResponseHeaderBytes the response head limit
     * @throws IllegalArgumentException if a value is out of range, or a name or value holds CR, LF or NUL
     */
    public OutboundHttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        headers = List.copyOf(headers);
        if (contentLength < -1) {
            throw new IllegalArgumentException("contentLength " + contentLength);
        }
        if (maxResponseHeaderBytes < 256) {
            throw new IllegalArgumentException("maxResponseHeaderBytes " + maxResponseHeaderBytes);
        }
        checkText(method);
        checkText(target);
        for (Map.Entry<String, String> header : headers) {
            checkText(header.getKey());
            checkText(header.getValue());
        }
    }

    private static void checkText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("CR, LF or NUL in an outbound request: " + s.strip());
            }
        }
    }
}
