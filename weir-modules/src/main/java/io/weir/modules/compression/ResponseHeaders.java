package io.weir.modules.compression;

import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import java.util.Locale;

/**
 * What both compression modules do to headers: the request checks IIS makes before compressing,
 * {@code Vary: Accept-Encoding}, and entity tags that differ per coding (the coding's token is
 * appended inside the quotes, {@code "abc"} becoming {@code "abc-gzip"}, so a cache never takes
 * one coding for another; RFC 9110 section 8.8.3).
 */
final class ResponseHeaders {

    private ResponseHeaders() {}

    /**
     * The checks made on the request itself: {@code noCompressionForHttp10} (an HTTP/1.0 request)
     * and {@code noCompressionForProxies} (a request that came through a proxy, which says so in
     * {@code Via}).
     *
     * @param request the request
     * @param section the settings
     * @return true when the request may get a compressed response
     */
    static boolean requestAllows(HttpRequest request, HttpCompressionSection section) {
        if (section.noCompressionForHttp10() && "HTTP/1.0".equalsIgnoreCase(request.httpVersion())) {
            return false;
        }
        return !section.noCompressionForProxies() || request.header("Via").isEmpty();
    }

    /**
     * Adds {@code Accept-Encoding} to the response's {@code Vary} unless it is there (or is {@code *}).
     *
     * @param response the response whose headers are not sent yet
     */
    static void varyOnAcceptEncoding(HttpResponse response) {
        String vary = response.header("Vary").orElse("");
        if (vary.isBlank()) {
            response.setHeader("Vary", "Accept-Encoding", true);
            return;
        }
        String lower = vary.toLowerCase(Locale.ROOT);
        if (lower.contains("accept-encoding") || lower.trim().equals("*")) {
            return;
        }
        response.setHeader("Vary", vary + ", Accept-Encoding", true);
    }

    /**
     * The entity tag of a coded representation.
     *
     * @param etag   the identity representation's tag, for example {@code "1d2c3:0"} or {@code W/"x"}
     * @param coding the coding
     * @return the tag with {@code -token} before its closing quote; unchanged if it is not quoted
     */
    static String codedEtag(String etag, ContentCoding coding) {
        int close = etag.lastIndexOf('"');
        if (close <= 0 || etag.indexOf('"') == close) {
            return etag;
        }
        return etag.substring(0, close) + "-" + coding.token() + etag.substring(close);
    }

    /**
     * Removes the coding suffix from the tags of an {@code If-None-Match} value, so that the
     * handler compares them with the identity tag it knows.
     *
     * @param value the header value
     * @return the value with the suffixes removed and the coding they named, or null when no tag had one
     */
    static Stripped stripCodedTags(String value) {
        StringBuilder out = null;
        ContentCoding found = null;
        int i = 0;
        int n = value.length();
        while (i < n) {
            int open = value.indexOf('"', i);
            if (open < 0) {
                break;
            }
            int close = value.indexOf('"', open + 1);
            if (close < 0) {
                break;
            }
            String inner = value.substring(open + 1, close);
            for (ContentCoding c : ContentCoding.values()) {
                String suffix = "-" + c.token();
                if (inner.length() > suffix.length() && inner.endsWith(suffix)) {
                    if (out == null) {
                        out = new StringBuilder(value.length());
                        out.append(value, 0, open);
                    } else {
                        out.append(value, i, open);
                    }
                    out.append('"')
                            .append(inner, 0, inner.length() - suffix.length())
                            .append('"');
                    found = found == null ? c : found;
                    i = close + 1;
                    inner = null;
                    break;
                }
            }
            if (inner != null) {
                if (out != null) {
                    out.append(value, i, close + 1);
                }
                i = close + 1;
            }
        }
        if (out == null) {
            return null;
        }
        out.append(value, i, n);
        return new Stripped(out.toString(), found);
    }

    /**
     * An {@code If-None-Match} value without coding suffixes.
     *
     * @param value  the rewritten value
     * @param coding the coding the client's tag named
     */
    record Stripped(String value, ContentCoding coding) {}
}
