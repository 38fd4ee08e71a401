package io.weir.core;

import io.weir.api.GlobalNotification;
import io.weir.api.HttpServer;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.http.HttpUrlInfo;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.EffectiveConfig;
import io.weir.core.internal.context.PipelineControl;
import io.weir.core.internal.context.RequestContext;
import io.weir.core.internal.context.ServingGeneration;
import io.weir.core.internal.context.UrlInfoCache;
import io.weir.core.internal.module.RegisteredModule;
import io.weir.core.internal.pipeline.PipelinePlan;
import io.weir.core.internal.pipeline.PipelineRuntime;
import io.weir.core.internal.pipeline.RequestPipeline;
import io.weir.core.internal.site.ServedApplication;
import io.weir.core.internal.site.ServedSite;
import io.weir.core.internal.site.SiteRouter;
import io.weir.core.spi.PipelineObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generation of a {@link WeirEngine}: a configuration snapshot with the modules, sites and
 * compiled pipelines built from it. A request captures the generation current when it starts and
 * keeps it to its end (asynchronous completions and child requests included), so a reload never
 * changes the configuration under a request in flight, as IIS lets an old worker process drain on a
 * recycle.
 *
 * <p>Life cycle: current → retired (a newer generation replaced it) → released (retired and no
 * request of it is left in flight). Release happens exactly once; the engine then terminates the
 * modules that no newer generation still uses.
 *
 * <p>Thread-safe. {@link #tryEnter()} and {@link #exit()} are the only calls on the per-request path.
 */
final class EngineGeneration implements ServingGeneration, PipelineRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(EngineGeneration.class);

    /** The value of {@link #inFlight} once released: no request may enter any more. */
    private static final int RELEASED = Integer.MIN_VALUE;

    private record PlanEntry(PipelinePlan plan, ConcurrentHashMap<ConfigSectionType<?>, Object> bound) {}

    final int number;
    final ApplicationHostConfig config;
    final List<GlobalModuleStatus> described;
    /** The loaded modules by name, in {@code <globalModules>} order. */
    final Map<String, RegisteredModule> loaded;

    final EnumMap<GlobalNotification, RegisteredModule[]> globals = new EnumMap<>(GlobalNotification.class);
    final SiteRouter router;
    private final WeirEngine engine;
    private final Object planLock = new Object();
    private final UrlConfigCache urls;
    /** The URL entries of {@code GetUrlInfo}, dropped with the configuration they were made under. */
    private final UrlInfoCache urlInfos = new UrlInfoCache();
    /** Whether compiled plans leave idle modules out; read once per generation. */
    private final boolean leaveOutIdle = !"false".equalsIgnoreCase(System.getProperty(PipelinePlan.LEAVE_OUT_IDLE));

    private volatile Map<EffectiveConfig, PlanEntry> plans = new IdentityHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean retired;
    /** Modules global modules added per application in GL_APPLICATION_RESOLVE_MODULES; filled before install. */
    private final Map<ServedApplication, List<RegisteredModule>> added = new IdentityHashMap<>();
    /** Plans of the applications that have added modules, per effective configuration. */
    private final ConcurrentHashMap<ServedApplication, ConcurrentHashMap<EffectiveConfig, PipelinePlan>>
            applicationPlans = new ConcurrentHashMap<>();
    /** The {@code <globalModules>} names with no Weir implementation (IIS native images Weir lacks). */
    final Set<String> unavailable;

    EngineGeneration(
            WeirEngine engine,
            int number,
            ApplicationHostConfig config,
            List<GlobalModuleStatus> described,
            Map<String, RegisteredModule> loaded,
            SiteRouter router) {
        this.engine = engine;
        this.number = number;
        this.config = config;
        this.urls = new UrlConfigCache(config);
        this.described = List.copyOf(described);
        Set<String> missing = new LinkedHashSet<>();
        for (GlobalModuleStatus d : described) {
            if (d.origin().startsWith("unavailable")) {
                missing.add(d.name());
            }
        }
        this.unavailable = Collections.unmodifiableSet(missing);
        this.loaded = loaded;
        this.router = router;
        for (GlobalNotification n : GlobalNotification.values()) {
            globals.put(
                    n,
                    loaded.values().stream()
                            .filter(m -> m.globalModule() != null
                                    && m.globalNotifications().contains(n))
                            .sorted(Comparator.comparingInt(
                                    m -> m.globalPriority(n).ordinal()))
                            .toArray(RegisteredModule[]::new));
        }
    }

    /**
     * Counts a request in, unless the generation is already released.
     *
     * @return false when released: the caller must read the engine's current generation again
     */
    boolean tryEnter() {
        for (; ; ) {
            int n = inFlight.get();
            if (n < 0) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Counts a request out; the last one out of a retired generation releases it. */
    void exit() {
        engine.countEnded();
        if (inFlight.decrementAndGet() == 0 && retired) {
            tryRelease();
        }
    }

    /** Marks the generation replaced; it is released now if nothing is in flight, else by the last {@link #exit}. */
    void retire() {
        retired = true;
        if (inFlight.get() == 0) {
            tryRelease();
        }
    }

    private void tryRelease() {
        if (inFlight.compareAndSet(0, RELEASED)) {
            urlInfos.clear();
            engine.released(this);
        }
    }

    /** @return the requests of this generation in flight (0 once released) */
    int requestsInFlight() {
        return Math.max(0, inFlight.get());
    }

    /** @return true once replaced by a newer generation */
    boolean isRetired() {
        return retired;
    }

    // ---------------------------------------------------------------------------------------------
    // ServingGeneration
    // ---------------------------------------------------------------------------------------------

    @Override
    public HttpServer server() {
        return engine.server();
    }

    @Override
    public HttpUrlInfo urlInfo(ServedSite site, String urlPath) {
        return urlInfos.lookup(site.siteId(), urlPath);
    }

    @Override
    public io.weir.api.http.HttpMetadataInfo metadata(ServedSite site, String urlPath) {
        return urlInfos.metadata(site, urlPath);
    }

    @Override
    public EffectiveConfig effectiveConfig(ServedSite site, String urlPath) {
        return urls.effectiveConfig(site, urlPath);
    }

    /** @param effective an effective configuration @return its compiled plan (cached) */
    PipelinePlan plan(EffectiveConfig effective) {
        return entry(effective).plan();
    }

    @Override
    public PipelineControl pipeline(RequestContext context, EffectiveConfig config, ServedApplication application) {
        return new RequestPipeline(this, context, plan(config, application));
    }

    /**
     * @param effective   an effective configuration
     * @param application the request's application, whose modules added in
     *                    GL_APPLICATION_RESOLVE_MODULES join the plan
     * @return the compiled plan (cached)
     */
    @Override
    public PipelinePlan plan(EffectiveConfig effective, ServedApplication application) {
        List<RegisteredModule> extra = added.isEmpty() ? null : added.get(application);
        if (extra == null || extra.isEmpty()) {
            return entry(effective).plan();
        }
        return applicationPlans
                .computeIfAbsent(application, a -> new ConcurrentHashMap<>())
                .computeIfAbsent(effective, e -> {
                    List<String> warnings = new ArrayList<>();
                    PipelinePlan p = new PipelinePlan(e, loaded, unavailable, extra, warnings, leaveOutIdle);
                    warnings.forEach(LOG::warn);
                    return p;
                });
    }

    /**
     * Raises GL_APPLICATION_RESOLVE_MODULES for every application of the generation and keeps what
     * the global modules add; called once, before the generation is installed.
     */
    void resolveModules() {
        if (globals.get(GlobalNotification.APPLICATION_RESOLVE_MODULES).length == 0) {
            return;
        }
        for (ServedSite site : router.sites()) {
            for (ServedApplication app : site.applications()) {
                List<RegisteredModule> modules = ApplicationModules.resolve(this, app);
                if (!modules.isEmpty()) {
                    added.put(app, modules);
                }
            }
        }
    }

    /** @return the modules added in GL_APPLICATION_RESOLVE_MODULES, over every application */
    List<RegisteredModule> addedModules() {
        List<RegisteredModule> all = new ArrayList<>();
        added.values().forEach(all::addAll);
        return all;
    }

    private PlanEntry entry(EffectiveConfig effective) {
        PlanEntry entry = plans.get(effective);
        if (entry != null) {
            return entry;
        }
        synchronized (planLock) {
            entry = plans.get(effective);
            if (entry == null) {
                List<String> warnings = new ArrayList<>();
                entry = new PlanEntry(
                        new PipelinePlan(effective, loaded, unavailable, List.of(), warnings, leaveOutIdle),
                        new ConcurrentHashMap<>());
                warnings.forEach(LOG::warn);
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "compiled pipeline (configuration generation {}):\n{}",
                            number,
                            entry.plan().describe());
                }
                Map<EffectiveConfig, PlanEntry> copy = new IdentityHashMap<>(plans);
                copy.put(effective, entry);
                plans = copy;
            }
            return entry;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T bind(EffectiveConfig effective, ConfigSectionType<T> type) {
        ConcurrentHashMap<ConfigSectionType<?>, Object> bound = entry(effective).bound();
        Object value = bound.get(type);
        if (value == null) {
            value = bound.computeIfAbsent(type, t -> t.binder().apply(effective.section(t.sectionPath())));
        }
        return (T) value;
    }

    /**
     * Forgets every cached URL configuration, compiled plan and bound section, after the configuration dropped some cached
     * effective configurations: those are replaced by new instances, so plans keyed by the old
     * ones would never be used again. Plans are compiled again lazily, per URL.
     */
    void dropPlans() {
        urls.clear();
        urlInfos.clear();
        synchronized (planLock) {
            plans = new IdentityHashMap<>();
        }
        applicationPlans.clear();
    }

    @Override
    public RegisteredModule[] globalModules(GlobalNotification n) {
        return globals.get(n);
    }

    @Override
    public AtomicLong eventLoopOverrunCounter() {
        return engine.eventLoopOverrunCounter();
    }

    @Override
    public void requestEnded(RequestContext context) {
        exit();
        engine.observeRequestEnded(context.exchange(), context);
    }

    @Override
    public boolean tracksCurrentRequest() {
        return globals.get(GlobalNotification.THREAD_CLEANUP).length > 0;
    }

    @Override
    public PipelineObserver observer() {
        return engine.observer();
    }

    @Override
    public String toString() {
        return "generation " + number + " (" + config.fileLabel() + ")";
    }
}
