package io.weir.core;

import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.http.HttpApplication;
import io.weir.api.provider.CacheOperation;
import io.weir.api.provider.CacheProvider;
import io.weir.api.provider.GlobalRscaQueryProvider;
import io.weir.api.provider.GlobalThreadCleanupProvider;
import io.weir.api.provider.RuntimeStatus;
import io.weir.core.internal.context.FileCache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global notifications an engine raises on its own, off the request path: the periodic
 * GL_HEALTH_CHECK and GL_CACHE_CLEANUP, the health status ({@code ReportUnhealthy}), GL_CACHE_OPERATION
 * for the file cache, GL_RSCA_QUERY and GL_THREAD_CLEANUP. Everything it raises runs on its single
 * timer thread ("weir-global-timer", a daemon platform thread), never on an event loop, except
 * RSCA_QUERY (the caller's thread) and THREAD_CLEANUP (the blocking-executor thread that is
 * finishing). Each delivery goes through {@link GlobalNotifications#raiseGlobal}, so HANDLED stops the rest.
 */
final class GlobalEvents {

    private static final Logger LOG = LoggerFactory.getLogger(GlobalEvents.class);
    private static final int MAX_REASONS = 16;

    private final WeirEngine engine;
    private final Instant started = Instant.now();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weir-global-timer");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private ScheduledFuture<?> healthTask;
    private ScheduledFuture<?> cacheTask;
    private PeriodicSettings settings;
    private final List<String> reasons = new ArrayList<>();
    private Instant unhealthySince;
    private volatile Instant lastCheck;
    private volatile boolean closed;

    GlobalEvents(WeirEngine engine) {
        this.engine = engine;
    }

    /**
     * (Re)schedules the periodic notifications; the first of each runs one interval from now.
     *
     * @param newSettings the intervals
     */
    void schedule(PeriodicSettings newSettings) {
        Objects.requireNonNull(newSettings, "settings");
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (healthTask != null) {
                healthTask.cancel(false);
                cacheTask.cancel(false);
            }
            settings = newSettings;
            long health = newSettings.healthCheckInterval().toMillis();
            long cache = newSettings.cacheCleanupInterval().toMillis();
            healthTask = timer.scheduleWithFixedDelay(this::healthCheck, health, health, TimeUnit.MILLISECONDS);
            cacheTask = timer.scheduleWithFixedDelay(this::cacheCleanup, cache, cache, TimeUnit.MILLISECONDS);
        }
    }

    /** @return the intervals in force */
    PeriodicSettings settings() {
        synchronized (lock) {
            return settings;
        }
    }

    /** Runs a task on the timer thread; dropped after {@link #close()}. */
    void submit(Runnable task) {
        if (closed) {
            return;
        }
        try {
            timer.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("a global notification task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("the timer is shut down; a global notification was dropped");
        }
    }

    private void healthCheck() {
        lastCheck = Instant.now();
        GlobalNotifications.raiseGlobal(
                engine.currentGeneration(), GlobalNotification.HEALTH_CHECK, m -> m.onGlobalHealthCheck());
    }

    private void cacheCleanup() {
        engine.fileCache().cleanUp();
        GlobalNotifications.raiseGlobal(
                engine.currentGeneration(), GlobalNotification.CACHE_CLEANUP, m -> m.onGlobalCacheCleanup());
    }

    /**
     * Raises GL_CACHE_CLEANUP now on the caller's thread: at close, "caches purged before
     * termination" (docs/reference/native-module-model.md, "Global notifications").
     */
    void cacheCleanupNow() {
        GlobalNotifications.raiseGlobal(
                engine.currentGeneration(), GlobalNotification.CACHE_CLEANUP, m -> m.onGlobalCacheCleanup());
    }

    // ---------------------------------------------------------------------------------------------
    // Health
    // ---------------------------------------------------------------------------------------------

    void reportUnhealthy(String reason) {
        String r = reason == null || reason.isBlank() ? "(no reason given)" : reason;
        synchronized (lock) {
            if (unhealthySince == null) {
                unhealthySince = Instant.now();
            }
            reasons.add(r);
            if (reasons.size() > MAX_REASONS) {
                reasons.remove(0);
            }
        }
        LOG.warn("a module reported the server unhealthy: {}", r);
        submit(this::healthCheck);
    }

    HealthStatus health() {
        synchronized (lock) {
            return new HealthStatus(
                    unhealthySince == null,
                    reasons,
                    Optional.ofNullable(unhealthySince),
                    Optional.ofNullable(lastCheck));
        }
    }

    RuntimeStatus runtimeStatus() {
        HealthStatus h = health();
        return new RuntimeStatus(
                engine.generation(),
                engine.requestsInFlight(),
                h.healthy(),
                h.reasons(),
                Duration.between(started, Instant.now()));
    }

    // ---------------------------------------------------------------------------------------------
    // RSCA query
    // ---------------------------------------------------------------------------------------------

    /** The function the engine answers itself when no global module does. */
    static final String RUNTIME_STATUS_FUNCTION = "GetRuntimeStatus";

    Optional<String> rscaQuery(String function, String parameters) {
        Objects.requireNonNull(function, "function");
        RuntimeStatus status = runtimeStatus();
        String[] result = new String[1];
        GlobalRscaQueryProvider provider = new GlobalRscaQueryProvider() {
            @Override
            public String functionName() {
                return function;
            }

            @Override
            public String functionParameters() {
                return parameters == null ? "" : parameters;
            }

            @Override
            public void setResult(String output) {
                result[0] = Objects.requireNonNull(output, "output");
            }

            @Override
            public RuntimeStatus runtimeStatus() {
                return status;
            }
        };
        GlobalNotifications.raiseGlobal(
                engine.currentGeneration(), GlobalNotification.RSCA_QUERY, m -> m.onGlobalRscaQuery(provider));
        if (result[0] == null && function.equals(RUNTIME_STATUS_FUNCTION)) {
            result[0] = "generation=" + status.generation() + " requestsInFlight=" + status.requestsInFlight()
                    + " healthy=" + status.healthy() + " uptimeSeconds="
                    + status.uptime().toSeconds()
                    + " recycleRequests=" + engine.recycleRequests().count()
                    + (status.healthy() ? "" : " reasons=" + status.unhealthyReasons());
        }
        return Optional.ofNullable(result[0]);
    }

    // ---------------------------------------------------------------------------------------------
    // Cache operations and thread cleanup
    // ---------------------------------------------------------------------------------------------

    /** The file cache's listener: raises GL_CACHE_OPERATION on the timer thread when a module registered it. */
    FileCache.Listener cacheListener() {
        return (operation, key, record) -> {
            if (engine.currentGeneration().globals.get(GlobalNotification.CACHE_OPERATION).length == 0) {
                return;
            }
            submit(() -> raiseCacheOperation(operation, key.toString(), record));
        };
    }

    /**
     * Raises GL_CACHE_OPERATION on the timer thread for an operation on a module's cache, when a
     * global module of the current generation registered it; returns at once.
     */
    void cacheOperation(CacheOperation operation, String key, Object record) {
        if (engine.currentGeneration().globals.get(GlobalNotification.CACHE_OPERATION).length > 0) {
            submit(() -> raiseCacheOperation(operation, key, record));
        }
    }

    private void raiseCacheOperation(CacheOperation operation, String k, Object record) {
        CacheProvider provider = new CacheProvider() {
            @Override
            public CacheOperation cacheOperation() {
                return operation;
            }

            @Override
            public String cacheKey() {
                return k;
            }

            @Override
            public Optional<Object> cacheRecord() {
                return Optional.ofNullable(record);
            }

            @Override
            public void setCacheRecord(Object newRecord) {
                throw new UnsupportedOperationException("no RETRIEVE is raised to supply a record to");
            }
        };
        GlobalNotifications.raiseGlobal(
                engine.currentGeneration(),
                GlobalNotification.CACHE_OPERATION,
                m -> m.onGlobalCacheOperation(provider));
    }

    /** @return true when a global module of the current generation registered GL_THREAD_CLEANUP */
    boolean wantsThreadCleanup() {
        return engine.currentGeneration().globals.get(GlobalNotification.THREAD_CLEANUP).length > 0;
    }

    /** Raises GL_THREAD_CLEANUP on the calling (finishing) thread. */
    void threadCleanup(HttpApplication application) {
        Optional<HttpApplication> app = Optional.ofNullable(application);
        GlobalThreadCleanupProvider provider = () -> app;
        GlobalNotificationStatus ignored = GlobalNotifications.raiseGlobal(
                engine.currentGeneration(), GlobalNotification.THREAD_CLEANUP, m -> m.onGlobalThreadCleanup(provider));
    }

    /** Stops the timer; pending tasks are dropped. */
    void close() {
        synchronized (lock) {
            closed = true;
            timer.shutdownNow();
        }
    }
}
