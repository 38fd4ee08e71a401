package io.weir.core;

import static io.weir.core.GlobalNotifications.raiseGlobal;

import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpServer;
import io.weir.api.cache.KernelResponseCache;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.outbound.OutboundConnector;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.provider.GlobalConfigurationChangeProvider;
import io.weir.api.provider.GlobalFileChangeProvider;
import io.weir.api.provider.GlobalStopListeningProvider;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.EffectiveConfig;
import io.weir.core.internal.context.FileCache;
import io.weir.core.internal.context.RequestContext;
import io.weir.core.internal.pipeline.EventLoopWatchdog;
import io.weir.core.internal.pipeline.ExecutingRequests;
import io.weir.core.internal.pipeline.PipelinePlan;
import io.weir.core.internal.site.ConfigPaths;
import io.weir.core.internal.site.ServedSite;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.PipelineObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline engine of one server: loads the modules of a configuration, routes each request to
 * its site and application, and runs the integrated pipeline. Thread-safe; {@link #handle} is
 * called on the connection's event loop and runs the request there without blocking.
 *
 * <p><b>Generations.</b> What the engine serves is a generation: a configuration snapshot with the
 * modules, sites and compiled pipelines built from it. {@link #reload} builds the next generation and
 * swaps it in atomically; every request captures the generation current when it starts and keeps it
 * to its end, including asynchronous completions and child requests, so requests in flight finish
 * on the configuration they started with (as an IIS worker process drains on a recycle). A
 * generation's modules that the next one no longer lists are terminated only once every request
 * that started on an older generation has ended. The request path reads the current generation with
 * one volatile read.
 *
 * <p>Raised global notifications (see also {@link GlobalEvents}, {@link ApplicationModules},
 * {@link ApplicationPreload}): APPLICATION_RESOLVE_MODULES (per application, before its
 * APPLICATION_START), APPLICATION_PRELOAD (after it, for {@code preloadEnabled} applications),
 * CUSTOM_NOTIFICATION, HEALTH_CHECK and CACHE_CLEANUP (periodic, {@link #reschedule}),
 * CACHE_OPERATION (the file cache), RSCA_QUERY ({@link #rscaQuery}), THREAD_CLEANUP, and
 * PRE_BEGIN_REQUEST (each request, before
 * BEGIN_REQUEST), APPLICATION_START (for every application of the started sites when the engine
 * starts, and for the applications a reload adds — IIS's "AlwaysRunning" start mode rather than on
 * first request), APPLICATION_STOP (at shutdown, and for the applications a reload removes, once
 * their last request has ended), CONFIGURATION_CHANGE ({@link #reload}, {@link
 * #notifyConfigurationChange}), FILE_CHANGE ({@link #notifyFileChange}) and STOP_LISTENING (at
 * shutdown).
 */
public final class WeirEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WeirEngine.class);

    /** IIS's configuration path of applicationHost.config, what GL_CONFIGURATION_CHANGE names for it. */
    public static final String APPHOST_CONFIG_PATH = ConfigPaths.APPHOST_CONFIG_PATH;

    private final EngineServices services = new EngineServices(this);
    private final GlobalEvents events = new GlobalEvents(this);
    private final AtomicBoolean stoppedListening = new AtomicBoolean();
    private final GenerationLifecycle generations = new GenerationLifecycle(this, services);
    private final RequestEntry entry = new RequestEntry(this);
    private final AtomicLong eventLoopOverruns = new AtomicLong();
    private final LongAdder requestsEnded = new LongAdder();
    private final PipelineObserver observer;

    private WeirEngine(ApplicationHostConfig config, PipelineObserver observer) {
        this.observer = observer;
        generations.installFirst(config);
        services.fileCache().listener(events.cacheListener());
    }

    /**
     * Loads every module of the configuration (calling each registration once) and prepares the
     * sites. A module whose registration fails is reported and left out.
     *
     * @param config the configuration
     * @return the engine
     */
    public static WeirEngine start(ApplicationHostConfig config) {
        return start(config, null);
    }

    /**
     * Starts an engine whose pipeline reports every module notification to an observer (the
     * in-memory test harness uses this); otherwise as {@link #start(ApplicationHostConfig)}.
     *
     * @param config   the configuration
     * @param observer sees every notification delivered and every request's end; null for none
     * @return the engine
     */
    public static WeirEngine start(ApplicationHostConfig config, PipelineObserver observer) {
        WeirEngine engine = new WeirEngine(config, observer);
        engine.generations.startFirst(config);
        return engine;
    }

    /**
     * Serves a new configuration from the next request on, without a restart: builds a new
     * generation (reusing the already-loaded module of every {@code <globalModules>} entry whose
     * name, image, type and preCondition are unchanged, loading and registering new or changed
     * ones), swaps it in atomically, raises APPLICATION_START for the applications it adds and
     * GL_CONFIGURATION_CHANGE ({@link #APPHOST_CONFIG_PATH}) on its global modules. Requests in
     * flight finish on the generation they started with; when the last of them has ended, the
     * removed applications get APPLICATION_STOP and the modules no longer listed are terminated
     * (their factories' {@code terminate()}, then their global modules'). The pipelines and bound
     * sections cache of the new generation starts empty (an applicationHost.config change may
     * affect every URL).
     *
     * <p>The engine does not listen: when {@link ReloadOutcome#listenersChanged()} the transport
     * must bind or close sockets ({@code WeirServer.reload} does). Blocking (module loading);
     * callable from any thread but an event loop; reloads are serialized.
     *
     * @param config the new configuration
     * @return what changed
     * @throws IllegalStateException  when the engine is closed
     * @throws ReloadRefusedException when a new or changed {@code <globalModules>} entry cannot be
     *                                loaded or registered (an unavailable IIS native image is only
     *                                reported, as at start-up); the modules it loaded are terminated
     *                                and the current generation keeps serving
     * @throws RuntimeException       when the new sites cannot be served (e.g. a binding address that
     *                               does not resolve); the current generation keeps serving
     */
    public ReloadOutcome reload(ApplicationHostConfig config) {
        return generations.reload(config);
    }

    /** Called once per retired generation when its last request has ended; see {@link GenerationLifecycle}. */
    void released(EngineGeneration g) {
        generations.released(g);
    }

    /** @return the configuration the current generation serves */
    public ApplicationHostConfig config() {
        return current().config;
    }

    /** @return the number of the generation serving new requests: 1 at start, one more per {@link #reload} */
    public int generation() {
        return current().number;
    }

    /** @return the distinct addresses to listen on, from the started sites' bindings of the current generation */
    public List<ListenAddress> listeners() {
        return current().router.listeners();
    }

    /** @return every {@code <globalModules>} entry of the current generation with its load outcome, in order */
    public List<GlobalModuleStatus> modules() {
        return current().described;
    }

    /**
     * Runs one request through the pipeline of the current generation, which the request keeps to
     * its end. Returns when the request is done or parked; the response goes out through
     * {@link Exchange#write}.
     *
     * @param exchange the request, on its event loop
     */
    public void handle(Exchange exchange) {
        entry.handle(exchange, null);
    }

    /**
     * Runs a request the server makes itself (an application preload) on a known site, on the
     * current generation; the exchange's event loop is the calling thread.
     */
    void handle(Exchange exchange, ServedSite site) {
        entry.handle(exchange, site);
    }

    /** Raises GL_CUSTOM_NOTIFICATION on the current generation ({@code NotifyCustomNotification}); HANDLED when a module did. */
    GlobalNotificationStatus notifyCustomNotification(CustomNotificationProvider provider) {
        Objects.requireNonNull(provider, "provider");
        return raiseGlobal(
                current(), GlobalNotification.CUSTOM_NOTIFICATION, m -> m.onGlobalCustomNotification(provider));
    }

    /**
     * Drops the cached configuration that a changed file under a site's folders affects (a
     * web.config, a configSource file it names, a folder that appeared or went away; see
     * {@link ApplicationHostConfig#invalidate}) and, when anything was dropped, the compiled plans
     * of the current generation. Requests in flight keep the configuration they started with; the
     * next request under the changed folder reads the files again. A web.config that is now
     * malformed or breaks a lock is refused (logged once) and its last good version keeps serving
     * the URLs under it; one that was never good gives 500.19 for them (see
     * {@link ApplicationHostConfig}). The other URLs keep serving. Thread-safe; the configuration watcher calls it on its own thread.
     *
     * @param changed the file or folder that changed
     * @return true when cached configuration was dropped
     */
    public boolean invalidateConfiguration(Path changed) {
        EngineGeneration g = current();
        boolean dropped = g.config.invalidate(changed);
        if (dropped) {
            g.dropPlans();
        }
        return dropped;
    }

    /**
     * Raises GL_CONFIGURATION_CHANGE on the global modules of the current generation that
     * registered it, in priority order (HANDLED stops the rest), as IIS's
     * {@code IHttpServer::NotifyConfigurationChange} does. {@link #reload} raises it itself with
     * {@link #APPHOST_CONFIG_PATH}; a watcher of web.config files calls it with the configuration
     * path of the changed file's folder. Runs on the caller's thread.
     *
     * @param configPath the IIS configuration path that changed, e.g.
     *                   {@code "MACHINE/WEBROOT/APPHOST/Default Web Site/docs"}
     */
    public void notifyConfigurationChange(String configPath) {
        Objects.requireNonNull(configPath, "configPath");
        GlobalConfigurationChangeProvider provider = () -> configPath;
        raiseGlobal(current(), GlobalNotification.CONFIGURATION_CHANGE, m -> m.onGlobalConfigurationChange(provider));
    }

    /** Raises GL_FILE_CHANGE for a file created, modified or deleted ({@code NotifyFileChange}), on the caller's thread. */
    public void notifyFileChange(Path file) {
        Objects.requireNonNull(file, "file");
        Path absolute = file.toAbsolutePath();
        GlobalFileChangeProvider provider = () -> absolute;
        raiseGlobal(current(), GlobalNotification.FILE_CHANGE, m -> m.onGlobalFileChange(provider));
    }

    /**
     * Maps a physical folder to IIS's configuration path of the URL it serves, as a web.config in
     * that folder would be named: the first virtual directory (of the current generation's started
     * sites) whose folder contains it.
     *
     * @param folder an absolute folder
     * @return e.g. {@code "MACHINE/WEBROOT/APPHOST/Default Web Site/docs"}, or empty when no site serves it
     */
    public Optional<String> configPathOf(Path folder) {
        return ConfigPaths.configPathOf(current().router.sites(), folder);
    }

    /**
     * Returns how many module notification calls have held an event loop longer than the budget
     * since the engine started, as detected by {@link EventLoopWatchdog}
     * (system property {@value EventLoopWatchdog#BUDGET_PROPERTY}, default
     * {@value EventLoopWatchdog#DEFAULT_BUDGET_MILLIS} ms). Each overrun is
     * also logged (rate-limited). A healthy server keeps this at 0: a module that must block returns
     * PENDING or declares the notification blocking. Thread-safe.
     *
     * @return the count of overruns, over every generation
     */
    public long eventLoopOverruns() {
        return eventLoopOverruns.get();
    }

    /** @return the counter {@link #eventLoopOverruns()} reads, which the watchdog increments */
    AtomicLong eventLoopOverrunCounter() {
        return eventLoopOverruns;
    }

    /**
     * The engine's runtime status, as {@code weir list requests} shows it.
     *
     * @param generation         the generation serving new requests
     * @param requestsInFlight   requests started and not yet ended
     * @param requestsEnded      requests ended since start ({@link #requestsEnded()})
     * @param eventLoopOverruns  {@link #eventLoopOverruns()}
     * @param budgetMillis       the event-loop budget in milliseconds
     * @param recycleRequests    recycling requests modules made ({@link #recycleRequests()})
     */
    public record RuntimeStatus(
            int generation,
            int requestsInFlight,
            long requestsEnded,
            long eventLoopOverruns,
            long budgetMillis,
            long recycleRequests) {}

    /** @return the runtime status now; thread-safe */
    public RuntimeStatus runtimeStatus() {
        return new RuntimeStatus(
                generation(),
                requestsInFlight(),
                requestsEnded(),
                eventLoopOverruns(),
                EventLoopWatchdog.budget().toMillis(),
                services.recycleRequests().count());
    }

    /** @return the recycling modules asked for ({@code RecycleProcess}, {@code RecycleApplication}) */
    public RecycleRequests recycleRequests() {
        return services.recycleRequests();
    }

    /** @return the folders modules registered for change notifications, which the watcher watches */
    public FileChangeMonitors fileChangeMonitors() {
        return services.fileChangeMonitors();
    }

    /**
     * Lists the requests in flight (IIS: {@code appcmd list requests}): URL, notification, module,
     * state and elapsed time, longest first. Each event loop is asked on its own thread; one that
     * does not answer within the timeout is held by a module and appears as a {@code HELD} entry
     * naming the call. Blocking (up to the timeout); do not call on an event loop.
     *
     * @param timeout how long to wait for the event loops in all
     * @return the requests
     */
    public List<ExecutingRequests.Snapshot> executingRequests(Duration timeout) {
        return ExecutingRequests.snapshot(eventLoopOverruns, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * @return how many requests ended since start (answered by the pipeline or directly, or dropped
     *         after an engine failure), each counted once when it leaves its generation; thread-safe
     */
    public long requestsEnded() {
        return requestsEnded.sum();
    }

    /** Counts one request out; called by a generation for each request that leaves it. */
    void countEnded() {
        requestsEnded.increment();
    }

    private EngineGeneration current() {
        return generations.current();
    }

    /** @return the generation serving new requests */
    EngineGeneration currentGeneration() {
        return generations.current();
    }

    /** @return the engine's own global notifications (timer, health, RSCA, cache operations) */
    GlobalEvents events() {
        return events;
    }

    /** @return how many file-cache lookups of an existing file found it cached and current since start */
    public long fileCacheHits() {
        return services.fileCache().hits();
    }

    /** @return how many file-cache lookups of an existing file had to read it since start */
    public long fileCacheMisses() {
        return services.fileCache().misses();
    }

    /** @return the server's file cache */
    FileCache fileCache() {
        return services.fileCache();
    }

    /**
     * Returns the health status modules reported with {@code HttpServer.reportUnhealthy}; a later
     * admin endpoint or an orchestrator's probe reads it. Thread-safe.
     *
     * @return the status now
     */
    public HealthStatus health() {
        return events.health();
    }

    /**
     * Changes how often GL_HEALTH_CHECK and GL_CACHE_CLEANUP are raised (at start the engine reads
     * {@link PeriodicSettings#fromSystemProperties()}); the next of each comes one interval from now.
     *
     * @param settings the intervals
     */
    public void reschedule(PeriodicSettings settings) {
        events.schedule(settings);
    }

    /** @return the intervals of the periodic global notifications in force */
    public PeriodicSettings periodicSettings() {
        return events.settings();
    }

    /**
     * Runs a run-time status and control query ({@code GL_RSCA_QUERY}): raised on the global modules
     * of the current generation on the caller's thread, each seeing the {@link
     * io.weir.api.provider.RuntimeStatus}; the result is the one the last module to call
     * {@code setResult} gave. When none did, the engine answers {@code "GetRuntimeStatus"} itself
     * ({@code generation=N requestsInFlight=N healthy=B uptimeSeconds=N}, plus {@code reasons=[…]}
     * when unhealthy).
     *
     * @param function   the function's name
     * @param parameters its parameters, or null
     * @return the answer, or empty when no module answered a function the engine does not know
     */
    public Optional<String> rscaQuery(String function, String parameters) {
        return events.rscaQuery(function, parameters);
    }

    /** @return the number of requests started and not yet ended, over every live generation */
    public int requestsInFlight() {
        int n = 0;
        for (EngineGeneration g : generations.live()) {
            n += g.requestsInFlight();
        }
        return n;
    }

    /**
     * Raises GL_STOP_LISTENING; the transport stops accepting before calling it.
     *
     * @param drainGracefully true when requests in flight may finish
     */
    public void stopListening(boolean drainGracefully) {
        stoppedListening.set(true);
        GlobalStopListeningProvider provider = () -> drainGracefully;
        raiseGlobal(current(), GlobalNotification.STOP_LISTENING, m -> m.onGlobalStopListening(provider));
    }

    public void close() {
        generations.close();
    }

    /** Raises GL_STOP_LISTENING with {@code drainGracefully == false} unless it was raised already. */
    void stopListeningOnce() {
        if (!stoppedListening.get()) {
            stopListening(false);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Inspection of the current generation (weir explain)
    // ---------------------------------------------------------------------------------------------

    /** @return the server services modules see as {@code IHttpServer} */
    public HttpServer server() {
        return services;
    }

    /** @param connector the transport's, for {@link HttpServer#outboundConnector()}; set once its loops run */
    public void attachOutboundConnector(OutboundConnector connector) {
        services.outboundConnector(connector);
    }

    /** @param cache the transport's kernel-style cache, for {@link HttpServer#kernelResponseCache()} */
    public void attachKernelResponseCache(KernelResponseCache cache) {
        services.kernelResponseCache(cache);
    }

    /**
     * @param site    a site of the current generation
     * @param urlPath a normalized URL path
     * @return the effective configuration of the URL on the current generation
     */
    public EffectiveConfig effectiveConfig(ServedSite site, String urlPath) {
        return current().effectiveConfig(site, urlPath);
    }

    /**
     * @param effective an effective configuration of the current generation
     * @return its compiled pipeline plan (cached per generation)
     */
    public PipelinePlan plan(EffectiveConfig effective) {
        return current().plan(effective);
    }

    /**
     * @param effective an effective configuration of the current generation
     * @param type      a section type
     * @param <T>       the bound type
     * @return the section bound (cached per generation)
     */
    public <T> T bind(EffectiveConfig effective, ConfigSectionType<T> type) {
        return current().bind(effective, type);
    }

    /** @return the observer of module notifications, or null when none is installed */
    PipelineObserver observer() {
        return observer;
    }

    /** Tells the observer, if any, that a request ended; context is null for a direct answer. */
    void observeRequestEnded(Exchange exchange, RequestContext context) {
        if (observer != null) {
            try {
                observer.requestEnded(exchange, context);
            } catch (RuntimeException e) {
                LOG.error("the pipeline observer threw; ignored", e);
            }
        }
    }
}
