package io.weir.api.provider;

import io.weir.api.http.ScriptMapInfo;

/**
 * The provider of MAP_REQUEST_HANDLER; mirrors IIS's {@code IMapHandlerProvider}. Only
 * {@code SetScriptMap} exists, as IIS supports only that one.
 */
public interface MapHandlerProvider extends HttpEventProvider {

    /**
     * Replaces the handler mapping chosen from {@code <handlers>}; EXECUTE_REQUEST_HANDLER then
     * goes to the modules it lists. Mirrors {@code SetScriptMap}.
     *
     * @param scriptMap the mapping to use
     */
    void setScriptMap(ScriptMapInfo scriptMap);
}
