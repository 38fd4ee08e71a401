package io.weir.core.internal.handler;

import io.weir.api.http.RequireAccess;
import io.weir.api.http.ResourceType;
import io.weir.api.http.ScriptMapInfo;
import java.util.List;
import java.util.Locale;

/**
 * One entry of {@code system.webServer/handlers}; mirrors {@code IScriptMapInfo}. Immutable.
 *
 * @param name                its name
 * @param path                its path pattern
 * @param allowedVerbs        its verbs ("*" = all)
 * @param modules             its modules, in order
 * @param resourceType        what must exist on disk
 * @param requiredAccess      what access it needs
 * @param scriptProcessor     its script processor, "" when none
 * @param allowPathInfo       its {@code allowPathInfo}
 * @param responseBufferLimit its {@code responseBufferLimit}, in bytes
 * @param preCondition        its {@code preCondition}, "" when none
 */
public record HandlerMapping(
        String name,
        String path,
        List<String> allowedVerbs,
        List<String> modules,
        ResourceType resourceType,
        RequireAccess requiredAccess,
        String scriptProcessor,
        boolean allowPathInfo,
        long responseBufferLimit,
        String preCondition)
        implements ScriptMapInfo {

    /**
     * Tells whether the pattern matches a URL. A pattern without '/' is matched against the last
     * segment of the URL ("" for a URL ending in '/'), as IIS matches file names and extensions; a
     * pattern with '/' against the whole path. '*' matches any run of characters; matching ignores
     * case. {@code *.} matches extensionless names.
     *
     * @param urlPath the decoded URL path
     * @return true when the pattern matches
     */
    public boolean matchesPath(String urlPath) {
        if ("*".equals(path)) {
            return true;
        }
        String subject;
        if (path.indexOf('/') >= 0) {
            subject = urlPath;
        } else {
            subject = urlPath.substring(urlPath.lastIndexOf('/') + 1);
        }
        return matchesSubject(subject);
    }

    /**
     * Finds the script part of a URL for this mapping. Without {@code allowPathInfo} that is the
     * whole path when {@link #matchesPath} holds. With it, a file-name pattern (no '/', not
     * {@code *} or {@code *.}) may also match a segment followed by more path, as IIS runs
     * {@code /app/test.dll/more} by {@code test.dll}: the leftmost matching segment ends the
     * script part, and the rest ({@code /more}) is the request's path information.
     *
     * @param urlPath the decoded URL path
     * @return the length of the script part ({@code urlPath.length()} when there is no path
     *         information), or -1 when the mapping does not match
     */
    public int scriptEnd(String urlPath) {
        if (allowPathInfo && path.indexOf('/') < 0 && !"*".equals(path) && !"*.".equals(path)) {
            int start = 1;
            for (int slash = urlPath.indexOf('/', start); slash > 0; slash = urlPath.indexOf('/', start)) {
                if (slash > start && matchesSubject(urlPath.substring(start, slash))) {
                    return slash;
                }
                start = slash + 1;
            }
        }
        return matchesPath(urlPath) ? urlPath.length() : -1;
    }

    private boolean matchesSubject(String subject) {
        if ("*.".equals(path)) {
            return !subject.isEmpty() && subject.indexOf('.') < 0;
        }
        return glob(path.toLowerCase(Locale.ROOT), 0, subject.toLowerCase(Locale.ROOT), 0);
    }

    /**
     * Tells whether the verb list accepts a verb (verbs are case-sensitive, as in IIS's schema).
     *
     * @param verb the request's verb
     * @return true when accepted
     */
    public boolean matchesVerb(String verb) {
        for (String v : allowedVerbs) {
            if (v.equals("*") || v.equals(verb)) {
                return true;
            }
        }
        return false;
    }

    private static boolean glob(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                if (pi == p.length() - 1) {
                    return true;
                }
                for (int k = si; k <= s.length(); k++) {
                    if (glob(p, pi + 1, s, k)) {
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
}
