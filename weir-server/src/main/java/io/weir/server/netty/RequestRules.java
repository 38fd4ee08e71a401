package io.weir.server.netty;

import java.util.List;

/**
 * The request-line and {@code Host} rules the transport applies before a request reaches the
 * engine, as strictly as http.sys (which answers them 400 with a reason in its HTTPERR log).
 * Protocol-neutral (strings in, a verdict out), so that an HTTP/2 stream can be checked the same
 * way. Stateless.
 */
final class RequestRules {

    /** A rule a request broke: the status to answer and http.sys's HTTPERR reason. */
    record Violation(int status, String httpErrReason, String detail) {}

    /** What an absolute-form target becomes: an origin-form target and the authority. */
    record Rewritten(String originForm, String authority) {}

    private RequestRules() {}

    /**
     * Checks a request target's characters (RFC 9112 section 3.2: no whitespace, no control characters, no
     * raw bytes over 0x7E, no fragment) and form: origin-form ({@code /...}), absolute-form
     * ({@code http://host/...}), or {@code *} for OPTIONS only.
     *
     * @param method the method
     * @param target the target as received (bytes as ISO-8859-1 characters)
     * @return the violation, or null
     */
    static Violation checkTarget(String method, String target) {
        if (target.isEmpty()) {
            return new Violation(400, "URL", "empty target");
        }
        for (int i = 0, n = target.length(); i < n; i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return new Violation(400, "URL", "raw byte 0x" + Integer.toHexString(c) + " in the target");
            }
            if (c == '#') {
                return new Violation(400, "URL", "fragment in the target");
            }
        }
        if ("*".equals(target)) {
            return "OPTIONS".equals(method) ? null : new Violation(400, "URL", "asterisk-form target with " + method);
        }
        if (target.charAt(0) == '/') {
            return null;
        }
        if (isAbsoluteForm(target)) {
            Rewritten r = rewriteAbsoluteForm(target);
            if (r == null || !validHost(r.authority())) {
                return new Violation(400, "URL", "malformed absolute-form target");
            }
            return null;
        }
        return new Violation(
                400, "URL", "CONNECT".equals(method) ? "authority-form target" : "target not in origin form");
    }

    /** @return true when the target starts with {@code http://} or {@code https://} (any case) */
    static boolean isAbsoluteForm(String target) {
        return target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8);
    }

    /**
     * Splits an absolute-form target (RFC 9112 section 3.2.2) into the origin-form target and the
     * authority, which replaces the {@code Host} header (RFC 9112 section 3.2.2: a server MUST ignore
     * {@code Host} in favour of the target's authority).
     *
     * @param target the absolute-form target
     * @return the parts, or null when the authority is empty or carries userinfo
     */
    static Rewritten rewriteAbsoluteForm(String target) {
        int from = target.indexOf("://") + 3;
        int end = target.length();
        for (int i = from; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '/' || c == '?') {
                end = i;
                break;
            }
        }
        String authority = target.substring(from, end);
        if (authority.isEmpty() || authority.indexOf('@') >= 0) {
            return null;
        }
        String rest = target.substring(end);
        if (rest.isEmpty() || rest.charAt(0) == '?') {
            rest = "/" + rest;
        }
        return new Rewritten(rest, authority);
    }

    /**
     * Checks the {@code Host} fields (RFC 9112 section 3.2, RFC 9110 section 7.2): exactly one on HTTP/1.1, at most
     * one on HTTP/1.0, and each a {@code uri-host [":" port]} with no userinfo, path, list or empty
     * value (http.sys answers all of these 400, reason {@code Hostname}).
     *
     * @param hosts  the field values in arrival order
     * @param http11 true for HTTP/1.1
     * @return the violation, or null
     */
    static Violation checkHost(List<String> hosts, boolean http11) {
        if (hosts.isEmpty()) {
            return http11 ? new Violation(400, "Hostname", "no Host header") : null;
        }
        if (hosts.size() > 1) {
            return new Violation(400, "Hostname", "several Host headers");
        }
        String host = hosts.get(0);
        return validHost(host) ? null : new Violation(400, "Hostname", "malformed Host header");
    }

    /**
     * Tells whether a value is {@code uri-host [":" port]}: a registered name of letters, digits,
     * {@code - . _ ~}, or an IP literal in brackets, then an optional port of 1 to 5 digits up to
     * 65535.
     *
     * @param value the value
     * @return true when valid
     */
    static boolean validHost(String value) {
        int n = value.length();
        if (n == 0) {
            return false;
        }
        int i = 0;
        if (value.charAt(0) == '[') {
            int close = value.indexOf(']');
            if (close < 3) {
                return false;
            }
            for (int k = 1; k < close; k++) {
                char c = value.charAt(k);
                if (!(isHexDigit(c) || c == ':' || c == '.')) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < n && value.charAt(i) != ':') {
                char c = value.charAt(i);
                if (!(isAlphaNum(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                    return false;
                }
                i++;
            }
            if (i == 0) {
                return false;
            }
        }
        if (i == n) {
            return true;
        }
        if (value.charAt(i) != ':' || n - i - 1 < 1 || n - i - 1 > 5) {
            return false;
        }
        int port = 0;
        for (int k = i + 1; k < n; k++) {
            char c = value.charAt(k);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535;
    }

    private static boolean isAlphaNum(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
