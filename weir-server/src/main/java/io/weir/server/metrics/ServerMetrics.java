package io.weir.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.weir.api.cache.KernelCacheHit;
import io.weir.api.http.HttpContext;
import io.weir.api.http.PerformanceCounters;
import io.weir.api.http.StoredContext;
import io.weir.core.WeirEngine;
import io.weir.core.inspect.EngineInspection;
import io.weir.core.internal.context.RequestContext;
import io.weir.core.internal.pipeline.EventLoopWatchdog;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.ModuleTimings;
import io.weir.core.spi.PipelineObserver;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's Prometheus metrics, served by the admin endpoint at {@code /metrics}: Weir's
 * counterpart of IIS's performance counters ("Web Service", "W3SVC_W3WP", "HTTP Service Request
 * Queues"). Installed as the engine's {@link PipelineObserver}, it sees each top-level request once
 * when it ends (it asks for no per-notification events) and counts it by site, status class and
 * protocol, with its latency and body bytes; the rest are read when scraped.
 *
 * <p>The metric names (Prometheus conventions: base units, {@code _total} for counters) are listed
 * in {@code docs/operations.md}. Recording runs on the request's event loop: no lock, no I/O, and
 * no allocation once a (site, protocol) pair has been seen.
 */
public final class ServerMetrics implements PipelineObserver, AutoCloseable {

    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    /** The system property setting how many requests per request whose module calls are timed. */
    public static final String MODULE_SAMPLE_PROPERTY = "weir.metrics.moduleSampleEvery";

    /** The default of {@value #MODULE_SAMPLE_PROPERTY}. */
    static final int DEFAULT_MODULE_SAMPLE = 16;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Per site, per protocol: the meters of one (site, protocol) pair. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, SiteMeters>> sites = new ConcurrentHashMap<>();

    private final Counter rejected;
    /** Read by the meters of {@link #bind}; held here because Micrometer holds its gauges' state weakly. */
    private volatile IntSupplier openConnections = () -> 0;

    private volatile LongSupplier refused = () -> 0;
    private volatile BooleanSupplier ready = () -> false;

    private final ModuleTimings moduleTimings =
            new ModuleTimings(Integer.getInteger(MODULE_SAMPLE_PROPERTY, DEFAULT_MODULE_SAMPLE));
    /** The module timing cells with a meter: module and notification, joined by a tab. */
    private final Set<String> timedCells = ConcurrentHashMap.newKeySet();
    /** The performance counter names with a meter. */
    private final Set<String> counterNames = ConcurrentHashMap.newKeySet();
    /** The engine, once {@link #bind} ran; read when scraped. */
    private volatile WeirEngine engine;

    /** Creates the registry with the JVM's meters; {@link #bind} adds the server's. */
    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        rejected = Counter.builder("weir.requests.rejected")
                .description("Requests answered before reaching a site (http.sys-style 400s: bad URL, unknown host)")
                .register(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            Gauge.builder("weir.netty.allocator.used", provider, p -> p.metric().usedDirectMemory())
                    .description("Direct memory held by the transport's buffer allocator")
                    .baseUnit("bytes")
                    .tag("area", "direct")
                    .register(registry);
            Gauge.builder("weir.netty.allocator.used", provider, p -> p.metric().usedHeapMemory())
                    .description("Heap memory held by the transport's buffer allocator")
                    .baseUnit("bytes")
                    .tag("area", "heap")
                    .register(registry);
        }
    }

    /**
     * Adds the meters read from the running server when scraped.
     *
     * @param engine          the engine
     * @param openConnections the transport's open connections
     * @param refused         the transport's refused connections (over a limit) since start
     * @param ready           whether the server is ready ({@code /readyz})
     */
    public void bind(WeirEngine engine, IntSupplier openConnections, LongSupplier refused, BooleanSupplier ready) {
        this.openConnections = openConnections;
        this.refused = refused;
        this.ready = ready;
        this.engine = engine;
        // a request the kernel-style cache answered never reaches the pipeline (nor requestEnded):
        // it is counted here, as http.sys's cache hits are counted with the site's requests
        engine.server().kernelResponseCache().ifPresent(cache -> cache.addHitListener(this::kernelCacheHit));
        Gauge.builder("weir.connections.active", this, m -> m.openConnections.getAsInt())
                .description("Client connections open")
                .register(registry);
        FunctionCounter.builder("weir.connections.refused", this, m -> m.refused.getAsLong())
                .description("Client connections refused over a connection limit")
                .register(registry);
        Gauge.builder("weir.requests.active", engine, WeirEngine::requestsInFlight)
                .description("Requests started and not yet ended")
                .register(registry);
        FunctionCounter.builder("weir.event.loop.overruns", engine, WeirEngine::eventLoopOverruns)
                .description("Module calls that held an event loop longer than the watchdog's budget")
                .register(registry);
        Gauge.builder(
                        "weir.event.loop.budget",
                        this,
                        m -> EventLoopWatchdog.budget().toMillis() / 1000.0)
                .description("The watchdog's budget for one module call on an event loop")
                .baseUnit("seconds")
                .register(registry);
        FunctionCounter.builder("weir.file.cache.lookups", engine, WeirEngine::fileCacheHits)
                .description("File cache lookups of existing files")
                .tag("result", "hit")
                .register(registry);
        FunctionCounter.builder("weir.file.cache.lookups", engine, WeirEngine::fileCacheMisses)
                .description("File cache lookups of existing files")
                .tag("result", "miss")
                .register(registry);
        engine.server().kernelResponseCache().ifPresent(cache -> {
            FunctionCounter.builder("weir.kernel.cache.lookups", cache, c -> c.statistics()
                            .hits())
                    .description("Requests the kernel-style response cache answered (hit) or looked up in vain")
                    .tag("result", "hit")
                    .register(registry);
            FunctionCounter.builder("weir.kernel.cache.lookups", cache, c -> c.statistics()
                            .misses())
                    .description("Requests the kernel-style response cache answered (hit) or looked up in vain")
                    .tag("result", "miss")
                    .register(registry);
            Gauge.builder("weir.kernel.cache.entries", cache, c -> c.statistics()
                            .entries())
                    .description("Responses held by the kernel-style response cache")
                    .register(registry);
            Gauge.builder("weir.kernel.cache.size", cache, c -> c.statistics().bytes())
                    .description("Body bytes held by the kernel-style response cache")
                    .baseUnit("bytes")
                    .register(registry);
        });
        Gauge.builder("weir.config.generation", engine, WeirEngine::generation)
                .description("The configuration generation serving new requests (1 at start, +1 per reload)")
                .register(registry);
        Gauge.builder("weir.healthy", engine, e -> e.health().healthy() ? 1 : 0)
                .description("1 unless a module reported the server unhealthy")
                .register(registry);
        Gauge.builder("weir.ready", this, m -> m.ready.getAsBoolean() ? 1 : 0)
                .description("1 when the server is ready (/readyz)")
                .register(registry);
    }

    @Override
    public ModuleTimings moduleTimings() {
        return moduleTimings;
    }

    @Override
    public boolean observesNotifications() {
        return false;
    }

    @Override
    public void notified(Event event) {
        // not called: observesNotifications() is false
    }

    @Override
    public void requestEnded(Exchange exchange, HttpContext context) {
        if (context == null) {
            rejected.increment();
            return;
        }
        String site = context.site().siteName();
        String protocol = context.request().httpVersion();
        SiteMeters meters = sites.computeIfAbsent(site, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(protocol, p -> new SiteMeters(site, p));
        int statusClass = context.response().statusCode() / 100;
        meters.requests[statusClass >= 1 && statusClass <= 5 ? statusClass - 1 : 4].increment();
        if (context instanceof RequestContext rc) {
            meters.duration.record(System.nanoTime() - rc.startNanos(), TimeUnit.NANOSECONDS);
        }
        meters.sent.increment(context.response().bytesSent());
        String length = context.request().header("Content-Length").orElse(null);
        if (length != null) {
            try {
                meters.received.increment(Long.parseLong(length.trim()));
            } catch (NumberFormatException e) {
                // a malformed length never reaches a site: the decoder refuses it
            }
        }
    }

    private void kernelCacheHit(KernelCacheHit hit) {
        String site = hit.entry().siteName();
        SiteMeters meters = sites.computeIfAbsent(site, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(hit.httpVersion(), p -> new SiteMeters(site, p));
        int statusClass = hit.status() / 100;
        meters.requests[statusClass >= 1 && statusClass <= 5 ? statusClass - 1 : 4].increment();
        meters.duration.record(hit.timeTakenMillis(), TimeUnit.MILLISECONDS);
        meters.sent.increment(hit.entityBytesSent());
    }

    /**
     * Renders every meter in the Prometheus text format (version 0.0.4). Called on the admin
     * endpoint's thread.
     *
     * @return the exposition text
     */
    public String scrape() {
        registerModuleTimers();
        registerPerformanceCounters();
        return registry.scrape();
    }

    /** Adds a timer for each (module, notification) whose first sampled call happened since the last scrape. */
    private void registerModuleTimers() {
        moduleTimings.forEach(cell -> {
            if (timedCells.add(cell.module() + "\t" + cell.notification())) {
                FunctionTimer.builder(
                                "weir.module.notification",
                                cell,
                                ModuleTimings.Cell::calls,
                                ModuleTimings.Cell::nanos,
                                TimeUnit.NANOSECONDS)
                        .description("Time modules spent in a notification, on one request in "
                                + moduleTimings.sampleEvery() + " (calls counted are the sampled ones)")
                        .tag("module", cell.module())
                        .tag("notification", cell.notification())
                        .register(registry);
            }
        });
    }

    /** Adds a gauge for each performance counter a module published since the last scrape. */
    private void registerPerformanceCounters() {
        WeirEngine e = engine;
        if (e == null) {
            return;
        }
        for (StoredContext stored : EngineInspection.of(e).serverStoredContexts()) {
            if (stored instanceof PerformanceCounters counters) {
                for (String name : counters.counters().keySet()) {
                    if (counterNames.add(name)) {
                        Gauge.builder("weir_" + name, this, m -> m.counter(name))
                                .description("A module's performance counter")
                                .register(registry);
                    }
                }
            }
        }
    }

    /** @return the current value of a performance counter, NaN when no module publishes it now */
    private double counter(String name) {
        WeirEngine e = engine;
        if (e != null) {
            for (StoredContext stored : EngineInspection.of(e).serverStoredContexts()) {
                if (stored instanceof PerformanceCounters counters) {
                    Double value = counters.counters().get(name);
                    if (value != null) {
                        return value;
                    }
                }
            }
        }
        return Double.NaN;
    }

    /** Stops the JVM meters' listeners. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** The meters of one site and protocol. */
    private final class SiteMeters {
        final Counter[] requests = new Counter[STATUS_CLASSES.length];
        final Timer duration;
        final Counter sent;
        final Counter received;

        SiteMeters(String site, String protocol) {
            for (int i = 0; i < requests.length; i++) {
                requests[i] = Counter.builder("weir.requests")
                        .description("Requests ended, by site, status class and protocol")
                        .tag("site", site)
                        .tag("status_class", STATUS_CLASSES[i])
                        .tag("protocol", protocol)
                        .register(registry);
            }
            duration = Timer.builder("weir.request.duration")
                    .description("Time from a request's arrival in the pipeline to its end")
                    .tag("site", site)
                    .tag("protocol", protocol)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(100_000))
                    .maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry);
            sent = Counter.builder("weir.response.body")
                    .baseUnit("bytes")
                    .description("Response entity bytes sent")
                    .tag("site", site)
                    .tag("protocol", protocol)
                    .register(registry);
            received = Counter.builder("weir.request.body")
                    .baseUnit("bytes")
                    .description("Request entity bytes announced by Content-Length")
                    .tag("site", site)
                    .tag("protocol", protocol)
                    .register(registry);
        }
    }
}
