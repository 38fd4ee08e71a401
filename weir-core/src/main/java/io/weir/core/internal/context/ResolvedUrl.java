package io.weir.core.internal.context;

import io.weir.api.config.ConfigException;
import io.weir.api.http.HttpFileInfo;
import io.weir.config.EffectiveConfig;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the request's current URL resolves to: its effective configuration, its physical path and
 * the file information of that path, each computed on first use and forgotten when a module
 * changes the URL ({@code IHttpRequest::SetUrl}), as IIS maps a rewritten URL again. Confined to
 * the request's event loop. After a handler mapping with {@code allowPathInfo} split path
 * information off the URL, the physical path and file information are those of the script part.
 */
final class ResolvedUrl {

    private final RequestContext context;
    private final ServingGeneration engine;
    private EffectiveConfig config;
    private String scriptUrl;
    private Path physicalPath;
    private Optional<HttpFileInfo> fileInfo;
    private boolean changedSincePlan;

    ResolvedUrl(RequestContext context, ServingGeneration engine) {
        this.context = context;
        this.engine = engine;
    }

    /** @return the effective configuration of the current URL, computed once per URL */
    EffectiveConfig config() {
        EffectiveConfig c = config;
        if (c == null) {
            c = engine.effectiveConfig(context.site, context.request.urlPath());
            config = c;
        }
        return c;
    }

    /**
     * @return the physical path of the current URL (of its script part, once a handler mapping
     *         split path information off), mapped once per URL (raising MAP_PATH)
     */
    Path physicalPath() {
        Path p = physicalPath;
        if (p == null) {
            p = context.mapPath(scriptUrl == null ? context.request.urlPath() : scriptUrl);
            physicalPath = p;
        }
        return p;
    }

    /**
     * Makes a part of the URL path the one the physical path and file information describe: the
     * script part a handler mapping with {@code allowPathInfo} chose.
     *
     * @param url the script part, or the whole URL path
     */
    void useScriptPart(String url) {
        String script = url.equals(context.request.urlPath()) ? null : url;
        if (!Objects.equals(script, scriptUrl)) {
            scriptUrl = script;
            physicalPath = null;
            fileInfo = null;
        }
    }

    /**
     * @param url the whole URL path or a script part of it
     * @return the file at its physical path, which becomes the request's ({@link #useScriptPart})
     */
    Optional<HttpFileInfo> fileInfoOf(String url) {
        useScriptPart(url);
        return fileInfo();
    }

    /** @return the physical path when it has been mapped already, else null (for the error page) */
    Path physicalPathIfMapped() {
        return physicalPath;
    }

    /**
     * @return the file at the physical path, looked up once per URL; empty when nothing is there or
     *         when it is reached through a symbolic link that {@code weirSymbolicLinks} refuses
     */
    Optional<HttpFileInfo> fileInfo() {
        Optional<HttpFileInfo> f = fileInfo;
        if (f == null) {
            Path path = physicalPath();
            f = engine.server().fileInfo(path);
            if (f.isPresent()
                    && !context.config(SymbolicLinks.SECTION)
                            .allows(
                                    path,
                                    context.application.contentRoot(
                                            scriptUrl == null ? context.request.urlPath() : scriptUrl))) {
                f = Optional.empty(); // reached through a symbolic link the configuration refuses: absent
            }
            fileInfo = f;
        }
        return f;
    }

    /**
     * Forgets what the previous URL resolved to.
     *
     * @param afterPlan whether the pipeline's plan was already made for the previous URL
     */
    void changed(boolean afterPlan) {
        config = null;
        scriptUrl = null;
        physicalPath = null;
        fileInfo = null;
        changedSincePlan = afterPlan;
    }

    /**
     * @return the new URL's configuration when the URL changed since the plan was made, else null;
     *         a second call without a new change returns null
     * @throws ConfigException when the configuration governing the new URL is invalid (500.19)
     */
    EffectiveConfig configIfChangedSincePlan() {
        if (!changedSincePlan) {
            return null;
        }
        changedSincePlan = false;
        EffectiveConfig c = config();
        if (c.error().isPresent()) {
            throw c.error().get();
        }
        return c;
    }
}
