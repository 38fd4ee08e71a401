package io.weir.modules.caching;

import io.weir.api.http.HttpRequest;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** RFC 9110 section 13.2.2 for a cached response: If-None-Match decides when present, else If-Modified-Since. */
final class Conditional {

    private Conditional() {}

    /**
     * @param request      the request
     * @param etag         the cached response's ETag, or null
     * @param lastModified the cached response's Last-Modified, or null
     * @return true when the request's validators match, so that 304 answers it
     */
    static boolean notModified(HttpRequest request, String etag, String lastModified) {
        String inm = request.header("If-None-Match").orElse(null);
        if (inm != null) {
            if (etag == null) {
                return false;
            }
            String tag = opaque(etag);
            for (String candidate : inm.split(",")) {
                String c = candidate.trim();
                if (c.equals("*") || opaque(c).equals(tag)) {
                    return true;
                }
            }
            return false;
        }
        String ims = request.header("If-Modified-Since").orElse(null);
        if (ims == null || lastModified == null) {
            return false;
        }
        if (ims.equals(lastModified)) {
            return true;
        }
        try {
            return ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toEpochSecond()
                    <= ZonedDateTime.parse(ims.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toEpochSecond();
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
