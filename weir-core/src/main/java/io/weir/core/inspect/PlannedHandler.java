package io.weir.core.inspect;

import io.weir.api.http.RequireAccess;
import io.weir.api.http.ResourceType;
import io.weir.api.http.ScriptMapInfo;
import io.weir.core.internal.handler.HandlerMapping;
import java.util.List;
import java.util.Optional;

/**
 * A usable entry of the handler table of a URL (an entry of {@code system.webServer/handlers}
 * whose precondition holds and whose access the policy grants), with the matching rules the
 * engine applies. Immutable.
 */
public final class PlannedHandler implements ScriptMapInfo {

    private final HandlerMapping mapping;

    PlannedHandler(HandlerMapping mapping) {
        this.mapping = mapping;
    }

    HandlerMapping mapping() {
        return mapping;
    }

    @Override
    public String name() {
        return mapping.name();
    }

    @Override
    public String path() {
        return mapping.path();
    }

    @Override
    public List<String> allowedVerbs() {
        return mapping.allowedVerbs();
    }

    @Override
    public List<String> modules() {
        return mapping.modules();
    }

    @Override
    public ResourceType resourceType() {
        return mapping.resourceType();
    }

    @Override
    public RequireAccess requiredAccess() {
        return mapping.requiredAccess();
    }

    @Override
    public String scriptProcessor() {
        return mapping.scriptProcessor();
    }

    @Override
    public boolean allowPathInfo() {
        return mapping.allowPathInfo();
    }

    @Override
    public long responseBufferLimit() {
        return mapping.responseBufferLimit();
    }

    /**
     * Tells whether the entry's {@code path} matches a URL, as IIS matches it (a pattern without
     * '/' against the last segment, with '*' wildcards, ignoring case; with {@code allowPathInfo},
     * also against an earlier segment followed by path information).
     *
     * @param urlPath the decoded URL path
     * @return true when it matches
     */
    public boolean matchesPath(String urlPath) {
        return mapping.scriptEnd(urlPath) >= 0;
    }

    /**
     * Returns the script part of a URL for this entry: the URL itself, or with
     * {@code allowPathInfo} the part up to the leftmost segment the pattern matches.
     *
     * @param urlPath the decoded URL path
     * @return the script part, or empty when the entry does not match
     */
    public Optional<String> scriptName(String urlPath) {
        int end = mapping.scriptEnd(urlPath);
        return end < 0 ? Optional.empty() : Optional.of(urlPath.substring(0, end));
    }

    /**
     * Tells whether the entry's {@code verb} list accepts a verb.
     *
     * @param verb the request's verb
     * @return true when it is accepted
     */
    public boolean matchesVerb(String verb) {
        return mapping.matchesVerb(verb);
    }

    @Override
    public String toString() {
        return mapping.name();
    }
}
