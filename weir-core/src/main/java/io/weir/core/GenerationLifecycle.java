package io.weir.core;

import static io.weir.core.GlobalNotifications.raiseApplication;

import io.weir.api.GlobalNotification;
import io.weir.api.config.ConfigElement;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.GlobalModuleEntry;
import io.weir.core.internal.module.ModuleLoader;
import io.weir.core.internal.module.RegisteredModule;
import io.weir.core.internal.pipeline.EventLoopWatchdog;
import io.weir.core.internal.site.ConfigPaths;
import io.weir.core.internal.site.ServedApplication;
import io.weir.core.internal.site.ServedSite;
import io.weir.core.internal.site.SiteLimits;
import io.weir.core.internal.site.SiteRouter;
import io.weir.core.internal.stored.ContextContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life cycle of an engine's generations: build (sites first, then modules, reusing unchanged
 * ones), install (the new generation becomes current with one volatile write), reload, release (a
 * retired generation whose last request has ended stops its removed applications and terminates
 * the modules nobody holds any more) and termination at close. Build, install, reload and close
 * run on the caller's thread, serialized on one lock, never on an event loop; release runs on the
 * blocking executor. The request path only reads {@link #current()}.
 */
final class GenerationLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(GenerationLifecycle.class);

    private final WeirEngine engine;

    /**
     * Starts the first generation: reports unsupported sections and unavailable modules, resolves
     * the applications' modules, raises APPLICATION_START for each application, preloads those
     * that ask for it and schedules the periodic global events.
     */
    void startFirst(ApplicationHostConfig config) {
        for (String unsupported : config.unsupportedSections()) {
            LOG.info("section {} is declared but not implemented by Weir; its settings are ignored", unsupported);
        }
        EngineGeneration g = engine.currentGeneration();
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
        engine.events().schedule(PeriodicSettings.fromSystemProperties());
    }

    private final EngineServices services;
    private volatile EngineGeneration current;
    /** Generations not yet released: the current one and those still draining. */
    private final Set<EngineGeneration> live = ConcurrentHashMap.newKeySet();
    /** How many live generations hold each loaded module; guarded by {@link #lifecycle}. */
    private final Map<RegisteredModule, Integer> holders = new IdentityHashMap<>();
    /** What each retired generation must still do when released: its applications to stop. */
    private final Map<EngineGeneration, List<ServedApplication>> stopOnRelease = new ConcurrentHashMap<>();

    private final Object lifecycle = new Object();
    /** Serializes reload and close. */
    private final Object serial = new Object();

    private final AtomicBoolean closed = new AtomicBoolean();
    private int generations;

    GenerationLifecycle(WeirEngine engine, EngineServices services) {
        this.engine = engine;
        this.services = services;
    }

    /** Builds and installs the first generation. */
    void installFirst(ApplicationHostConfig config) {
        Build build = build(config, null);
        synchronized (lifecycle) {
            install(build.generation());
        }
    }

    /** @return the generation serving new requests (one volatile read) */
    EngineGeneration current() {
        return current;
    }

    /** @return the generations not yet released */
    Set<EngineGeneration> live() {
        return live;
    }

    /** Lists, once, the modules with no implementation and the server-level handlers skipped for them. */
    static void reportUnavailable(EngineGeneration g) {
        if (g.unavailable.isEmpty()) {
            return;
        }
        LOG.warn(
                "{} modules have no Weir implementation and are not loaded: {}",
                g.unavailable.size(),
                String.join(", ", g.unavailable));
        List<String> skipped = new ArrayList<>();
        for (ConfigElement add : g.config
                .appHostConfig("", "/")
                .section("system.webServer/handlers")
                .collection()) {
            for (String module : add.stringAttribute("modules", "").split(",")) {
                if (g.unavailable.contains(module.strip())) {
                    skipped.add(add.stringAttribute("name", "?") + " (" + module.strip() + ")");
                    break;
                }
            }
        }
        if (!skipped.isEmpty()) {
            LOG.warn(
                    "{} handler mappings need an unavailable module and are skipped: {}",
                    skipped.size(),
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
    private record Build(EngineGeneration generation, List<RegisteredModule> fresh) {}

    /**
     * Builds a generation: routes first (a bad binding refuses the configuration before any module
     * is loaded), then modules, reusing from {@code previous} every loaded module whose
     * {@code <globalModules>} entry has the same name, image, type and preCondition.
     */
    private Build build(ApplicationHostConfig config, EngineGeneration previous) {
        SiteRouter router = new SiteRouter(config.sites(), previous == null ? null : previous.router);
        SiteLimits.apply(config, router);
        Map<String, GlobalModuleEntry> previousEntries = new LinkedHashMap<>();
        if (previous != null) {
            for (GlobalModuleEntry e : previous.config.globalModules()) {
                previousEntries.put(e.name(), e);
            }
        }
        ModuleLoader loader = new ModuleLoader(services, baseDirectory(config));
        List<GlobalModuleStatus> described = new ArrayList<>();
        Map<String, RegisteredModule> loaded = new LinkedHashMap<>();
        List<RegisteredModule> fresh = new ArrayList<>();
        for (GlobalModuleEntry entry : config.globalModules()) {
            GlobalModuleEntry before = previousEntries.get(entry.name());
            boolean unchanged = before != null && sameModule(before, entry);
            RegisteredModule kept = unchanged ? previous.loaded.get(entry.name()) : null;
            if (kept != null) {
                described.add(previous.described.stream()
                        .filter(d -> d.name().equals(entry.name()))
                        .findFirst()
                        .orElseThrow());
                loaded.put(kept.name(), kept);
                continue;
            }
            ModuleLoader.Outcome outcome = loader.loadAll(List.of(entry)).get(0);
            if (previous != null && outcome.module() == null && !outcome.unavailable() && !unchanged) {
                fresh.forEach(GenerationLifecycle::terminate);
                throw new ReloadRefusedException(
                        entry.source(),
                        "module '" + entry.name() + "' ("
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
        return new Build(new EngineGeneration(engine, number, config, described, loaded, router), fresh);
    }

    private static boolean sameModule(GlobalModuleEntry a, GlobalModuleEntry b) {
        return a.name().equals(b.name())
                && a.image().equals(b.image())
                && a.type().equals(b.type())
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
     * Serves a new configuration from the next request on, without a restart: builds a new
     * generation (reusing the already-loaded module of every {@code <globalModules>} entry whose
     * name, image, type and preCondition are unchanged, loading and registering new or changed
     * ones), swaps it in atomically, raises APPLICATION_START for the applications it adds and
     * GL_CONFIGURATION_CHANGE ({@link ConfigPaths#APPHOST_CONFIG_PATH}) on its global modules. Requests in
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
    ReloadOutcome reload(ApplicationHostConfig config) {
        Objects.requireNonNull(config, "config");
        synchronized (serial) {
            if (closed.get()) {
                throw new IllegalStateException("the engine is closed");
            }
            EngineGeneration previous = current;
            Build build = build(config, previous);
            EngineGeneration next = build.generation();

            Map<String, ServedApplication> before = applications(previous);
            Map<String, ServedApplication> after = applications(next);
            List<ServedApplication> started = after.entrySet().stream()
                    .filter(e -> !before.containsKey(e.getKey()))
                    .map(Map.Entry::getValue)
                    .toList();
            List<ServedApplication> stopped = before.entrySet().stream()
                    .filter(e -> !after.containsKey(e.getKey()))
                    .map(Map.Entry::getValue)
                    .toList();
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
            ApplicationPreload.run(engine, next, started, true);
            for (String unsupported : config.unsupportedSections()) {
                if (!previous.config.unsupportedSections().contains(unsupported)) {
                    LOG.info(
                            "section {} is declared but not implemented by Weir; its settings are ignored",
                            unsupported);
                }
            }
            engine.notifyConfigurationChange(ConfigPaths.APPHOST_CONFIG_PATH);
            List<String> removed = previous.loaded.values().stream()
                    .filter(m -> next.loaded.get(m.name()) != m)
                    .map(RegisteredModule::name)
                    .toList();
            return new ReloadOutcome(
                    next.number,
                    build.fresh().stream().map(RegisteredModule::name).toList(),
                    removed,
                    started.stream().map(ServedApplication::toString).toList(),
                    stopped.stream().map(ServedApplication::toString).toList(),
                    previous.router.listeners(),
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
                LOG.info(
                        "module '{}' is no longer configured and its last request has ended; terminating it", m.name());
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

    /**
     * Shuts the engine down in IIS's order: GL_STOP_LISTENING (unless {@link #stopListening} already
     * raised it; then with {@code drainRequestsGracefully() == false}), the periodic notifications
     * stop, APPLICATION_STOP for the applications of the current generation and of the retired ones
     * not yet released, GL_CACHE_CLEANUP (the caches are purged before termination), and last
     * {@code terminate()} on every factory and global module still held (IIS's {@code Terminate}).
     * Idempotent.
     */
    void close() {
        List<RegisteredModule> all;
        synchronized (serial) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            engine.stopListeningOnce();
            engine.events().close();
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
                ((ContextContainer) site.moduleContextContainer()).cleanup();
            }
            services.fileCache().clear();
            engine.events().cacheCleanupNow();
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
        LOG.debug(
                "engine closed: {} requests ended, {} event-loop overruns (budget {} ms), generation {}",
                engine.requestsEnded(),
                engine.eventLoopOverruns(),
                EventLoopWatchdog.budget().toMillis(),
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
}
