package io.weir.core.internal.context;

import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.ScriptMapInfo;
import io.weir.core.internal.handler.HandlerTable;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

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
    private String pathInfo = "";
    /** The caller's mapping a child request executed with IGNORE_CURRENT_INTERCEPTOR must not choose. */
    ScriptMapInfo ignored;

    /**
     * Chooses the handler mapping for a URL, verb and what exists on disk; modules of
     * MAP_REQUEST_HANDLER may then replace it.
     *
     * @param handlers the plan's handler table
     * @param urlPath  the request's URL path
     * @param method   the request's verb
     * @param files    what exists at the physical path of the URL path or of its script part
     * @return the script part of the URL path ({@code urlPath} itself when there is no path information)
     */
    public String map(
            HandlerTable handlers, String urlPath, String method, Function<String, Optional<HttpFileInfo>> files) {
        HandlerTable table = ignored == null ? handlers : handlers.without(ignored);
        match = table.match(urlPath, method, files);
        if (match instanceof HandlerTable.Match.Found f) {
            scriptMap = f.mapping();
            pathInfo = urlPath.substring(f.scriptEnd());
            return urlPath.substring(0, f.scriptEnd());
        }
        scriptMap = null;
        pathInfo = "";
        return urlPath;
    }

    /** @return the path information the chosen mapping split off the URL path; "" when none */
    public String pathInfo() {
        return pathInfo;
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
