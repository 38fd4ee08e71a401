package io.weir.api.http;

import java.util.List;

/**
 * The handler mapping chosen for a request (an entry of {@code system.webServer/handlers});
 * mirrors IIS's {@code IScriptMapInfo}. Immutable and thread-safe.
 */
public interface ScriptMapInfo {

    /**
     * Returns the mapping's name.
     *
     * @return the {@code name} attribute, for example {@code "StaticFile"}
     */
    String name();

    /**
     * Returns the path pattern.
     *
     * @return the {@code path} attribute, for example {@code "*"} or {@code "*.html"}
     */
    String path();

    /**
     * Returns the verbs the mapping accepts.
     *
     * @return the {@code verb} attribute split on commas; {@code ["*"]} for every verb
     */
    List<String> allowedVerbs();

    /**
     * Returns the modules that handle EXECUTE_REQUEST_HANDLER for this mapping, in order.
     *
     * @return the {@code modules} attribute split on commas
     */
    List<String> modules();

    /**
     * Returns the resource type the mapping requires.
     *
     * @return the {@code resourceType} attribute
     */
    ResourceType resourceType();

    /**
     * Returns the access the mapping requires.
     *
     * @return the {@code requireAccess} attribute
     */
    RequireAccess requiredAccess();

    /**
     * Returns the script processor (ISAPI/CGI/FastCGI executable), which Weir does not run.
     *
     * @return the {@code scriptProcessor} attribute, empty when absent
     */
    String scriptProcessor();

    /**
     * Tells whether trailing path info is passed to the handler.
     *
     * @return the {@code allowPathInfo} attribute
     */
    boolean allowPathInfo();

    /**
     * Returns how many response bytes are buffered before a flush.
     *
     * @return the {@code responseBufferLimit} attribute in bytes, 4194304 by default; 0 means no buffering
     */
    long responseBufferLimit();

    /**
     * Tells whether the mapping is a wildcard ({@code path="*"}) mapping.
     *
     * @return true for {@code path="*"}
     */
    default boolean isStarScriptMap() {
        return "*".equals(path());
    }
}
