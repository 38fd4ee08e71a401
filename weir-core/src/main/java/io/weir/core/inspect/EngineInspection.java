package io.weir.core.inspect;

import io.weir.api.http.StoredContext;
import io.weir.config.EffectiveConfig;
import io.weir.config.SiteConfig;
import io.weir.core.WeirEngine;
import io.weir.core.internal.context.SymbolicLinks;
import io.weir.core.internal.context.UrlPath;
import io.weir.core.internal.handler.HandlerTable;
import io.weir.core.internal.module.ModuleLoader;
import io.weir.core.internal.site.ServedApplication;
import io.weir.core.internal.site.ServedSite;
import io.weir.core.internal.site.SiteRouter;
import io.weir.core.internal.stored.ContextContainer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Read-only questions a tool asks a started engine, answered by the engine's own rules: the
 * pipeline it compiled for a URL's configuration and the server-level stored contexts; plus the
 * engine's rules for request targets, site routing and path mapping, which need no engine. Every
 * method may be called from any thread.
 */
public final class EngineInspection {

    /** The name of the logger that reports module loading (DEBUG: each module found and loaded). */
    public static final String MODULE_LOADING_LOGGER = ModuleLoader.class.getName();

    private final WeirEngine engine;

    private EngineInspection(WeirEngine engine) {
        this.engine = engine;
    }

    /**
     * Inspects an engine.
     *
     * @param engine a started engine
     * @return the inspection; it follows the engine's current generation
     */
    public static EngineInspection of(WeirEngine engine) {
        return new EngineInspection(engine);
    }

    /**
     * Returns the pipeline the engine compiled (or compiles now) for an effective configuration.
     *
     * @param effective the configuration of a URL
     * @return the plan's view
     */
    public PlanInspection plan(EffectiveConfig effective) {
        return new PlanInspection(engine.plan(effective));
    }

    /**
     * Returns the stored contexts of the server-level module context container (the state modules
     * keep for the server's lifetime, such as ARR's server farms).
     *
     * @return the contexts, in the order they were stored; empty when the server keeps none
     */
    public List<StoredContext> serverStoredContexts() {
        return engine.server().moduleContextContainer() instanceof ContextContainer container
                ? container.storedContexts()
                : List.of();
    }

    /**
     * Splits a request-target into its path and query, as the engine does on arrival.
     *
     * @param rawTarget the request-target, for example {@code "/a%20b?x=1"}
     * @return the raw path and the query without '?' ({@code ""} when absent), or null when the
     *         target is not an absolute path
     */
    public static String[] splitRequestTarget(String rawTarget) {
        return UrlPath.split(rawTarget);
    }

    /**
     * Decodes and normalizes a raw absolute path, as the engine does before routing.
     *
     * @param rawPath the path part of a request-target, starting with '/'
     * @return the normalized path, or null when it cannot be canonicalized (the engine answers 400)
     */
    public static String normalizeUrlPath(String rawPath) {
        return UrlPath.normalize(rawPath);
    }

    /**
     * Tells whether a handler's {@code preCondition} can hold in Weir (integrated pipeline, 64-bit,
     * no .NET runtime).
     *
     * @param preCondition the attribute's value, a comma list
     * @return true when every condition holds
     */
    public static boolean preConditionHolds(String preCondition) {
        return HandlerTable.preConditionHolds(preCondition);
    }

    /**
     * Finds the site a request goes to by its bindings, as http.sys routes it.
     *
     * @param sites      the configured sites
     * @param local      the address the connection would be accepted on
     * @param hostHeader the Host header (may include a port)
     * @return the site; empty when no binding matches (http.sys answers 400 Invalid Hostname)
     */
    public static Optional<SiteConfig> route(List<SiteConfig> sites, InetSocketAddress local, String hostHeader) {
        ServedSite served = new SiteRouter(sites).route(local, hostHeader);
        return served == null ? Optional.empty() : Optional.of(served.config());
    }

    /**
     * Maps a URL of a site to its application and physical path, whether the site is started or not.
     *
     * @param site the site
     * @param url  the decoded, normalized URL path
     * @return the mapping
     */
    public static MappedUrl mapUrl(SiteConfig site, String url) {
        ServedSite served = new SiteRouter(List.of(new SiteConfig(
                        site.name(), site.id(), true, site.bindings(), site.applications(), site.source())))
                .sites()
                .get(0);
        ServedApplication application = served.applicationFor(url);
        return new MappedUrl(application.virtualPath(), application.mapPath(url), application.contentRoot(url));
    }

    /**
     * Checks a mapped URL's file against the {@code weirSymbolicLinks} rule of its configuration,
     * as the request would.
     *
     * @param effective the URL's effective configuration
     * @param url       the mapped URL
     * @param exists    whether something is on disk at the physical path
     * @return the rule's mode, where the path leads through links (empty when nowhere else or
     *         unreadable) and whether the file may be served
     * @throws io.weir.api.config.ConfigException when the section is invalid
     */
    public static SymbolicLinkCheck symbolicLinks(EffectiveConfig effective, MappedUrl url, boolean exists) {
        SymbolicLinks rule =
                SymbolicLinks.SECTION.binder().apply(effective.section(SymbolicLinks.SECTION.sectionPath()));
        Optional<Path> resolved = Optional.empty();
        if (exists) {
            try {
                Path real = url.physicalPath().toRealPath();
                resolved = real.equals(url.physicalPath()) ? Optional.empty() : Optional.of(real);
            } catch (IOException e) {
                resolved = Optional.empty();
            }
        }
        boolean allowed = !exists || rule.allows(url.physicalPath(), url.contentRoot());
        return new SymbolicLinkCheck(rule.mode().name(), resolved, allowed);
    }
}
