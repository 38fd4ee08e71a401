package io.weir.core.context;

import io.weir.api.HttpServer;
import io.weir.api.config.ConfigSectionType;
import io.weir.config.EffectiveConfig;
import io.weir.core.pipeline.PipelineObserver;
import io.weir.core.pipeline.PipelinePlan;
import io.weir.core.site.ServedSite;

/** What a request context needs from the engine that runs it. */
public interface EngineRuntime {

    /** @return the server services */
    HttpServer server();

    /** @param site a site @param urlPath a normalized path @return the canonical effective configuration */
    EffectiveConfig effectiveConfig(ServedSite site, String urlPath);

    /** @param config an effective configuration @return its compiled plan (cached) */
    PipelinePlan plan(EffectiveConfig config);

    /**
     * @param config      an effective configuration
     * @param application the request's application, whose modules added in
     *                    GL_APPLICATION_RESOLVE_MODULES join the plan
     * @return the compiled plan (cached)
     */
    default PipelinePlan plan(EffectiveConfig config, io.weir.core.site.ServedApplication application) {
        return plan(config);
    }

    /**
     * @param config an effective configuration
     * @param type   a section type
     * @param <T>    the bound type
     * @return the section bound once per (config, type) and cached
     */
    <T> T bind(EffectiveConfig config, ConfigSectionType<T> type);

    /**
     * @return the engine's count of event-loop overruns, which the watchdog increments; the default
     *         is a shared counter no engine reports
     */
    default java.util.concurrent.atomic.AtomicLong eventLoopOverrunCounter() {
        return io.weir.core.pipeline.EventLoopWatchdog.UNCOUNTED;
    }

    /**
     * @param n a global notification
     * @return the global modules registered for it, in priority order (do not modify); the default
     *         is none
     */
    default io.weir.core.module.RegisteredModule[] globalModules(io.weir.api.GlobalNotification n) {
        return new io.weir.core.module.RegisteredModule[0];
    }

    /** @param context a top-level request that has ended */
    void requestEnded(RequestContext context);

    /** @return true when requests must record the thread they run on (a global module registered GL_THREAD_CLEANUP) */
    default boolean tracksCurrentRequest() {
        return false;
    }

    /** @return the observer of module notifications, or null when none is installed (the usual case) */
    default PipelineObserver observer() {
        return null;
    }
}
