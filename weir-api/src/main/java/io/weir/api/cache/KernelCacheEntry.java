package io.weir.api.cache;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One complete response held by the {@link KernelResponseCache}, with what it is looked up by; the
 * counterpart of a response IIS sends to http.sys with a cache policy ({@code HTTP_CACHE_POLICY}).
 * Immutable; the body is read-only.
 *
 * @param localAddress   the local IP address the request came in on, as
 *                       {@code InetAddress.getHostAddress()} prints it
 * @param localPort      the local port
 * @param host           the request's {@code Host} header, in lower case ("" when absent)
 * @param rawUrl         the request-target as the client sent it (path and query); a request is
 *                       answered only when its target is exactly this
 * @param varyBy         request headers (lower-case names) and the values a request must carry to be
 *                       answered by this entry; an absent header counts as the empty value
 * @param status         the status code (200)
 * @param reason         the reason phrase
 * @param headers        the response headers as sent, without {@code Date}, {@code Content-Length},
 *                       {@code Transfer-Encoding} and {@code Connection} (the transport adds those)
 * @param body           the complete entity, read-only (a direct buffer when the cache keeps it)
 * @param etag           the {@code ETag} value, or null
 * @param lastModified   the {@code Last-Modified} value (an HTTP-date), or null
 * @param expiresAtNanos {@link System#nanoTime()} after which the entry is not used; {@link Long#MAX_VALUE}
 *                       for "until change" (IIS's {@code HttpCachePolicyUserInvalidates})
 * @param dependency     the file whose change invalidates the entry, or null
 * @param siteId         the id of the site that answered
 * @param siteName       the name of that site
 * @param urlPath        the URL path the pipeline served (for logs and listings)
 * @param queryString    the query string the pipeline served, without {@code ?} ("" when none)
 */
public record KernelCacheEntry(
        String localAddress,
        int localPort,
        String host,
        String rawUrl,
        Map<String, String> varyBy,
        int status,
        String reason,
        List<Map.Entry<String, String>> headers,
        ByteBuffer body,
        String etag,
        String lastModified,
        long expiresAtNanos,
        Path dependency,
        long siteId,
        String siteName,
        String urlPath,
        String queryString) {

    /** Checks the required parts and makes the body read-only. */
    public KernelCacheEntry {
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(rawUrl, "rawUrl");
        Objects.requireNonNull(reason, "reason");
        headers = List.copyOf(headers);
        body = body.asReadOnlyBuffer();
        varyBy = Map.copyOf(varyBy);
        Objects.requireNonNull(siteName, "siteName");
        Objects.requireNonNull(urlPath, "urlPath");
        Objects.requireNonNull(queryString, "queryString");
    }

    /**
     * Returns the key the transport looks a request up by.
     *
     * @param localAddress the local IP address
     * @param localPort    the local port
     * @param host         the {@code Host} header in lower case ("" when absent)
     * @param rawUrl       the request-target as received
     * @return the key
     */
    public static String key(String localAddress, int localPort, String host, String rawUrl) {
        return localAddress + ' ' + localPort + ' ' + host + ' ' + rawUrl;
    }

    /**
     * Returns this entry's lookup key.
     *
     * @return the key, as {@link #key(String, int, String, String)} forms it
     */
    public String key() {
        return key(localAddress, localPort, host, rawUrl);
    }
}
