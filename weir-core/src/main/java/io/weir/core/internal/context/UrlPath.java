package io.weir.core.internal.context;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request-target's path into the decoded, normalized absolute path that handler mapping,
 * configuration and path mapping use, as http.sys canonicalizes URLs before IIS sees them:
 * percent-decoding as UTF-8 (strict), '\' read as '/', empty and "." segments dropped, ".."
 * segments applied. Refuses (returns null) malformed escapes, invalid UTF-8, NUL and any ".." that
 * would climb above the root, which the caller answers with 400.
 */
public final class UrlPath {

    private UrlPath() {}

    /**
     * Splits a request-target into path and query.
     *
     * @param rawUri the request-target (origin-form or absolute-form)
     * @return {path, query} with the raw, still-encoded path; query without '?' ("" when absent);
     *         null when the target is not an absolute path or an absolute URI
     */
    public static String[] split(String rawUri) {
        String target = rawUri;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            if (scheme <= 0) {
                return null;
            }
            int slash = target.indexOf('/', scheme + 3);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        int q = target.indexOf('?');
        if (q < 0) {
            return new String[] {target, ""};
        }
        return new String[] {target.substring(0, q), target.substring(q + 1)};
    }

    /**
     * Decodes and normalizes a raw absolute path.
     *
     * @param rawPath the path part of the request-target, starting with '/'
     * @return the normalized path, or null when it must be refused
     */
    public static String normalize(String rawPath) {
        if (isPlain(rawPath)) {
            return rawPath;
        }
        String decoded = rawPath.indexOf('%') >= 0 ? decode(rawPath) : rawPath;
        if (decoded == null || hasControlCharacter(decoded)) {
            return null;
        }
        decoded = decoded.replace('\\', '/');
        List<String> segments = new ArrayList<>();
        String[] parts = decoded.split("/", -1);
        boolean trailingSlash = decoded.endsWith("/");
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i];
            if (s.isEmpty() || s.equals(".")) {
                if (i == parts.length - 1 && s.equals(".")) {
                    trailingSlash = true;
                }
                continue;
            }
            if (s.equals("..")) {
                if (segments.isEmpty()) {
                    return null;
                }
                segments.remove(segments.size() - 1);
                if (i == parts.length - 1) {
                    trailingSlash = true;
                }
                continue;
            }
            segments.add(s);
        }
        StringBuilder sb = new StringBuilder(decoded.length());
        for (String s : segments) {
            sb.append('/').append(s);
        }
        if (segments.isEmpty() || trailingSlash) {
            sb.append('/');
        }
        return sb.toString();
    }

    /** http.sys refuses URLs with control characters, escaped or not (NUL, 0x01-0x1F, DEL). */
    private static boolean hasControlCharacter(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** A path with no escapes, backslashes, empty or dot segments needs no work (the common case). */
    private static boolean isPlain(String p) {
        if (p.isEmpty() || p.charAt(0) != '/') {
            return false;
        }
        char prev = '/';
        for (int i = 1, n = p.length(); i < n; i++) {
            char c = p.charAt(i);
            if (c == '%' || c == '\\' || c < 0x20 || c == 0x7f || (c == '/' && prev == '/')) {
                return false;
            }
            if (c == '.' && prev == '/') {
                return false;
            }
            prev = c;
        }
        return true;
    }

    private static String decode(String s) {
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 3);
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= n) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.put((byte) ((hi << 4) | lo));
                i += 2;
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
