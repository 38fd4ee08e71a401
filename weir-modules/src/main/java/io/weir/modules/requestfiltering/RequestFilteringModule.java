package io.weir.modules.requestfiltering;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.EntityReadException;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.ReadEntityProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Refuses requests by IIS's request-filtering rules in BEGIN_REQUEST, before any other stage;
 * mirrors IIS's RequestFilteringModule ({@code modrqflt.dll}). Stateless: one shared instance serves
 * every request, reading {@link RequestFilteringSection} (bound and prepared once per effective
 * configuration).
 *
 * <p>Checks, in this order, the first failure deciding the status (IIS documents the substatuses,
 * not the order): 404.13 content length, 404.14 URL length, 404.15 query-string length, 404.10
 * header size, 404.6 verb, 404.12 high-bit characters, 404.11 double escaping, 404.5 URL sequence,
 * 404.18 query-string sequence, 404.8 hidden segment, 404.7 file extension, 404.19 filtering rule.
 * The check sets the status and an error description and returns FINISH_REQUEST. A body without
 * Content-Length (chunked) is checked as it is read, in READ_ENTITY ({@link #onReadEntity}).
 *
 * <p>Segments are matched in their Windows-canonical form (see {@link #canonicalSegment}) because
 * IIS on NTFS serves {@code web.config.}, {@code web.config%20} and {@code web.config::$DATA} as
 * {@code web.config}: a configuration written for IIS must deny them here too.
 */
public final class RequestFilteringModule implements HttpModule {

    static final RequestFilteringModule INSTANCE = new RequestFilteringModule();

    private static final HttpStatus URL_SEQUENCE_DENIED = new HttpStatus(404, 5, "Not Found");
    private static final HttpStatus VERB_DENIED = new HttpStatus(404, 6, "Not Found");
    private static final HttpStatus FILE_EXTENSION_DENIED = new HttpStatus(404, 7, "Not Found");
    private static final HttpStatus HIDDEN_SEGMENT = new HttpStatus(404, 8, "Not Found");
    private static final HttpStatus DOUBLE_ESCAPE = new HttpStatus(404, 11, "Not Found");
    private static final HttpStatus HIGH_BIT_CHARACTERS = new HttpStatus(404, 12, "Not Found");
    private static final HttpStatus URL_TOO_LONG = new HttpStatus(404, 14, "Not Found");
    private static final HttpStatus QUERY_STRING_TOO_LONG = new HttpStatus(404, 15, "Not Found");
    private static final HttpStatus QUERY_STRING_SEQUENCE_DENIED = new HttpStatus(404, 18, "Not Found");
    private static final HttpStatus FILTERING_RULE = new HttpStatus(404, 19, "Not Found");

    private RequestFilteringModule() {}

    /**
     * Applies the request-filtering checks of the request URL's effective configuration.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE when the request passes; FINISH_REQUEST after setting a 404.x (or, with
     *         {@code weirStatusProfile="IIS10"}, 413.1 / 431) status
     */
    @Override
    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
        RequestFilteringSection section = context.config(RequestFilteringSection.SECTION);
        HttpRequest request = context.request();
        HttpResponse response = context.response();
        String reason = check(section, request, response);
        if (reason == null) {
            return RequestNotificationStatus.CONTINUE;
        }
        response.setErrorDescription("The request filtering module is configured to deny this request: " + reason);
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    /**
     * Cuts off a request entity that grows past {@code requestLimits@maxAllowedContentLength} while
     * it is read (a chunked body, whose length BEGIN_REQUEST could not check): when the client has
     * sent more entity bytes than the limit, the read fails (the reader gets an
     * {@link EntityReadException}), the status becomes 404.13 (413.1 under
     * {@code weirStatusProfile="IIS10"}) when the headers have not been sent, and the connection is
     * closed after the response. IIS documents the status, not the moment: Weir checks on every
     * read, counting the bytes the client sent (not bytes put back with {@code InsertEntityBody}).
     * Runs on the request's event loop.
     *
     * @param context  the request
     * @param provider the read's provider
     * @return CONTINUE (READ_ENTITY's status is unused)
     */
    @Override
    public RequestNotificationStatus onReadEntity(HttpContext context, ReadEntityProvider provider) {
        RequestFilteringSection section = context.config(RequestFilteringSection.SECTION);
        long limit = section.maxAllowedContentLength();
        if (provider.entityBytesReceived() > limit) {
            HttpResponse response = context.response();
            if (!response.headersSent()) {
                response.setStatus(section.statusProfile().contentTooLarge());
                response.setErrorDescription("The request filtering module is configured to deny this request: "
                        + "the request entity grew past requestLimits@maxAllowedContentLength.");
            }
            response.setNeedDisconnect();
            provider.setErrorStatus(new EntityReadException(
                    "the request entity is larger than requestLimits@maxAllowedContentLength (" + limit + " bytes)",
                    null));
        }
        return RequestNotificationStatus.CONTINUE;
    }

    /** Sets the status and returns the reason when the request is denied; null when it passes. */
    private static String check(RequestFilteringSection s, HttpRequest request, HttpResponse response) {
        long contentLength = Math.max(contentLength(request), request.remainingEntityBytes());
        if (contentLength > s.maxAllowedContentLength()) {
            response.setStatus(s.statusProfile().contentTooLarge());
            return "the content length exceeds requestLimits@maxAllowedContentLength.";
        }
        String rawPath = rawPath(request.rawUrl());
        if (rawPath.length() > s.maxUrl()) {
            response.setStatus(URL_TOO_LONG);
            return "the URL is longer than requestLimits@maxUrl.";
        }
        String query = request.queryString();
        if (query.length() > s.maxQueryString()) {
            response.setStatus(QUERY_STRING_TOO_LONG);
            return "the query string is longer than requestLimits@maxQueryString.";
        }
        List<RequestFilteringSection.HeaderLimit> limits = s.headerLimits();
        for (int i = 0, n = limits.size(); i < n; i++) { // indexed: no iterator per request
            RequestFilteringSection.HeaderLimit limit = limits.get(i);
            String value = request.header(limit.header()).orElse(null);
            if (value != null && value.length() > limit.sizeLimit()) {
                response.setStatus(s.statusProfile().headerTooLong());
                return "the request header '" + limit.header() + "' is longer than its headerLimits sizeLimit.";
            }
        }
        if (!s.verbs().isEmpty() || !s.verbsAllowUnlisted()) {
            Boolean allowed = s.verbs().get(request.method());
            if (allowed == null ? !s.verbsAllowUnlisted() : !allowed) {
                response.setStatus(VERB_DENIED);
                return "the verb is denied (verbs).";
            }
        }
        String path = request.urlPath();
        if (!s.allowHighBitCharacters() && (hasHighBit(rawPath) || hasHighBit(path))) {
            response.setStatus(HIGH_BIT_CHARACTERS);
            return "the URL contains non-ASCII characters (allowHighBitCharacters).";
        }
        if (!s.allowDoubleEscaping() && (path.indexOf('%') >= 0 || path.indexOf('+') >= 0)) {
            response.setStatus(DOUBLE_ESCAPE);
            return "the URL contains a double escape sequence (allowDoubleEscaping).";
        }
        if (!s.denyUrlSequences().isEmpty()) {
            String lowerPath = path.toLowerCase(Locale.ROOT);
            String lowerRaw = rawPath.toLowerCase(Locale.ROOT);
            if (!s.alwaysAllowedUrls().contains(lowerPath)
                    && !s.alwaysAllowedUrls().contains(lowerRaw)
                    && (containsAny(lowerPath, s.denyUrlSequences()) || containsAny(lowerRaw, s.denyUrlSequences()))) {
                response.setStatus(URL_SEQUENCE_DENIED);
                return "the URL contains a denied sequence (denyUrlSequences).";
            }
        }
        if (!s.denyQueryStringSequences().isEmpty() && !query.isEmpty()) {
            String lowerQuery = query.toLowerCase(Locale.ROOT);
            List<String> deny = s.denyQueryStringSequences();
            if (!s.alwaysAllowedQueryStrings().contains(lowerQuery)
                    && (containsAny(lowerQuery, deny)
                            || (s.unescapeQueryString()
                                    && containsAny(unescape(query).toLowerCase(Locale.ROOT), deny)))) {
                response.setStatus(QUERY_STRING_SEQUENCE_DENIED);
                return "the query string contains a denied sequence (denyQueryStringSequences).";
            }
        }
        String last = "";
        boolean checkSegments = !s.hiddenSegments().isEmpty();
        for (int start = 1, n = path.length(); start < n; ) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            if (end > start) {
                last = canonicalSegment(path, start, end);
                if (checkSegments && s.hiddenSegments().contains(last)) {
                    response.setStatus(HIDDEN_SEGMENT);
                    return "the URL contains a hidden segment (hiddenSegments).";
                }
            }
            start = end + 1;
        }
        String extension = extensionOf(last);
        if (!s.fileExtensions().isEmpty() || !s.fileExtensionsAllowUnlisted()) {
            Boolean allowed = s.fileExtensions().get(extension);
            if (allowed == null ? !s.fileExtensionsAllowUnlisted() : !allowed) {
                response.setStatus(FILE_EXTENSION_DENIED);
                return "the file extension is denied (fileExtensions).";
            }
        }
        if (s.hasFilteringRules()) {
            String rule = matchingRule(s, request, rawPath, path, query, extension);
            if (rule != null) {
                response.setStatus(FILTERING_RULE);
                return "the filtering rule '" + rule + "' matched.";
            }
        }
        return null;
    }

    private static String matchingRule(
            RequestFilteringSection s,
            HttpRequest request,
            String rawPath,
            String path,
            String query,
            String extension) {
        String lowerPath = null;
        String lowerQuery = null;
        for (RequestFilteringSection.FilteringRule rule : s.filteringRules()) {
            if (rule.denyStrings().isEmpty()
                    || (!rule.appliesTo().isEmpty() && !rule.appliesTo().contains(extension))) {
                continue;
            }
            List<String> deny = rule.denyStrings();
            if (rule.scanUrl()) {
                lowerPath = lowerPath == null ? path.toLowerCase(Locale.ROOT) : lowerPath;
                if (containsAny(lowerPath, deny)) {
                    return rule.name();
                }
            }
            if (rule.scanQueryString() && !query.isEmpty()) {
                lowerQuery = lowerQuery == null ? query.toLowerCase(Locale.ROOT) : lowerQuery;
                if (containsAny(lowerQuery, deny)
                        || (s.unescapeQueryString()
                                && containsAny(unescape(query).toLowerCase(Locale.ROOT), deny))) {
                    return rule.name();
                }
            }
            for (String header : rule.scanHeaders()) {
                String value = request.header(header).orElse(null);
                if (value != null && containsAny(value.toLowerCase(Locale.ROOT), deny)) {
                    return rule.name();
                }
            }
            if (rule.scanAllRaw()) {
                if (containsAny(request.rawUrl().toLowerCase(Locale.ROOT), deny)) {
                    return rule.name();
                }
                for (String name : request.headerNames()) {
                    for (String value : request.headers(name)) {
                        if (containsAny(value.toLowerCase(Locale.ROOT), deny)) {
                            return rule.name();
                        }
                    }
                }
            }
        }
        return null;
    }

    /**
     * Returns a path segment as Windows would name the file, lower-cased: cut at the first
     * {@code ':'} (an NTFS alternate data stream such as {@code ::$DATA}), then trailing dots and
     * spaces removed. {@code "Web.Config. "} and {@code "web.config::$DATA"} both give
     * {@code "web.config"}.
     *
     * @param path  the decoded URL path
     * @param start the segment's first character
     * @param end   the index after its last character
     * @return the canonical, lower-cased segment; may be empty
     */
    static String canonicalSegment(String path, int start, int end) {
        int colon = path.indexOf(':', start);
        if (colon >= 0 && colon < end) {
            end = colon;
        }
        while (end > start && (path.charAt(end - 1) == '.' || path.charAt(end - 1) == ' ')) {
            end--;
        }
        return path.substring(start, end).toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the extension of a canonical segment as {@code fileExtensions} keys it.
     *
     * @param segment the last segment of the URL, canonical and lower-cased
     * @return {@code ".ext"}, or {@code "."} when the segment has no extension (IIS's key for
     *         extensionless URLs)
     */
    static String extensionOf(String segment) {
        int dot = segment.lastIndexOf('.');
        return dot < 0 ? "." : segment.substring(dot);
    }

    private static long contentLength(HttpRequest request) {
        String value = request.header("Content-Length").orElse(null);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String rawPath(String rawUrl) {
        String target = rawUrl;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            int slash = scheme < 0 ? -1 : target.indexOf('/', scheme + 3);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    private static boolean hasHighBit(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsAny(String haystack, List<String> needles) {
        for (String needle : needles) {
            if (haystack.contains(needle)) {
                return true;
            }
        }
        return false;
    }

    /** Percent-decodes leniently (malformed escapes kept, bytes read as UTF-8 with replacement). */
    static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            int hi = c == '%' && i + 2 < n ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (lo >= 0) {
                bytes.write((hi << 4) | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
