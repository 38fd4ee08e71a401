package io.weir.server;

import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.config.SiteConfig.BindingConfig;
import io.weir.core.ListenAddress;
import io.weir.core.ReloadOutcome;
import io.weir.core.WeirEngine;
import io.weir.core.spi.Exchange;
import io.weir.server.cache.KernelCache;
import io.weir.server.cache.KernelCacheDispatcher;
import io.weir.server.http3.Http3Listener;
import io.weir.server.metrics.ServerMetrics;
import io.weir.server.netty.NettyTransport;
import io.weir.server.netty.TransportSettings;
import io.weir.server.outbound.NettyOutboundConnector;
import io.weir.server.tls.TlsEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Weir: the pipeline engine of a configuration, served on every listener the
 * configuration's sites ask for (http: HTTP/1.1, and h2c when {@code sites@weirH2c} is set;
 * https: TLS with HTTP/2 and HTTP/1.1 by ALPN, certificates as {@link TlsEndpoint} chooses them), and, when the system property
 * {@value AdminEndpoint#PORT_PROPERTY} is set, the {@link AdminEndpoint} with the server's
 * {@link ServerMetrics} and health probes. Embeddable;
 * thread-safe.
 *
 * <pre>{@code
 * try (WeirServer server = WeirServer.start(config)) {
 *     URI base = URI.create("http://127.0.0.1:" + server.boundAddresses().get(0).getPort() + "/");
 *     ...
 * }
 * }</pre>
 */
public final class WeirServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WeirServer.class);
    private static final long POLL_MILLIS = 10;

    private final WeirEngine engine;
    private final NettyTransport transport;
    /** Each listener served and the address it got, in listener order; guarded by {@code this}. */
    private final Map<ListenAddress, InetSocketAddress> bound;

    private volatile List<InetSocketAddress> boundAddresses;
    /** The certificates of each https listener; replaced on reload. */
    private final Map<ListenAddress, AtomicReference<TlsEndpoint>> tls;
    /** The HTTP/3 (QUIC) socket of each https listener that has one. */
    private final Map<ListenAddress, Http3Listener> http3;

    private final List<ConfigurationWatcher> watchers = new CopyOnWriteArrayList<>();
    private boolean stopped;
    /** Set when a stop begins: readiness fails from then on. */
    private volatile boolean draining;

    private volatile AdminEndpoint admin;
    private volatile ServerMetrics metrics;

    private WeirServer(WeirEngine engine, NettyTransport transport, Map<ListenAddress, InetSocketAddress> bound) {
        this(engine, transport, bound, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }

    private WeirServer(
            WeirEngine engine,
            NettyTransport transport,
            Map<ListenAddress, InetSocketAddress> bound,
            Map<ListenAddress, AtomicReference<TlsEndpoint>> tls,
            Map<ListenAddress, Http3Listener> http3) {
        this.engine = engine;
        this.transport = transport;
        this.bound = new LinkedHashMap<>(bound);
        this.boundAddresses = List.copyOf(bound.values());
        this.tls = tls;
        this.http3 = http3;
    }

    /**
     * Starts the engine of a configuration ({@link WeirEngine#start}) and binds every listener it
     * asks for, in order. Blocks until every socket is bound and every https binding's certificate
     * is read.
     *
     * @param config the configuration
     * @return the running server
     * @throws IOException naming the address when a listener cannot be bound, or the binding and
     *                     the file when a certificate cannot be served; everything started
     *                     is stopped first
     * @throws RuntimeException whatever {@link WeirEngine#start} throws
     */
    public static WeirServer start(ApplicationHostConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        ServerMetrics metrics = AdminEndpoint.configured() ? new ServerMetrics() : null;
        WeirEngine engine = WeirEngine.start(config, metrics);
        WeirServer server = null;
        try {
            TransportSettings settings = TransportConfiguration.settings(config);
            KernelCache kernelCache = new KernelCache();
            engine.attachKernelResponseCache(kernelCache);
            server = bindAll(
                    engine,
                    new KernelCacheDispatcher(kernelCache, engine::handle),
                    engine.listeners(),
                    settings,
                    TransportConfiguration.listenerLimits(config, engine.listeners(), settings),
                    config);
            WeirServer s = server;
            if (metrics != null) {
                s.metrics = metrics;
                metrics.bind(
                        engine, s.transport::openConnections, s.transport::refusedConnections, () -> s.notReadyReasons()
                                .isEmpty());
            }
            server.admin = AdminEndpoint.startFromSystemProperties(
                    engine,
                    new AdminEndpoint.Probes(
                            metrics, s::notReadyReasons, Boolean.getBoolean(AdminEndpoint.OPEN_METRICS_PROPERTY)));
            return server;
        } catch (IOException | RuntimeException | Error e) {
            if (server != null) {
                server.transport.shutdown();
            }
            if (metrics != null) {
                metrics.close();
            }
            try {
                engine.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Starts the transport alone with another dispatcher in place of an engine: for weir-server's
     * own tests. {@link #engine()} is null on such a server.
     */
    static WeirServer startTransport(
            Consumer<Exchange> dispatcher, List<ListenAddress> listeners, TransportSettings settings)
            throws IOException {
        return bindAll(null, dispatcher, listeners, settings, Map.of(), null);
    }

    /**
     * Starts the transport alone with another dispatcher, serving the listeners of a configuration
     * (https ones with its certificates): for weir-server's own tests.
     */
    static WeirServer startTransport(
            Consumer<Exchange> dispatcher,
            ApplicationHostConfig config,
            List<ListenAddress> listeners,
            TransportSettings settings)
            throws IOException {
        return bindAll(null, dispatcher, listeners, settings, Map.of(), config);
    }

    private static WeirServer bindAll(
            WeirEngine engine,
            Consumer<Exchange> dispatcher,
            List<ListenAddress> listeners,
            TransportSettings settings,
            Map<ListenAddress, NettyTransport.ListenerLimits> limits,
            ApplicationHostConfig config)
            throws IOException {
        NettyTransport transport = new NettyTransport(dispatcher, settings);
        if (config != null) {
            transport.maxGlobalBandwidth(TransportConfiguration.maxGlobalBandwidth(config));
        }
        NettyOutboundConnector connector =
                new NettyOutboundConnector(transport.workerGroup(), NettyOutboundConnector.DEFAULT_POOL);
        if (engine != null) {
            engine.attachOutboundConnector(connector);
        }
        Map<ListenAddress, InetSocketAddress> bound = new LinkedHashMap<>();
        WeirServer server = new WeirServer(engine, transport, bound);
        try {
            for (ListenAddress listener : listeners) {
                InetSocketAddress address = server.bindListener(listener, config, limits.get(listener));
                if (address != null) {
                    bound.put(listener, address);
                }
            }
        } catch (IOException | RuntimeException e) {
            server.closeTlsEndpoints();
            transport.shutdown();
            throw e;
        }
        return new WeirServer(engine, transport, bound, server.tls, server.http3);
    }

    /**
     * Binds one listener: http as HTTP/1.1 (and h2c when the configuration asks for it), https with
     * the certificates of the configuration's bindings on that address.
     *
     * @return the bound address, or null when the listener is skipped
     */
    private InetSocketAddress bindListener(
            ListenAddress listener, ApplicationHostConfig config, NettyTransport.ListenerLimits limits)
            throws IOException {
        NettyTransport.ListenerLimits l = limits != null
                ? limits
                : new NettyTransport.ListenerLimits(transport.settings().connectionTimeout(), 0);
        boolean h2c = config != null && config.certificateStores().h2c();
        if ("http".equalsIgnoreCase(listener.protocol())) {
            return transport.bind(listener.ip(), listener.port(), l, null, h2c);
        }
        if (!"https".equalsIgnoreCase(listener.protocol()) || config == null) {
            LOG.warn(
                    "skipping {} listener {}:{}: not a protocol Weir serves",
                    listener.protocol(),
                    listener.ip(),
                    listener.port());
            return null;
        }
        AtomicReference<TlsEndpoint> endpoint = new AtomicReference<>(tlsEndpoint(listener, config));
        tls.put(listener, endpoint);
        InetSocketAddress address = transport.bind(listener.ip(), listener.port(), l, endpoint::get, false);
        if (config.certificateStores().http3() && !endpoint.get().quicDisabled() && Http3Listener.available()) {
            try {
                http3.put(
                        listener,
                        Http3Listener.bind(
                                listener.ip(),
                                address.getPort(),
                                endpoint::get,
                                transport.settings(),
                                transport::newStreamHandler));
                endpoint.get().advertiseHttp3(address.getPort());
            } catch (IOException e) {
                LOG.warn(
                        "HTTP/3 is not served on {}:{}: {}; HTTP/1.1 and HTTP/2 are",
                        listener.ip(),
                        address.getPort(),
                        e.getMessage());
            }
        }
        return address;
    }

    /**
     * Returns the UDP address HTTP/3 is served on beside an https listener, for inspection and tests.
     *
     * @param address a bound address of an https listener
     * @return the QUIC socket's address; empty when that listener serves no HTTP/3
     */
    public Optional<InetSocketAddress> http3Address(InetSocketAddress address) {
        synchronized (this) {
            for (Map.Entry<ListenAddress, InetSocketAddress> e : bound.entrySet()) {
                var h3 = http3.get(e.getKey());
                if (e.getValue().equals(address) && h3 != null) {
                    return Optional.of(h3.address());
                }
            }
        }
        return Optional.empty();
    }

    private static TlsEndpoint tlsEndpoint(ListenAddress listener, ApplicationHostConfig config) throws IOException {
        List<BindingConfig> bindings = new ArrayList<>();
        for (SiteConfig site : config.sites()) {
            if (!site.serverAutoStart()) {
                continue;
            }
            for (BindingConfig b : site.bindings()) {
                if ("https".equalsIgnoreCase(b.protocol())
                        && b.port() == listener.port()
                        && (b.ip().equals(listener.ip()) || (b.ip().isEmpty() && "*".equals(listener.ip())))) {
                    bindings.add(b);
                }
            }
        }
        return new TlsEndpoint(
                bindings,
                config.certificateStores(),
                System.getenv(),
                bindings.stream().anyMatch(BindingConfig::negotiateClientCertificate));
    }

    private void closeTlsEndpoints() {
        for (var h3 : http3.values()) {
            h3.close();
        }
        http3.clear();
        for (var endpoint : tls.values()) {
            endpoint.get().close();
        }
    }

    /**
     * Returns the certificate choice of an https listener, for inspection and tests.
     *
     * @param address a bound address of an https listener
     * @return its TLS endpoint; empty when the address is not an https listener of this server
     */
    public Optional<TlsEndpoint> tlsEndpoint(InetSocketAddress address) {
        synchronized (this) {
            for (Map.Entry<ListenAddress, InetSocketAddress> e : bound.entrySet()) {
                var endpoint = tls.get(e.getKey());
                if (e.getValue().equals(address) && endpoint != null) {
                    return Optional.of(endpoint.get());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @return the local administration endpoint, started when the system property
     *         {@value AdminEndpoint#PORT_PROPERTY} is set; empty otherwise
     */
    public Optional<AdminEndpoint> adminEndpoint() {
        return Optional.ofNullable(admin);
    }

    /**
     * Why the server is not ready to take traffic now (an orchestrator's readiness probe, a load
     * balancer's health check): {@code draining} once a stop began, {@code not listening} when no
     * listener is bound, and each reason a module gave {@code HttpServer.reportUnhealthy}
     * (prefixed {@code unhealthy: }). IIS's WAS would recycle such a worker process; Weir takes it
     * out of rotation and leaves the restart to the orchestrator. Thread-safe.
     *
     * @return the reasons, empty when ready
     */
    public List<String> notReadyReasons() {
        List<String> reasons = new ArrayList<>();
        if (draining) {
            reasons.add("draining");
        } else if (boundAddresses.isEmpty()) {
            reasons.add("not listening");
        }
        if (engine != null && !engine.health().healthy()) {
            for (String reason : engine.health().reasons()) {
                reasons.add("unhealthy: " + reason);
            }
        }
        return reasons;
    }

    /**
     * Returns the most request-entity bytes one connection has held received but not yet read by a
     * module since the server started (request bodies are streamed with back-pressure: about 64 KiB
     * plus one socket read at most). For tests and monitoring.
     *
     * @return the high-water mark in bytes
     */
    public long requestEntityHighWaterBytes() {
        return transport.requestEntityHighWaterBytes();
    }

    /** @return the engine serving the requests; null only on the transport-only servers of weir-server's tests */
    public WeirEngine engine() {
        return engine;
    }

    /**
     * Returns the addresses actually bound (port 0 resolved to the chosen port), in listener order;
     * skipped listeners are absent. Changes when a {@link #reload} changes the listeners.
     *
     * @return an immutable list
     */
    public List<InetSocketAddress> boundAddresses() {
        return boundAddresses;
    }

    /**
     * Serves a new configuration without a restart ({@link WeirEngine#reload}): requests in flight
     * finish on the configuration they started with, new requests get the new one. When the sites'
     * listen addresses changed, the new ones are bound after the swap and the ones no longer
     * configured are closed (connections already accepted on them stay open; their next request
     * matches no binding and gets 400 Invalid Hostname). A new address that cannot be bound is
     * logged and left out; the rest of the configuration is applied. Blocking; not on an event loop.
     *
     * @param config the new configuration
     * @return what changed
     * @throws IllegalStateException                 when the server is stopped
     * @throws io.weir.core.ReloadRefusedException when a new module cannot be loaded; the
     *                                               previous configuration keeps serving
     * @throws RuntimeException                      whatever else {@link WeirEngine#reload} throws;
     *                                               the previous configuration keeps serving
     */
    public synchronized ReloadOutcome reload(ApplicationHostConfig config) {
        if (stopped || engine == null) {
            throw new IllegalStateException(engine == null ? "no engine" : "the server is stopped");
        }
        ReloadOutcome outcome = engine.reload(config);
        // nothing cached under the old configuration answers under the new one, even when the new
        // one no longer loads the module that filled the cache
        engine.server().kernelResponseCache().ifPresent(cache -> cache.removeIf(entry -> true));
        Map<ListenAddress, NettyTransport.ListenerLimits> limits = Map.of();
        try {
            limits = TransportConfiguration.listenerLimits(
                    config, engine.listeners(), TransportConfiguration.settings(config));
            transport.maxGlobalBandwidth(TransportConfiguration.maxGlobalBandwidth(config));
        } catch (RuntimeException e) {
            LOG.error("the reloaded site limits cannot be read ({}); the listeners keep theirs", e.getMessage());
        }
        if (outcome.listenersChanged()) {
            applyListeners(outcome.listenersAfter(), config, limits);
        }
        for (Map.Entry<ListenAddress, InetSocketAddress> e : bound.entrySet()) {
            NettyTransport.ListenerLimits l = limits.get(e.getKey());
            if (l != null) {
                transport.updateLimits(e.getValue(), l);
            }
        }
        for (Map.Entry<ListenAddress, AtomicReference<TlsEndpoint>> e : tls.entrySet()) {
            if (!bound.containsKey(e.getKey())) {
                continue;
            }
            try {
                TlsEndpoint fresh = tlsEndpoint(e.getKey(), config);
                var h3 = http3.get(e.getKey());
                if (h3 != null) {
                    fresh.advertiseHttp3(h3.address().getPort());
                }
                e.getValue().getAndSet(fresh).close();
            } catch (IOException ex) {
                LOG.error(
                        "the reloaded configuration's certificates for https {}:{} cannot be served ({}); "
                                + "the previous ones keep serving",
                        e.getKey().ip(),
                        e.getKey().port(),
                        ex.getMessage());
            }
        }
        return outcome;
    }

    private void applyListeners(
            List<ListenAddress> wanted,
            ApplicationHostConfig config,
            Map<ListenAddress, NettyTransport.ListenerLimits> limits) {
        for (Map.Entry<ListenAddress, InetSocketAddress> e : List.copyOf(bound.entrySet())) {
            if (!wanted.contains(e.getKey())) {
                transport.unbind(e.getValue());
                bound.remove(e.getKey());
                var endpoint = tls.remove(e.getKey());
                if (endpoint != null) {
                    endpoint.get().close();
                }
                var h3 = http3.remove(e.getKey());
                if (h3 != null) {
                    h3.close();
                }
            }
        }
        Map<ListenAddress, InetSocketAddress> ordered = new LinkedHashMap<>();
        for (ListenAddress listener : wanted) {
            InetSocketAddress address = bound.get(listener);
            if (address == null) {
                try {
                    address = bindListener(listener, config, limits.get(listener));
                    if (address == null) {
                        continue;
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.error(
                            "the reloaded configuration asks for {}:{} but it cannot be bound ({}); "
                                    + "the other changes are applied",
                            listener.ip(),
                            listener.port(),
                            e.getMessage());
                    continue;
                }
            }
            ordered.put(listener, address);
        }
        bound.clear();
        bound.putAll(ordered);
        boundAddresses = List.copyOf(ordered.values());
    }

    /**
     * Watches the configuration file this server was started from and reloads it on every change
     * (see {@link ConfigurationWatcher}); the watcher is closed when the server stops.
     *
     * @param file      the applicationHost.config the server's configuration was loaded from
     * @param variables the {@code %NAME%} values it was loaded with
     * @return the running watcher
     * @throws IOException when the file's folder cannot be watched
     */
    public ConfigurationWatcher watch(Path file, Map<String, String> variables) throws IOException {
        return watch(file, variables, ConfigurationWatcher.DEFAULT_DEBOUNCE);
    }

    /**
     * Watches only the folders of the sites, for a server whose configuration comes from no file
     * (the embedded default): a changed {@code web.config} takes effect for the next request, a
     * changed file raises GL_FILE_CHANGE, as with {@link #watch(Path, Map)}. The watcher is closed
     * when the server stops.
     *
     * @return the running watcher ({@link ConfigurationWatcher#file()} is null)
     * @throws IOException when the folders cannot be watched
     */
    public ConfigurationWatcher watchSites() throws IOException {
        return watch(null, Map.of(), ConfigurationWatcher.DEFAULT_DEBOUNCE);
    }

    /**
     * {@link #watch(Path, Map)} with another debounce delay.
     *
     * @param file      the applicationHost.config the server's configuration was loaded from
     * @param variables the {@code %NAME%} values it was loaded with
     * @param debounce  how long a file must stay quiet before it is read
     * @return the running watcher
     * @throws IOException when the file's folder cannot be watched
     */
    public ConfigurationWatcher watch(Path file, Map<String, String> variables, Duration debounce) throws IOException {
        ConfigurationWatcher watcher = ConfigurationWatcher.start(this, file, variables, debounce);
        watchers.add(watcher);
        return watcher;
    }

    /**
     * Stops gracefully: closes the listening sockets, raises GL_STOP_LISTENING
     * ({@link WeirEngine#stopListening}), closes idle connections and marks every later response
     * {@code Connection: close}, waits for the responses in flight to be written to their sockets entirely (up to the timeout; a response handed to the transport but still being sent counts),
     * closes the remaining connections, closes the engine and shuts the event loops down. Blocks
     * until done; must not be called on an event loop. Idempotent: later calls return at once.
     *
     * @param drainTimeout how long responses in flight may take to finish sending (the shutdown time limit); then they are cut off
     */
    public void stop(Duration drainTimeout) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        draining = true;
        for (ConfigurationWatcher watcher : watchers) {
            watcher.close();
        }
        transport.stopAccepting();
        if (engine != null) {
            try {
                engine.stopListening(true);
            } catch (RuntimeException e) {
                LOG.error("stop listening failed", e);
            }
        }
        transport.beginDrain();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (inFlight() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = inFlight();
        if (left > 0) {
            LOG.warn(
                    "shutdown time limit of {} reached with {} response(s) not yet sent; closing their connections"
                            + " (the responses are cut off)",
                    drainTimeout,
                    left);
        }
        transport.closeConnections(2000);
        AdminEndpoint endpoint = admin;
        if (endpoint != null) {
            endpoint.close();
        }
        ServerMetrics m = metrics;
        if (m != null) {
            m.close();
        }
        closeTlsEndpoints();
        if (engine != null) {
            try {
                engine.close();
            } catch (RuntimeException e) {
                LOG.error("closing the engine failed", e);
            }
        }
        transport.shutdown();
    }

    private int inFlight() {
        int engineCount = 0;
        if (engine != null) {
            try {
                engineCount = engine.requestsInFlight();
            } catch (RuntimeException e) {
                engineCount = 0;
            }
        }
        return Math.max(engineCount, transport.exchangesInFlight());
    }

    /** Stops with a 30 second drain ({@link #stop(Duration)}). */
    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
