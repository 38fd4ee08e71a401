package io.weir.api.cache;

import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * A request the {@link KernelResponseCache} answered, as an access log needs it.
 *
 * @param entry           the entry that answered
 * @param method          GET or HEAD
 * @param rawUrl          the request-target as received
 * @param httpVersion     {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}
 * @param remoteAddress   the client's address
 * @param localAddress    the local address
 * @param requestHeader   the request's headers by name (case-insensitive); null for an absent one
 * @param requestBytes    the request line and headers, in bytes, as received
 * @param status          the status sent: 200, 206 or 304
 * @param bytesSent       the status line, headers and entity bytes sent
 * @param entityBytesSent the entity bytes alone (0 for HEAD and 304)
 * @param timeTakenMillis from the request's dispatch to the response being handed to the connection
 */
public record KernelCacheHit(
        KernelCacheEntry entry,
        String method,
        String rawUrl,
        String httpVersion,
        InetSocketAddress remoteAddress,
        InetSocketAddress localAddress,
        Function<String, String> requestHeader,
        long requestBytes,
        int status,
        long bytesSent,
        long entityBytesSent,
        long timeTakenMillis) {}
