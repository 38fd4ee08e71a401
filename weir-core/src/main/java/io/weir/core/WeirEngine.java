package io.weir.core;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpServer;
import io.weir.api.RequestNotification;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.GlobalConfigurationChangeProvider;
import io.weir.api.provider.GlobalFileChangeProvider;
import io.weir.api.provider.GlobalStopListeningProvider;
import io.weir.api.provider.HttpApplicationProvider;
import io.weir.api.provider.PreBeginRequestProvider;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.EffectiveConfig;
import io.weir.config.GlobalModuleEntry;
import io.weir.config.SiteConfig;
import io.weir.core.context.EngineRuntime;
import io.weir.core.context.RequestContext;
import io.weir.core.context.UrlPath;
import io.weir.core.module.ModuleLoader;
import io.weir.core.module.RegisteredModule;
import io.weir.core.pipeline.PipelineObserver;
import io.weir.core.pipeline.PipelinePlan;
import io.weir.core.site.ServedApplication;
import io.weir.core.site.ServedSite;
import io.weir.core.site.SiteRouter;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.ResponseHead;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
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
public final class WeirEngine implements AutoCloseable, EngineRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(WeirEngine.class);

    /** IIS's configuration path of applicationHost.config, what GL_CONFIGURATION_CHANGE names for it. */
    public static final String APPHOST_CONFIG_PATH = "MACHINE/WEBROOT/APPHOST";

    private final EngineServices services = new EngineServices(this);
    private final GlobalEvents events = new GlobalEvents(this);
    private final AtomicBoolean stoppedListening = new AtomicBoolean();
    private volatile EngineGeneration current;
    /** Generations not yet released: the current one and those still draining. */
    private final Set<EngineGeneration> live = ConcurrentHashMap.newKeySet();
    /** How many live generations hold each loaded module; guarded by {@link #lifecycle}. */
    private final Map<RegisteredModule, Integer> holders = new IdentityHashMap<>();
    /** What each retired generation must still do when released: its applications to stop. */
    private final Map<EngineGeneration, List<ServedApplication>> stopOnRelease = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong eventLoopOverruns = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.LongAdder requestsEnded = new java.util.concurrent.atomic.LongAdder();
    private int generations;
    private final PipelineObserver observer;

    private WeirEngine(ApplicationHostConfig config, PipelineObserver observer) {
        this.observer = observer;
        Build build = build(config, null);
        synchronized (lifecycle) {
            install(build.generation());
        }
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
        for (String unsupported : config.unsupportedSections()) {
            LOG.info("section {} is declared but not implemented by Weir; its settings are ignored", unsupported);
        }
        EngineGeneration g = engine.current;
        reportUnavailable(g);
        g.resolveModules();
        List<ServedApplication> apps = new ArrayList<>();
        for (ServedSite site : g.router.sites()) {
            for (ServedApplication app : site.applications()) {
                raiseApplication(g, GlobalNotification.APPLICATION_START, app);
                apps.add(app);
            }
        }
        ApplicationPreload.run(engine, g, apps, false);
        engine.events.schedule(PeriodicSettings.fromSystemProperties());
        return engine;
    }

    /** Lists, once, the modules with no implementation and the server-level handlers skipped for them. */
    private static void reportUnavailable(EngineGeneration g) {
        if (g.unavailable.isEmpty()) {
            return;
        }
        LOG.warn("{} modules have no Weir implementation and are not loaded: {}", g.unavailable.size(),
                String.join(", ", g.unavailable));
        List<String> skipped = new ArrayList<>();
        for (io.weir.api.config.ConfigElement add
                : g.config.appHostConfig("", "/").section("system.webServer/handlers").collection()) {
            for (String module : add.stringAttribute("modules", "").split(",")) {
                if (g.unavailable.contains(module.strip())) {
                    skipped.add(add.stringAttribute("name", "?") + " (" + module.strip() + ")");
                    break;
                }
            }
        }
        if (!skipped.isEmpty()) {
            LOG.warn("{} handler mappings need an unavailable module and are skipped: {}", skipped.size(),
                    String.join(", ", skipped));
        }
    }

    private static Path baseDirectory(ApplicationHostConfig config) {
        try {
            Path file = Path.of(config.fileLabel());
            if (Files.isRegularFile(file)) {
                return file.toAbsolutePath().getParent();
            }
        } catch (RuntimeException e) {
            LOG.debug("configuration label {} is not a path", config.fileLabel());
        }
        return Path.of("").toAbsolutePath();
    }

    /** A generation built but not yet installed, with the modules it loaded afresh. */
    private record Build(EngineGeneration generation, List<RegisteredModule> fresh) {
    }

    /**
     * Builds a generation: routes first (a bad binding refuses the configuration before any module
     * is loaded), then modules, reusing from {@code previous} every loaded module whose
     * {@code <globalModules>} entry has the same name, image, type and preCondition.
     */
    private Build build(ApplicationHostConfig config, EngineGeneration previous) {
        SiteRouter router = new SiteRouter(config.sites(), previous == null ? null : previous.router);
        Map<String, GlobalModuleEntry> previousEntries = new LinkedHashMap<>();
        if (previous != null) {
            for (GlobalModuleEntry e : previous.config.globalModules()) {
                previousEntries.put(e.name(), e);
            }
        }
        ModuleLoader loader = new ModuleLoader(services, baseDirectory(config));
        List<LoadedModule> described = new ArrayList<>();
        Map<String, RegisteredModule> loaded = new LinkedHashMap<>();
        List<RegisteredModule> fresh = new ArrayList<>();
        for (GlobalModuleEntry entry : config.globalModules()) {
            GlobalModuleEntry before = previousEntries.get(entry.name());
            boolean unchanged = before != null && sameModule(before, entry);
            RegisteredModule kept = unchanged ? previous.loaded.get(entry.name()) : null;
            if (kept != null) {
                described.add(previous.described.stream().filter(d -> d.name().equals(entry.name()))
                        .findFirst().orElseThrow());
                loaded.put(kept.name(), kept);
                continue;
            }
            ModuleLoader.Outcome outcome = loader.loadAll(List.of(entry)).get(0);
            if (previous != null && outcome.module() == null && !outcome.unavailable() && !unchanged) {
                fresh.forEach(WeirEngine::terminate);
                throw new ReloadRefusedException(entry.source(), "module '" + entry.name() + "' ("
                        + outcome.description().origin() + ") cannot be loaded: "
                        + outcome.description().failure().orElse("?"));
            }
            described.add(outcome.description());
            if (outcome.module() != null) {
                loaded.put(outcome.module().name(), outcome.module());
                fresh.add(outcome.module());
            }
        }
        int number;
        synchronized (lifecycle) {
            number = ++generations;
        }
        return new Build(new EngineGeneration(this, number, config, described, loaded, router), fresh);
    }

    private static boolean sameModule(GlobalModuleEntry a, GlobalModuleEntry b) {
        return a.name().equals(b.name()) && a.image().equals(b.image()) && a.type().equals(b.type())
                && a.preCondition().equals(b.preCondition());
    }

    /** Makes a built generation current; the caller holds {@link #lifecycle}. */
    private void install(EngineGeneration g) {
        for (RegisteredModule m : g.loaded.values()) {
            holders.merge(m, 1, Integer::sum);
        }
        live.add(g);
        current = g;
    }

    /**
     * What a {@link #reload} changed.
     *
     * @param generation          the number of the generation now serving (1 is the first)
     * @param addedModules        {@code <globalModules>} entries loaded afresh (new, or changed)
     * @param removedModules      entries of the previous generation not kept (gone, or changed); their
     *                            factories and global modules are terminated once the previous
     *                            generation's requests have ended
     * @param startedApplications applications that received APPLICATION_START ("site/path")
     * @param stoppedApplications applications that receive APPLICATION_STOP when the previous
     *                            generation's requests have ended
     * @param listenersBefore     the listen addresses the previous generation asked for
     * @param listenersAfter      the listen addresses the new generation asks for
     */
    public record ReloadOutcome(int generation, List<String> addedModules, List<String> removedModules,
            List<String> startedApplications, List<String> stoppedApplications, List<Listener> listenersBefore,
            List<Listener> listenersAfter) {

        /** @return true when the set of listen addresses differs */
        public boolean listenersChanged() {
            return !Set.copyOf(listenersBefore).equals(Set.copyOf(listenersAfter));
        }
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
        Objects.requireNonNull(config, "config");
        synchronized (this) {
            if (closed.get()) {
                throw new IllegalStateException("the engine is closed");
            }
            EngineGeneration previous = current;
            Build build = build(config, previous);
            EngineGeneration next = build.generation();

            Map<String, ServedApplication> before = applications(previous);
            Map<String, ServedApplication> after = applications(next);
            List<ServedApplication> started = after.entrySet().stream()
                    .filter(e -> !before.containsKey(e.getKey())).map(Map.Entry::getValue).toList();
            List<ServedApplication> stopped = before.entrySet().stream()
                    .filter(e -> !after.containsKey(e.getKey())).map(Map.Entry::getValue).toList();
            next.resolveModules();
            for (ServedApplication app : started) {
                raiseApplication(next, GlobalNotification.APPLICATION_START, app);
            }
            synchronized (lifecycle) {
                install(next);
                if (!stopped.isEmpty()) {
                    stopOnRelease.put(previous, stopped);
                }
            }
            previous.retire();
            ApplicationPreload.run(this, next, started, true);
            for (String unsupported : config.unsupportedSections()) {
                if (!previous.config.unsupportedSections().contains(unsupported)) {
                    LOG.info("section {} is declared but not implemented by Weir; its settings are ignored",
                            unsupported);
                }
            }
            notifyConfigurationChange(APPHOST_CONFIG_PATH);
            List<String> removed = previous.loaded.values().stream()
                    .filter(m -> next.loaded.get(m.name()) != m).map(RegisteredModule::name).toList();
            return new ReloadOutcome(next.number, build.fresh().stream().map(RegisteredModule::name).toList(),
                    removed, started.stream().map(ServedApplication::toString).toList(),
                    stopped.stream().map(ServedApplication::toString).toList(), previous.router.listeners(),
                    next.router.listeners());
        }
    }

    private static Map<String, ServedApplication> applications(EngineGeneration g) {
        Map<String, ServedApplication> apps = new LinkedHashMap<>();
        for (ServedSite site : g.router.sites()) {
            for (ServedApplication app : site.applications()) {
                apps.put(app.definitionKey(), app);
            }
        }
        return apps;
    }

    /**
     * Called once per retired generation when its last request has ended (on that request's
     * thread): raises APPLICATION_STOP for the applications the reload removed and terminates the
     * modules no live generation holds any more. The work runs on the blocking executor, never on
     * an event loop.
     */
    void released(EngineGeneration g) {
        Runnable work = () -> {
            List<ServedApplication> stop = stopOnRelease.remove(g);
            if (stop != null) {
                for (ServedApplication app : stop) {
                    raiseApplication(g, GlobalNotification.APPLICATION_STOP, app);
                }
            }
            List<RegisteredModule> unused = new ArrayList<>();
            synchronized (lifecycle) {
                if (!live.remove(g)) {
                    return;
                }
                for (RegisteredModule m : g.loaded.values()) {
                    Integer left = holders.merge(m, -1, Integer::sum);
                    if (left != null && left <= 0) {
                        holders.remove(m);
                        unused.add(m);
                    }
                }
            }
            for (RegisteredModule m : g.addedModules()) {
                terminate(m);
            }
            for (RegisteredModule m : unused) {
                LOG.info("module '{}' is no longer configured and its last request has ended; terminating it",
                        m.name());
                terminate(m);
            }
            LOG.debug("{} drained and released", g);
        };
        try {
            services.blockingExecutor().execute(work);
        } catch (RejectedExecutionException e) {
            work.run();
        }
    }

    /** @return the configuration the current generation serves */
    public ApplicationHostConfig config() {
        return current.config;
    }

    /** @return the number of the generation serving new requests: 1 at start, one more per {@link #reload} */
    public int generation() {
        return current.number;
    }

    /** @return the distinct addresses to listen on, from the started sites' bindings of the current generation */
    public List<Listener> listeners() {
        return current.router.listeners();
    }

    /** @return every {@code <globalModules>} entry of the current generation with its load outcome, in order */
    public List<LoadedModule> modules() {
        return current.described;
    }

    /**
     * Runs one request through the pipeline of the current generation, which the request keeps to
     * its end. Returns when the request is done or parked; the response goes out through
     * {@link Exchange#write}.
     *
     * @param exchange the request, on its event loop
     */
    public void handle(Exchange exchange) {
        EngineGeneration g = current;
        while (!g.tryEnter()) {
            g = current;
        }
        String[] target = UrlPath.split(exchange.rawUri());
        String path = target == null ? null : UrlPath.normalize(target[0]);
        if (path == null) {
            answerDirectly(g, exchange, 400, "Bad Request", "Bad Request - Invalid URL");
            return;
        }
        SiteRouter router = g.router;
        ServedSite site = router.route(exchange.localAddress(),
                router.needsHostHeader() ? exchange.requestHeaders().get("Host") : null);
        if (site == null) {
            answerDirectly(g, exchange, 400, "Bad Request", "Bad Request - Invalid Hostname");
            return;
        }
        run(g, exchange, site, path, target[1]);
    }

    /**
     * Runs a request the server makes itself (an application preload) on a known site, on the
     * current generation; the exchange's event loop is the calling thread.
     */
    void handle(Exchange exchange, ServedSite site) {
        EngineGeneration g = current;
        while (!g.tryEnter()) {
            g = current;
        }
        String[] target = UrlPath.split(exchange.rawUri());
        String path = target == null ? null : UrlPath.normalize(target[0]);
        if (path == null) {
            answerDirectly(g, exchange, 400, "Bad Request", "Bad Request - Invalid URL");
            return;
        }
        run(g, exchange, site, path, target[1]);
    }

    private void run(EngineGeneration g, Exchange exchange, ServedSite site, String path, String query) {
        RequestContext context = RequestContext.create(g, exchange, site, path, query);
        try {
            raisePreBeginRequest(g, context);
            context.run();
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            LOG.error("the engine failed on {}; the connection is dropped", context.describe(), e);
            exchange.abort();
            if (context.pipeline() != null) {
                context.pipeline().abandon();
            }
            if (context.pipeline() == null || !context.pipeline().isDone()) {
                g.exit();
            }
        }
    }

    /** http.sys-style answers for requests that never reach a site's pipeline. */
    private void answerDirectly(EngineGeneration g, Exchange exchange, int status, String reason, String text) {
        byte[] body = ("<!DOCTYPE html><html><head><title>" + text + "</title></head><body><h2>" + text
                + "</h2><hr><p>HTTP Error " + status + ".</p></body></html>\n").getBytes(StandardCharsets.UTF_8);
        try {
            exchange.write(new ResponseHead(status, reason, List.of(Map.entry("Content-Type", "text/html; charset=us-ascii"),
                    Map.entry("Server", EngineServices.SERVER_SOFTWARE)), body.length, true),
                    exchange.method().equals("HEAD") ? List.of() : List.of(DataChunk.ofBytes(body)), true);
        } finally {
            g.exit();
            observeRequestEnded(exchange, null);
        }
    }

    private static void raisePreBeginRequest(EngineGeneration g, RequestContext context) {
        RegisteredModule[] modules = g.globals.get(GlobalNotification.PRE_BEGIN_REQUEST);
        if (modules.length == 0) {
            return;
        }
        PreBeginRequestProvider provider = new PreBeginRequestProvider() {
            @Override
            public HttpContext httpContext() {
                return context;
            }

            @Override
            public void finishRequest() {
                context.finishBeforeBegin();
            }
        };
        for (RegisteredModule m : modules) {
            try {
                if (m.globalModule().onGlobalPreBeginRequest(provider) == GlobalNotificationStatus.HANDLED) {
                    return;
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.error("global module '{}' threw in PRE_BEGIN_REQUEST for {}", m.name(), context.describe(), e);
                context.recordError(m.name(), RequestNotification.BEGIN_REQUEST, false);
                context.failResponse(e);
                context.finishBeforeBegin();
                return;
            }
        }
    }

    private static void raiseApplication(EngineGeneration g, GlobalNotification n, ServedApplication app) {
        HttpApplicationProvider provider = () -> app;
        raiseGlobal(g, n, m -> n == GlobalNotification.APPLICATION_START
                ? m.onGlobalApplicationStart(provider) : m.onGlobalApplicationStop(provider));
        if (n == GlobalNotification.APPLICATION_STOP) {
            // the application is gone: its stored contexts are cleaned up (IHttpStoredContext::CleanupStoredContext)
            ((io.weir.core.context.ContextContainer) app.moduleContextContainer()).cleanup();
        }
    }

    /**
     * Delivers a global notification to the generation's global modules that registered it, in
     * priority then {@code <globalModules>} order; the first HANDLED stops the rest (iis-native-api.md
     * §2.4). Every global raise site but PRE_BEGIN_REQUEST (which also ends the request on an
     * exception) goes through here. A module that throws is logged and the next one runs.
     *
     * @return HANDLED when a module handled it, else CONTINUE
     */
    static GlobalNotificationStatus raiseGlobal(EngineGeneration g, GlobalNotification n,
            Function<GlobalModule, GlobalNotificationStatus> call) {
        for (RegisteredModule m : g.globals.get(n)) {
            try {
                if (call.apply(m.globalModule()) == GlobalNotificationStatus.HANDLED) {
                    return GlobalNotificationStatus.HANDLED;
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.error("global module '{}' threw in {}", m.name(), n, e);
            }
        }
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Raises GL_CUSTOM_NOTIFICATION on the current generation ({@code IHttpServer::NotifyCustomNotification}).
     *
     * @param provider the notification
     * @return HANDLED when a global module handled it
     */
    GlobalNotificationStatus notifyCustomNotification(io.weir.api.provider.CustomNotificationProvider provider) {
        Objects.requireNonNull(provider, "provider");
        return raiseGlobal(current, GlobalNotification.CUSTOM_NOTIFICATION, m -> m.onGlobalCustomNotification(provider));
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
        EngineGeneration g = current;
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
        raiseGlobal(current, GlobalNotification.CONFIGURATION_CHANGE, m -> m.onGlobalConfigurationChange(provider));
    }

    /**
     * Raises GL_FILE_CHANGE on the global modules of the current generation that registered it, as
     * IIS's {@code IHttpServer::NotifyFileChange} does. Runs on the caller's thread.
     *
     * @param file the absolute path of the file that changed (created, modified or deleted)
     */
    public void notifyFileChange(Path file) {
        Objects.requireNonNull(file, "file");
        Path absolute = file.toAbsolutePath();
        GlobalFileChangeProvider provider = () -> absolute;
        raiseGlobal(current, GlobalNotification.FILE_CHANGE, m -> m.onGlobalFileChange(provider));
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
        Path f = folder.toAbsolutePath().normalize();
        String best = null;
        int bestDepth = -1;
        for (ServedSite site : current.router.sites()) {
            for (SiteConfig.ApplicationConfig app : site.config().applications()) {
                for (SiteConfig.VirtualDirectoryConfig vd : app.virtualDirectories()) {
                    Path root = vd.physicalPath().toAbsolutePath().normalize();
                    if (f.startsWith(root) && root.getNameCount() > bestDepth) {
                        String url = joinUrl(joinUrl(app.path(), vd.path()), root.relativize(f).toString());
                        best = APPHOST_CONFIG_PATH + "/" + site.siteName() + (url.equals("/") ? "" : url);
                        bestDepth = root.getNameCount();
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static String joinUrl(String a, String b) {
        String left = a.replace('\\', '/');
        String right = b.replace('\\', '/');
        while (left.endsWith("/")) {
            left = left.substring(0, left.length() - 1);
        }
        while (right.startsWith("/")) {
            right = right.substring(1);
        }
        return right.isEmpty() ? (left.isEmpty() ? "/" : left) : left + "/" + right;
    }

    /**
     * Returns how many module notification calls have held an event loop longer than the budget
     * since the engine started, as detected by {@link io.weir.core.pipeline.EventLoopWatchdog}
     * (system property {@value io.weir.core.pipeline.EventLoopWatchdog#BUDGET_PROPERTY}, default
     * {@value io.weir.core.pipeline.EventLoopWatchdog#DEFAULT_BUDGET_MILLIS} ms). Each overrun is
     * also logged (rate-limited). A healthy server keeps this at 0: a module that must block returns
     * PENDING or declares the notification blocking. Thread-safe.
     *
     * @return the count of overruns, over every generation
     */
    public long eventLoopOverruns() {
        return eventLoopOverruns.get();
    }

    @Override
    public RegisteredModule[] globalModules(GlobalNotification n) {
        return current.globals.get(n);
    }

    @Override
    public java.util.concurrent.atomic.AtomicLong eventLoopOverrunCounter() {
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
     */
    public record RuntimeStatus(int generation, int requestsInFlight, long requestsEnded, long eventLoopOverruns,
            long budgetMillis) {
    }

    /** @return the runtime status now; thread-safe */
    public RuntimeStatus runtimeStatus() {
        return new RuntimeStatus(generation(), requestsInFlight(), requestsEnded(), eventLoopOverruns(),
                io.weir.core.pipeline.EventLoopWatchdog.budget().toMillis());
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
    public List<io.weir.core.pipeline.ExecutingRequests.Snapshot> executingRequests(java.time.Duration timeout) {
        return io.weir.core.pipeline.ExecutingRequests.snapshot(eventLoopOverruns, timeout.toNanos(),
                java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * Returns how many requests have ended since the engine started: answered by the pipeline,
     * answered directly (http.sys-style 400s), or dropped after an engine failure. Each request is
     * counted once, when it leaves its generation. Thread-safe.
     *
     * @return the count
     */
    public long requestsEnded() {
        return requestsEnded.sum();
    }

    /** Counts one request out; called by a generation for each request that leaves it. */
    void countEnded() {
        requestsEnded.increment();
    }

    /** @return the generation serving new requests */
    EngineGeneration currentGeneration() {
        return current;
    }

    /** @return the engine's own global notifications (timer, health, RSCA, cache operations) */
    GlobalEvents events() {
        return events;
    }

    /** @return the server's file cache */
    io.weir.core.context.FileCache fileCache() {
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
        for (EngineGeneration g : live) {
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
        raiseGlobal(current, GlobalNotification.STOP_LISTENING, m -> m.onGlobalStopListening(provider));
    }

    /**
     * Shuts the engine down in IIS's order: GL_STOP_LISTENING (unless {@link #stopListening} already
     * raised it; then with {@code drainRequestsGracefully() == false}), the periodic notifications
     * stop, APPLICATION_STOP for the applications of the current generation and of the retired ones
     * not yet released, GL_CACHE_CLEANUP (the caches are purged before termination), and last
     * {@code terminate()} on every factory and global module still held (IIS's {@code Terminate}).
     * Idempotent.
     */
    @Override
    public void close() {
        List<RegisteredModule> all;
        synchronized (this) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            if (!stoppedListening.get()) {
                stopListening(false);
            }
            events.close();
            EngineGeneration g = current;
            for (ServedSite site : g.router.sites()) {
                for (ServedApplication app : site.applications()) {
                    raiseApplication(g, GlobalNotification.APPLICATION_STOP, app);
                }
            }
            for (Map.Entry<EngineGeneration, List<ServedApplication>> e : stopOnRelease.entrySet()) {
                for (ServedApplication app : e.getValue()) {
                    raiseApplication(e.getKey(), GlobalNotification.APPLICATION_STOP, app);
                }
            }
            stopOnRelease.clear();
            for (ServedSite site : g.router.sites()) {
                ((io.weir.core.context.ContextContainer) site.moduleContextContainer()).cleanup();
            }
            services.fileCache().clear();
            events.cacheCleanupNow();
            synchronized (lifecycle) {
                all = new ArrayList<>(holders.keySet());
                for (EngineGeneration live1 : live) {
                    all.addAll(live1.addedModules());
                }
                holders.clear();
                live.clear();
            }
        }
        for (RegisteredModule m : all) {
            terminate(m);
        }
        services.shutdown();
        LOG.debug("engine closed: {} requests ended, {} event-loop overruns (budget {} ms), generation {}",
                requestsEnded(), eventLoopOverruns(), io.weir.core.pipeline.EventLoopWatchdog.budget().toMillis(),
                current.number);
    }

    private static void terminate(RegisteredModule m) {
        if (m.factory() != null) {
            try {
                m.factory().terminate();
            } catch (RuntimeException | LinkageError e) {
                LOG.error("the factory of module '{}' threw from terminate()", m.name(), e);
            }
        }
        if (m.globalModule() != null) {
            try {
                m.globalModule().terminate();
            } catch (RuntimeException | LinkageError e) {
                LOG.error("global module '{}' threw from terminate()", m.name(), e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // EngineRuntime, for tools that inspect the current generation (weir explain)
    // ---------------------------------------------------------------------------------------------

    @Override
    public HttpServer server() {
        return services;
    }

    @Override
    public EffectiveConfig effectiveConfig(ServedSite site, String urlPath) {
        return current.effectiveConfig(site, urlPath);
    }

    @Override
    public PipelinePlan plan(EffectiveConfig effective) {
        return current.plan(effective);
    }

    @Override
    public <T> T bind(EffectiveConfig effective, ConfigSectionType<T> type) {
        return current.bind(effective, type);
    }

    /** Not used: requests run on a generation, which counts them. */
    @Override
    public void requestEnded(RequestContext context) {
        throw new IllegalStateException("requests end on their generation");
    }

    @Override
    public PipelineObserver observer() {
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
