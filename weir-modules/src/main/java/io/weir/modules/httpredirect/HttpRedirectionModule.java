package io.weir.modules.httpredirect;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpRequest;
import io.weir.api.provider.MapHandlerProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Redirects requests by {@code system.webServer/httpRedirect}; mirrors IIS's HttpRedirectionModule
 * ({@code redirect.dll}). Stateless: one shared instance serves every request.
 *
 * <p>Runs in MAP_REQUEST_HANDLER (IIS does not document the stage; Weir redirects after
 * authentication, authorization, IP restrictions and request filtering, and before any handler,
 * so a redirected URL need not exist). Child requests are not redirected.
 *
 * <p>The target, for an enabled section (configured for the folder {@code F} =
 * {@link HttpRedirectSection#locationPath()}, the request path {@code P} below it giving the
 * suffix {@code S}, {@code P = F + S}):
 * <ol>
 * <li>with a {@code destination}: that destination (IIS: "If you add wildcard redirection rules,
 *     you must remove the default destination value ... for the wildcard rules to work"); else the
 *     destination of the first {@code <add wildcard>} matching {@code S} ({@code *} matches any
 *     characters, {@code /} included, without case; a pattern not starting with {@code /} or
 *     {@code *} is anchored after a {@code /}); no match, or destination {@code !}: no redirect;</li>
 * <li>variables (IIS 6's, which IIS 7 keeps): {@code $S} the suffix {@code S}, {@code $V} the path
 *     {@code P}, {@code $Q} the query with its {@code ?} (empty when none), {@code $P} the query
 *     without it, {@code $0} the whole text the wildcard matched, {@code $1}–{@code $9} what each
 *     {@code *} matched. A destination with a variable, a wildcard destination, or
 *     {@code exactDestination="true"} is used as written (after substitution);</li>
 * <li>otherwise the destination is relative: {@code S} is appended (with {@code childOnly}, only the
 *     file name), then the request's query string, as IIS keeps it for relative redirects;</li>
 * <li>{@code childOnly}: only requests for content directly in {@code F} are redirected ("Only
 *     redirect requests to content in this directory (not subdirectories)").</li>
 * </ol>
 * Status: {@code httpResponseStatus} (301, 302, 307, 308) with a {@code Location} made absolute
 * against the request's host.
 *
 * <p>Loops (Weir's choice; IIS redirects again and again): a relative redirect whose destination is
 * on this site inside the folder the redirect is configured for, requested at a path already within
 * that destination — the request is where the redirect points, as with a site-wide redirect to
 * {@code /new/} requested as {@code /new/x} — is not redirected, nor is a redirect to exactly the
 * URL requested.
 */
public final class HttpRedirectionModule implements HttpModule {

    static final HttpRedirectionModule INSTANCE = new HttpRedirectionModule();

    private HttpRedirectionModule() {}

    /**
     * Redirects the request when its URL's {@code httpRedirect} section says so.
     *
     * @param context  the request
     * @param provider unused
     * @return FINISH_REQUEST after a redirect; CONTINUE otherwise
     */
    @Override
    public RequestNotificationStatus onMapRequestHandler(HttpContext context, MapHandlerProvider provider) {
        HttpRedirectSection section = context.config(HttpRedirectSection.SECTION);
        if (!section.enabled() || context.parentContext().isPresent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        String target = target(section, context.request());
        if (target == null) {
            return RequestNotificationStatus.CONTINUE;
        }
        context.response().redirect(target, section.httpResponseStatus().status(), false);
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    /**
     * Computes the redirect target of a request.
     *
     * @return the target, or null when the request is not redirected
     */
    static String target(HttpRedirectSection section, HttpRequest request) {
        String path = request.urlPath();
        String folder = section.locationPath();
        if (!folder.isEmpty()
                && !(path.regionMatches(true, 0, folder, 0, folder.length())
                        && (path.length() == folder.length() || path.charAt(folder.length()) == '/'))) {
            return null; // the request's URL changed (setUrl) away from the configured folder
        }
        String suffix = path.substring(folder.length());
        if (section.childOnly() && suffix.indexOf('/', 1) >= 0) {
            return null;
        }
        String query = request.queryString();
        String destination = section.destination();
        String[] captures = null;
        if (destination.isEmpty()) {
            for (HttpRedirectSection.Wildcard wildcard : section.wildcards()) {
                captures = match(wildcard.wildcard(), suffix);
                if (captures != null) {
                    destination = wildcard.destination();
                    break;
                }
            }
            if (captures == null || destination.equals("!")) {
                return null;
            }
        }
        if (destination.equals("!")) {
            return null;
        }
        boolean variables = destination.indexOf('$') >= 0;
        String target;
        if (variables || captures != null || section.exactDestination()) {
            target = substitute(destination, encode(suffix), encode(path), query, captures);
        } else {
            String tail = section.childOnly() ? suffix.substring(suffix.lastIndexOf('/') + 1) : suffix;
            target = join(destination, encode(tail));
            if (!query.isEmpty()) {
                target += (target.indexOf('?') < 0 ? "?" : "&") + query;
            }
            if (insideDestination(destination, folder, path, request)) {
                return null;
            }
        }
        if (sameUrl(target, path, query, request)) {
            return null;
        }
        return target;
    }

    /**
     * Whether a relative redirect would loop: its destination is on this site, inside the folder the
     * redirect is configured for (so the target would be redirected again), and the request path
     * already lies within the destination.
     */
    private static boolean insideDestination(String destination, String folder, String path, HttpRequest request) {
        String destinationPath = sitePath(destination, request);
        if (destinationPath == null) {
            return false;
        }
        int q = destinationPath.indexOf('?');
        String base = q < 0 ? destinationPath : destinationPath.substring(0, q);
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return within(base, encode(folder)) && within(encode(path), base);
    }

    /** Whether {@code path} is {@code folder} or below it, on segment boundaries, without case ("" is the site). */
    private static boolean within(String path, String folder) {
        return folder.isEmpty()
                || (path.regionMatches(true, 0, folder, 0, folder.length())
                        && (path.length() == folder.length() || path.charAt(folder.length()) == '/'));
    }

    /** Whether the target is exactly the URL requested. */
    private static boolean sameUrl(String target, String path, String query, HttpRequest request) {
        String targetPath = sitePath(target, request);
        if (targetPath == null) {
            return false;
        }
        String requested = encode(path) + (query.isEmpty() ? "" : "?" + query);
        return targetPath.equals(requested);
    }

    /**
     * Returns the path (and query) of a URL on this site: an absolute path as is, an absolute URL
     * whose host is the request's {@code Host}; null for another site.
     */
    private static String sitePath(String url, HttpRequest request) {
        if (url.startsWith("/") && !url.startsWith("//")) {
            return url;
        }
        try {
            URI uri = new URI(url);
            String host = request.header("Host").orElse("");
            if (uri.getRawAuthority() == null || !uri.getRawAuthority().equalsIgnoreCase(host)) {
                return null;
            }
            String p = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? p : p + "?" + uri.getRawQuery();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String join(String destination, String tail) {
        if (tail.isEmpty()) {
            return destination;
        }
        if (destination.endsWith("/") && tail.startsWith("/")) {
            return destination + tail.substring(1);
        }
        if (!destination.endsWith("/") && !tail.startsWith("/")) {
            return destination + "/" + tail;
        }
        return destination + tail;
    }

    private static String substitute(String destination, String suffix, String path, String query, String[] captures) {
        StringBuilder out = new StringBuilder(destination.length() + path.length() + query.length());
        for (int i = 0, n = destination.length(); i < n; i++) {
            char c = destination.charAt(i);
            if (c != '$' || i + 1 == n) {
                out.append(c);
                continue;
            }
            char v = destination.charAt(i + 1);
            switch (Character.toUpperCase(v)) {
                case 'S' -> out.append(suffix);
                case 'V' -> out.append(path);
                case 'Q' -> out.append(query.isEmpty() ? "" : "?" + query);
                case 'P' -> out.append(query);
                default -> {
                    if (v >= '0' && v <= '9') {
                        int k = v - '0';
                        if (captures != null && k < captures.length) {
                            out.append(encode(captures[k]));
                        }
                    } else {
                        out.append(c);
                        continue;
                    }
                }
            }
            i++;
        }
        return out.toString();
    }

    /**
     * Matches a wildcard against the suffix, without case.
     *
     * @return index 0 the whole suffix, then one entry per {@code *}; null when it does not match
     */
    static String[] match(String wildcard, String suffix) {
        String pattern = wildcard.startsWith("/") || wildcard.startsWith("*") ? wildcard : "/" + wildcard;
        int stars = 0;
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == '*') {
                stars++;
            }
        }
        int[] starts = new int[stars];
        int[] ends = new int[stars];
        if (!match(pattern.toLowerCase(Locale.ROOT), 0, suffix.toLowerCase(Locale.ROOT), 0, 0, starts, ends)) {
            return null;
        }
        String[] captures = new String[stars + 1];
        captures[0] = suffix;
        for (int k = 0; k < stars; k++) {
            captures[k + 1] = suffix.substring(starts[k], ends[k]);
        }
        return captures;
    }

    private static boolean match(String p, int pi, String s, int si, int star, int[] starts, int[] ends) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int end = s.length(); end >= si; end--) { // greedy, backtracking
                    if (match(p, pi + 1, s, end, star + 1, starts, ends)) {
                        starts[star] = si;
                        ends[star] = end;
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length() || s.charAt(si) != c) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }

    /**
     * Percent-encodes a decoded URL path for a {@code Location} header: UTF-8 for non-ASCII, and
     * {@code %}, space, controls and the characters RFC 3986 does not allow in a path.
     */
    static String encode(String decoded) {
        StringBuilder out = null;
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            boolean plain = c > 0x20 && c < 0x7f && "%\"<>\\^`{|}#?".indexOf(c) < 0;
            if (plain) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(decoded.length() + 16).append(decoded, 0, i);
            }
            int end = Character.isHighSurrogate(c) && i + 1 < decoded.length() ? i + 2 : i + 1;
            for (byte b : decoded.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
            i = end - 1;
        }
        return out == null ? decoded : out.toString();
    }
}
