package io.weir.core.internal.context;

import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.ScriptMapInfo;
import io.weir.core.internal.handler.HandlerTable;
import java.util.Objects;
import java.util.Optional;

/**
 * The handler mapping of one request: the one the table chose at MAP_REQUEST_HANDLER, the one a
 * module put in its place ({@code IMapHandlerProvider::SetScriptMap}), and whether a handler
 * module called {@code IHttpContext::SetRequestHandled}. On the request's event loop.
 */
public final class HandlerSelection {

    private HandlerTable.Match match;
    private ScriptMapInfo scriptMap;
    private boolean overridden;
    private boolean handled;
    /** The caller's mapping a child request executed with IGNORE_CURRENT_INTERCEPTOR must not choose. */
    ScriptMapInfo ignored;

    /**
     * Chooses the handler mapping for a URL, verb and what exists on disk; modules of
     * MAP_REQUEST_HANDLER may then replace it.
     *
     * @param handlers the plan's handler table
     * @param urlPath  the request's URL path
     * @param method   the request's verb
     * @param fileInfo what exists at the request's physical path
     */
    public void map(HandlerTable handlers, String urlPath, String method, Optional<HttpFileInfo> fileInfo) {
        HandlerTable table = ignored == null ? handlers : handlers.without(ignored);
        match = table.match(urlPath, method, fileInfo);
        scriptMap = match instanceof HandlerTable.Match.Found f ? f.mapping() : null;
    }

    /** @return the outcome of {@link #map}, or null before it */
    public HandlerTable.Match match() {
        return match;
    }

    /** @return true when a module replaced the mapping */
    public boolean overridden() {
        return overridden;
    }

    /** @return the mapping in force, or null when none */
    public ScriptMapInfo scriptMap() {
        return scriptMap;
    }

    void replace(ScriptMapInfo map) {
        this.scriptMap = Objects.requireNonNull(map, "scriptMap");
        this.overridden = true;
    }

    void setHandled() {
        handled = true;
    }

    /** @return true after a handler module called {@code setRequestHandled()} */
    public boolean handled() {
        return handled;
    }
}
