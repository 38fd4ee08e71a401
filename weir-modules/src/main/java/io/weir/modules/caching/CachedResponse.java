package io.weir.modules.caching;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A response held by the output cache.
 *
 * @param status         the status code
 * @param reason         the reason phrase
 * @param headers        the response headers (name, value) as the handler left them
 * @param body           the entity, read-only
 * @param expiresAtNanos {@link System#nanoTime()} after which it is stale; {@link Long#MAX_VALUE} until change
 * @param dependency     the file whose change drops it, or null
 * @param fileMillis     the file's modification time when stored, epoch milliseconds
 * @param fileSize       the file's size when stored
 * @param staticFile     true when the static file handler served it whole (the handler is not
 *                       mapped yet when a copy answers, so the copy remembers it)
 */
record CachedResponse(
        int status,
        String reason,
        List<Map.Entry<String, String>> headers,
        ByteBuffer body,
        long expiresAtNanos,
        Path dependency,
        long fileMillis,
        long fileSize,
        boolean staticFile) {

    /** @return the value of a header, or null */
    String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }
}
