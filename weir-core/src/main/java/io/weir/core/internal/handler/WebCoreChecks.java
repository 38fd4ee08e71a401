package io.weir.core.internal.handler;

import io.weir.api.http.HttpStatus;
import io.weir.api.http.ScriptMapInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The checks IIS's own web core makes after the MAP_REQUEST_HANDLER modules have run, which its
 * detailed error pages attribute to module "IIS Web Core" in MapRequestHandler: no mapping matches
 * the URL → 404.4; a path match refused on its verb → 405.0; a mapping whose {@code resourceType}
 * is not satisfied by what is on disk → 404.0; a mapping naming a module that is not enabled →
 * 500.21. When a module replaced the mapping ({@code IMapHandlerProvider::SetScriptMap}), only the
 * last check applies. See docs/reference/modules-and-status-codes.md. Stateless; called on the
 * request's event loop.
 */
public final class WebCoreChecks {

    /** The module name IIS reports for errors the web core itself sets. */
    public static final String WEB_CORE = "IIS Web Core";

    private WebCoreChecks() {}

    /**
     * An error the web core sets on the response.
     *
     * @param status      the status and substatus
     * @param description the detailed error's description
     */
    public record Error(HttpStatus status, String description) {}

    /**
     * Checks the handler mapping chosen for a request.
     *
     * @param match          the outcome of {@link HandlerTable#match}
     * @param overridden     true when a module replaced the mapping
     * @param scriptMap      the mapping in force, or null
     * @param missingModules the modules a mapping names that the plan does not run
     * @param urlPath        the request's URL path
     * @param method         the request's verb
     * @param physicalPath   supplies the request's physical path (only read for the 404.0 text)
     * @return the error to set, or null when the request goes on
     */
    public static Error check(
            HandlerTable.Match match,
            boolean overridden,
            ScriptMapInfo scriptMap,
            Function<ScriptMapInfo, List<String>> missingModules,
            String urlPath,
            String method,
            Supplier<Path> physicalPath) {
        if (!overridden) {
            if (match instanceof HandlerTable.Match.NoHandler) {
                return new Error(HttpStatus.NO_HANDLER, "No handler mapping matches " + urlPath);
            } else if (match instanceof HandlerTable.Match.VerbRefused) {
                return new Error(HttpStatus.METHOD_NOT_ALLOWED, "No handler mapping accepts the verb " + method);
            } else if (match instanceof HandlerTable.Match.Found found && found.resourceMissing()) {
                return new Error(
                        HttpStatus.NOT_FOUND,
                        "The handler mapping '" + found.mapping().name() + "' needs "
                                + switch (found.mapping().resourceType()) {
                                    case FILE -> "a file";
                                    case DIRECTORY -> "a folder";
                                    default -> "a file or a folder";
                                }
                                + " at " + physicalPath.get() + ", and there is none");
            }
        }
        List<String> missing = scriptMap == null ? List.of() : missingModules.apply(scriptMap);
        if (missing.isEmpty()) {
            return null;
        }
        return new Error(
                HttpStatus.MODULE_NOT_RECOGNIZED,
                "Handler '" + scriptMap.name() + "' has a bad module '" + missing.get(0) + "' in its module list");
    }
}
