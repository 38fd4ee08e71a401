package io.weir.core;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpServer;
import io.weir.api.RequestNotification;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.http.HttpContext;
import io.weir.api.HttpModuleFactory;
import io.weir.api.http.DataChunk;
import io.weir.api.provider.GlobalStopListeningProvider;
import io.weir.api.provider.HttpApplicationProvider;
import io.weir.api.provider.PreBeginRequestProvider;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.EffectiveConfig;
import io.weir.core.context.EngineRuntime;
import io.weir.core.context.RequestContext;
import io.weir.core.context.UrlPath;
import io.weir.core.module.ModuleLoader;
import io.weir.core.module.RegisteredModule;
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
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline engine of one server: loads the modules of a configuration, routes each request to
 * its site and application, and runs the integrated pipeline. Thread-safe; {@link #handle} is
 * called on the connection's event loop and runs the request there without blocking.
 *
 * <p>Raised global notifications in this version: PRE_BEGIN_REQUEST (each request, before
 * BEGIN_REQUEST), APPLICATION_START (for every application of the started sites, when the engine
 * starts — IIS's "AlwaysRunning" start mode rather than on first request), APPLICATION_STOP and
 * STOP_LISTENING (at shutdown).
 */
public final class WeirEngine implements AutoCloseable, EngineRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(WeirEngine.class);

    private record PlanEntry(PipelinePlan plan, ConcurrentHashMap<ConfigSectionType<?>, Object> bound) {
    }

    private final ApplicationHostConfig config;
    private final EngineServices services = new EngineServices();
    private final List<LoadedModule> described = new ArrayList<>();
    private final Map<String, RegisteredModule> loaded = new LinkedHashMap<>();
    private final EnumMap<GlobalNotification, RegisteredModule[]> globals = new EnumMap<>(GlobalNotification.class);
    private final SiteRouter router;
    private final java.util.Set<String> unavailable = new java.util.LinkedHashSet<>();
    private final Object planLock = new Object();
    private volatile Map<EffectiveConfig, PlanEntry> plans = new IdentityHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private WeirEngine(ApplicationHostConfig config) {
        this.config = config;
        ModuleLoader loader = new ModuleLoader(services, baseDirectory(config));
        for (ModuleLoader.Outcome outcome : loader.loadAll(config.globalModules())) {
            described.add(outcome.description());
            if (outcome.module() != null) {
                loaded.put(outcome.module().name(), outcome.module());
            } else if (outcome.description().origin().startsWith("unavailable")) {
                unavailable.add(outcome.description().name());
            }
        }
        for (GlobalNotification n : GlobalNotification.values()) {
            globals.put(n, loaded.values().stream()
                    .filter(m -> m.globalModule() != null && m.globalNotifications().contains(n))
                    .sorted(Comparator.comparingInt(m -> m.globalPriority(n).ordinal()))
                    .toArray(RegisteredModule[]::new));
        }
        this.router = new SiteRouter(config.sites());
    }

    /**
     * Loads every module of the configuration (calling each registration once) and prepares the
     * sites. A module whose registration fails is reported and left out.
     *
     * @param config the configuration
     * @return the engine
     */
    public static WeirEngine start(ApplicationHostConfig config) {
        WeirEngine engine = new WeirEngine(config);
        for (String unsupported : config.unsupportedSections()) {
            LOG.info("section {} is declared but not implemented by Weir; its settings are ignored", unsupported);
        }
        engine.reportUnavailable();
        for (ServedSite site : engine.router.sites()) {
            for (ServedApplication app : site.applications()) {
                engine.raiseApplication(GlobalNotification.APPLICATION_START, app);
            }
        }
        return engine;
    }

    /** Lists, once, the modules with no implementation and the server-level handlers skipped for them. */
    private void reportUnavailable() {
        if (unavailable.isEmpty()) {
            return;
        }
        LOG.warn("{} modules have no Weir implementation and are not loaded: {}", unavailable.size(),
                String.join(", ", unavailable));
        List<String> skipped = new ArrayList<>();
        for (io.weir.api.config.ConfigElement add
                : config.appHostConfig("", "/").section("system.webServer/handlers").collection()) {
            String modules = add.stringAttribute("modules", "");
            for (String module : modules.split(",")) {
                if (unavailable.contains(module.strip())) {
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

    /** @return the configuration this engine serves */
    public ApplicationHostConfig config() {
        return config;
    }

    /** @return the distinct addresses to listen on, from the started sites' bindings */
    public List<Listener> listeners() {
        return router.listeners();
    }

    /** @return every {@code <globalModules>} entry with its load outcome, in order */
    public List<LoadedModule> modules() {
        return List.copyOf(described);
    }

    /**
     * Runs one request through the pipeline. Returns when the request is done or parked; the
     * response goes out through {@link Exchange#write}.
     *
     * @param exchange the request, on its event loop
     */
    public void handle(Exchange exchange) {
        inFlight.incrementAndGet();
        String[] target = UrlPath.split(exchange.rawUri());
        String path = target == null ? null : UrlPath.normalize(target[0]);
        if (path == null) {
            answerDirectly(exchange, 400, "Bad Request", "Bad Request - Invalid URL");
            return;
        }
        ServedSite site = router.route(exchange.localAddress(),
                router.needsHostHeader() ? exchange.requestHeaders().get("Host") : null);
        if (site == null) {
            answerDirectly(exchange, 400, "Bad Request", "Bad Request - Invalid Hostname");
            return;
        }
        RequestContext context = RequestContext.create(this, exchange, site, path, target[1]);
        try {
            raisePreBeginRequest(context);
            context.run();
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            LOG.error("the engine failed on {}; the connection is dropped", context.describe(), e);
            exchange.abort();
            if (context.pipeline() == null || !context.pipeline().isDone()) {
                inFlight.decrementAndGet();
            }
        }
    }

    /** http.sys-style answers for requests that never reach a site's pipeline. */
    private void answerDirectly(Exchange exchange, int status, String reason, String text) {
        byte[] body = ("<!DOCTYPE html><html><head><title>" + text + "</title></head><body><h2>" + text
                + "</h2><hr><p>HTTP Error " + status + ".</p></body></html>\n").getBytes(StandardCharsets.UTF_8);
        exchange.write(new ResponseHead(status, reason, List.of(Map.entry("Content-Type", "text/html; charset=us-ascii"),
                Map.entry("Server", EngineServices.SERVER_SOFTWARE)), body.length, true),
                exchange.method().equals("HEAD") ? List.of() : List.of(DataChunk.ofBytes(body)), true);
        inFlight.decrementAndGet();
    }

    private void raisePreBeginRequest(RequestContext context) {
        RegisteredModule[] modules = globals.get(GlobalNotification.PRE_BEGIN_REQUEST);
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

    private void raiseApplication(GlobalNotification n, ServedApplication app) {
        HttpApplicationProvider provider = () -> app;
        raiseGlobal(n, m -> n == GlobalNotification.APPLICATION_START
                ? m.onGlobalApplicationStart(provider) : m.onGlobalApplicationStop(provider));
    }

    private void raiseGlobal(GlobalNotification n, Function<GlobalModule, GlobalNotificationStatus> call) {
        for (RegisteredModule m : globals.get(n)) {
            try {
                if (call.apply(m.globalModule()) == GlobalNotificationStatus.HANDLED) {
                    return;
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.error("global module '{}' threw in {}", m.name(), n, e);
            }
        }
    }

    /** @return the number of requests started and not yet ended */
    public int requestsInFlight() {
        return inFlight.get();
    }

    /**
     * Raises GL_STOP_LISTENING; the transport stops accepting before calling it.
     *
     * @param drainGracefully true when requests in flight may finish
     */
    public void stopListening(boolean drainGracefully) {
        GlobalStopListeningProvider provider = () -> drainGracefully;
        raiseGlobal(GlobalNotification.STOP_LISTENING, m -> m.onGlobalStopListening(provider));
    }

    /** Raises APPLICATION_STOP, terminates every factory and global module. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (ServedSite site : router.sites()) {
            for (ServedApplication app : site.applications()) {
                raiseApplication(GlobalNotification.APPLICATION_STOP, app);
            }
        }
        for (RegisteredModule m : loaded.values()) {
            terminate(m.name(), m.factory());
            if (m.globalModule() != null) {
                try {
                    m.globalModule().terminate();
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("global module '{}' threw from terminate()", m.name(), e);
                }
            }
        }
        services.shutdown();
    }

    private static void terminate(String name, HttpModuleFactory factory) {
        if (factory == null) {
            return;
        }
        try {
            factory.terminate();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("the factory of module '{}' threw from terminate()", name, e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // EngineRuntime
    // ---------------------------------------------------------------------------------------------

    @Override
    public HttpServer server() {
        return services;
    }

    @Override
    public EffectiveConfig effectiveConfig(ServedSite site, String urlPath) {
        return config.effectiveConfig(site.siteName(), urlPath);
    }

    @Override
    public PipelinePlan plan(EffectiveConfig effective) {
        return entry(effective).plan();
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
                entry = new PlanEntry(new PipelinePlan(effective, loaded, unavailable, warnings), new ConcurrentHashMap<>());
                warnings.forEach(LOG::warn);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("compiled pipeline:\n{}", entry.plan().describe());
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

    @Override
    public void requestEnded(RequestContext context) {
        inFlight.decrementAndGet();
    }
}
