package io.weir.core.internal.context;

import io.weir.api.GlobalNotification;
import io.weir.api.HttpServer;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.http.HttpMetadataInfo;
import io.weir.api.http.HttpUrlInfo;
import io.weir.config.EffectiveConfig;
import io.weir.core.internal.module.RegisteredModule;
import io.weir.core.internal.site.ServedApplication;
import io.weir.core.internal.site.ServedSite;

/**
 * What a request context needs from the engine generation that runs it. Implemented by the
 * generation; thread-safe (requests of every event loop call it).
 */
public interface ServingGeneration {

    /** @return the server services */
    HttpServer server();

    /** @param site a site @param urlPath a normalized path @return the URL's entry ({@code GetUrlInfo}), counted as a hit */
    HttpUrlInfo urlInfo(ServedSite site, String urlPath);

    /** @param site a site @param urlPath a normalized path @return the URL's configuration metadata ({@code GetMetadata}) */
    HttpMetadataInfo metadata(ServedSite site, String urlPath);

    /** @param site a site @param urlPath a normalized path @return the canonical effective configuration */
    EffectiveConfig effectiveConfig(ServedSite site, String urlPath);

    /**
     * Creates the pipeline that runs a request on its configuration's compiled plan (compiled once
     * per effective configuration and application, and cached); the pipeline is not started.
     *
     * @param context     the request
     * @param config      its effective configuration
     * @param application the request's application, whose modules added in
     *                    GL_APPLICATION_RESOLVE_MODULES join the plan
     * @return the pipeline
     * @throws ConfigException when the configuration's module or handler lists cannot be compiled
     */
    PipelineControl pipeline(RequestContext context, EffectiveConfig config, ServedApplication application);

    /**
     * @param config an effective configuration
     * @param type   a section type
     * @param <T>    the bound type
     * @return the section bound once per (config, type) and cached
     */
    <T> T bind(EffectiveConfig config, ConfigSectionType<T> type);

    /**
     * @param n a global notification
     * @return the global modules registered for it, in priority order (do not modify)
     */
    RegisteredModule[] globalModules(GlobalNotification n);

    /** @param context a top-level request that has ended */
    void requestEnded(RequestContext context);
}
