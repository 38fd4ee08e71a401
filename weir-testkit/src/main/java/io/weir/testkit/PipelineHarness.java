package io.weir.testkit;

import io.weir.api.ModuleRegistration;
import io.weir.api.http.HttpContext;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.core.GlobalModuleStatus;
import io.weir.core.WeirEngine;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.PipelineObserver;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs modules through the real Weir engine in memory, without sockets: the same module loading,
 * handler mapping and integrated pipeline as {@code weir serve}, driven by requests built in the
 * test, with every module notification recorded as the engine delivers it.
 *
 * <pre>{@code
 * try (PipelineHarness weir = PipelineHarness.start(WeirTestConfig.create()
 *         .module("GreetingModule", GreetingModuleRegistration.class))) {
 *     HarnessResponse r = weir.request("GET", "/hello").header("Accept-Language", "fr").send();
 *     assertThat(r.status()).isEqualTo(200);
 *     assertThat(r.header("X-Greeting")).hasValue("bonjour");
 *     assertThat(r.notifications()).containsExactly(
 *             "BEGIN_REQUEST GreetingModule", "EXECUTE_REQUEST_HANDLER GreetingModule");
 * }
 * }</pre>
 *
 * <p>Threads: the engine runs every request on one "event loop" thread of the harness, as Weir's
 * transport runs a connection's requests on one Netty event loop; {@link Request#send()} hands the
 * request over and waits until the request has ended (END_REQUEST's post-notification done, the
 * module instances disposed), for at most the harness's {@link #timeout(Duration) timeout}. A module
 * that returns PENDING and completes from another thread ({@code indicateCompletion},
 * {@code postCompletion}) resumes on that loop, as in the server. Requests may be sent from several
 * threads at once. Close the harness to stop the engine (APPLICATION_STOP, factories terminated).
 *
 * <p>What differs from a server: no HTTP parsing or encoding (the request is handed over as built,
 * the response is taken as the engine hands it to the transport, so there is no Content-Length or
 * Transfer-Encoding header: see {@link HarnessResponse#contentLength()}); the entity is whole, as
 * Weir's transport passes it today; global notifications are raised but not recorded.
 */
public final class PipelineHarness implements AutoCloseable {

    private static final InetSocketAddress DEFAULT_CLIENT =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000);

    private final WeirEngine engine;
    private final Observer observer = new Observer();
    private final ExecutorService loop;
    private final InetSocketAddress local;
    private final String defaultHost;
    private volatile Duration timeout = Duration.ofSeconds(10);

    private PipelineHarness(ApplicationHostConfig config, Map<String, ModuleRegistration> instances) {
        this.loop = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "weir-harness-loop");
            t.setDaemon(true);
            return t;
        });
        try {
            this.engine = InstanceModuleRegistration.withInstances(instances, () -> WeirEngine.start(config, observer));
        } catch (RuntimeException | Error e) {
            loop.shutdownNow();
            throw e;
        }
        SiteConfig.BindingConfig binding = config.sites().stream()
                .filter(SiteConfig::serverAutoStart)
                .flatMap(s -> s.bindings().stream())
                .filter(b -> b.protocol().equalsIgnoreCase("http"))
                .findFirst()
                .orElse(null);
        this.local = localAddress(binding);
        this.defaultHost = binding == null || binding.host().isEmpty() ? "localhost" : binding.host();
    }

    private static InetSocketAddress localAddress(SiteConfig.BindingConfig binding) {
        if (binding == null) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 80);
        }
        int port = binding.port() == 0 ? 80 : binding.port();
        if (binding.ip().equals("*") || binding.ip().isEmpty()) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(binding.ip()), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("binding address " + binding.ip(), e);
        }
    }

    /**
     * Starts the engine for a {@link WeirTestConfig}: the modules under test on one site.
     *
     * @param config the configuration
     * @return the harness
     * @throws io.weir.api.config.ConfigException when the configuration is refused
     */
    public static PipelineHarness start(WeirTestConfig config) {
        return new PipelineHarness(config.load(), config.instances());
    }

    /**
     * Starts the engine for a full configuration given as text, for example a copy of
     * applicationHost.config with the module added (built-in modules named by {@code type=} must
     * be on the test's class path: add weir-modules as a test dependency). Relative paths resolve
     * against the working directory. Requests arrive as if on the first started site's first http
     * binding (a wildcard IP reads as 127.0.0.1, port 0 as 80).
     *
     * @param applicationHostConfigXml the configuration
     * @param variables                values for {@code %NAME%}, ahead of the environment
     * @return the harness
     * @throws io.weir.api.config.ConfigException when the configuration is refused
     */
    public static PipelineHarness start(String applicationHostConfigXml, Map<String, String> variables) {
        Objects.requireNonNull(applicationHostConfigXml, "applicationHostConfigXml");
        return start(ApplicationHostConfig.parse(
                "test applicationHost.config",
                new ByteArrayInputStream(applicationHostConfigXml.getBytes(StandardCharsets.UTF_8)),
                Path.of("").toAbsolutePath(),
                variables));
    }

    /**
     * Starts the engine for a configuration file; as {@link #start(String, Map)}, with relative
     * paths (module images too) resolved against the file's folder.
     *
     * @param applicationHostConfig the file
     * @param variables             values for {@code %NAME%}, ahead of the environment
     * @return the harness
     * @throws io.weir.api.config.ConfigException when the file is refused
     */
    public static PipelineHarness start(Path applicationHostConfig, Map<String, String> variables) {
        return start(ApplicationHostConfig.load(applicationHostConfig, variables));
    }

    /**
     * Starts the engine for a configuration snapshot.
     *
     * @param config the configuration
     * @return the harness
     */
    public static PipelineHarness start(ApplicationHostConfig config) {
        return new PipelineHarness(config, Map.of());
    }

    /**
     * Sets how long {@link Request#send()} waits for a request to end (default 10 seconds).
     *
     * @param newTimeout the limit, positive
     * @return this
     */
    public PipelineHarness timeout(Duration newTimeout) {
        if (newTimeout.isNegative() || newTimeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + newTimeout);
        }
        this.timeout = newTimeout;
        return this;
    }

    /**
     * Starts building a request.
     *
     * @param method the verb, for example {@code "GET"}
     * @param target the request-target as on the request line: an absolute path with optional query,
     *               percent-encoded as a client would send it, for example {@code "/a%20b?x=1"}
     * @return the request builder
     */
    public Request request(String method, String target) {
        return new Request(Objects.requireNonNull(method, "method"), Objects.requireNonNull(target, "target"));
    }

    /**
     * Sends {@code GET target} with no other header than Host.
     *
     * @param target the request-target
     * @return the response
     * @throws AssertionError when the request does not end within the timeout
     */
    public HarnessResponse get(String target) {
        return request("GET", target).send();
    }

    /** @return every {@code <globalModules>} entry with its load outcome (a failed registration says why) */
    public List<GlobalModuleStatus> modules() {
        return engine.modules();
    }

    /** @return the engine itself, for what the harness does not expose */
    public WeirEngine engine() {
        return engine;
    }

    /** Stops the engine (APPLICATION_STOP, every factory and global module terminated) and the loop. */
    @Override
    public void close() {
        try {
            CompletableFuture.runAsync(engine::close, loop).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the engine did not stop cleanly", e);
        } finally {
            loop.shutdownNow();
        }
    }

    /** A request being built; {@link #send()} runs it. Not thread-safe; send it once. */
    public final class Request {

        private final String method;
        private final String target;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private byte[] body = new byte[0];
        private InetSocketAddress remote = DEFAULT_CLIENT;
        private String protocol = "HTTP/1.1";

        private Request(String method, String target) {
            this.method = method;
            this.target = target;
        }

        /**
         * Adds a header field (several calls with one name add several values). Without a
         * {@code Host} header the request gets the binding's host name, or {@code localhost}.
         *
         * @param name  the name
         * @param value the value
         * @return this
         */
        public Request header(String name, String value) {
            headers.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
            return this;
        }

        /**
         * Sets the request entity and its {@code Content-Length}.
         *
         * @param bytes the entity
         * @return this
         */
        public Request body(byte[] bytes) {
            this.body = bytes.clone();
            return this;
        }

        /**
         * Sets the request entity as UTF-8 text and its {@code Content-Length}; add the
         * {@code Content-Type} yourself.
         *
         * @param text the entity
         * @return this
         */
        public Request body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Sets the client's address (default 127.0.0.1, port 50000), for modules that look at it
         * (IP restrictions, logging, detailed errors for local clients).
         *
         * @param ip   a literal IPv4 or IPv6 address
         * @param port the client's port
         * @return this
         * @throws IllegalArgumentException when {@code ip} is not a literal address
         */
        public Request remoteAddress(String ip, int port) {
            if (!ip.matches("[0-9.]+|[0-9a-fA-F:.%]+")) {
                throw new IllegalArgumentException("not a literal IP address: " + ip);
            }
            try {
                this.remote = new InetSocketAddress(InetAddress.getByName(ip), port);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not a literal IP address: " + ip, e);
            }
            return this;
        }

        /**
         * Sets the protocol version of the request line (default {@code HTTP/1.1}).
         *
         * @param version {@code "HTTP/1.1"} or {@code "HTTP/1.0"}
         * @return this
         */
        public Request protocol(String version) {
            this.protocol = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Runs the request through the engine and waits until it has ended.
         *
         * @return the response and the notifications delivered
         * @throws AssertionError when the request does not end within the harness's timeout (for
         *                        example a module returned PENDING and never completed); the message
         *                        lists the notifications delivered so far
         */
        public HarnessResponse send() {
            HarnessExchange exchange = exchange();
            loop.execute(() -> engine.handle(exchange.exchange()));
            try {
                return exchange.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError(
                        method + " " + target + " did not end within " + timeout
                                + " (a module returned PENDING and did not complete?); notifications so far: "
                                + exchange.eventsSoFar(),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + method + " " + target, e);
            } catch (ExecutionException e) {
                throw new AssertionError(method + " " + target + " failed", e.getCause());
            }
        }

        /**
         * Runs the request without waiting; for tests that complete a pending module themselves.
         *
         * @return completes with the response when the request has ended (never times out by itself)
         */
        public CompletableFuture<HarnessResponse> sendAsync() {
            HarnessExchange exchange = exchange();
            loop.execute(() -> engine.handle(exchange.exchange()));
            return exchange.done();
        }

        private HarnessExchange exchange() {
            List<Map.Entry<String, String>> all = new ArrayList<>();
            if (headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("Host"))) {
                all.add(Map.entry("Host", defaultHost));
            }
            all.addAll(headers);
            if (body.length > 0 && headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("Content-Length"))) {
                all.add(Map.entry("Content-Length", Integer.toString(body.length)));
            }
            HarnessExchange exchange = new HarnessExchange(method, target, protocol, all, body, remote, local, loop);
            observer.inFlight.put(exchange.exchange(), exchange);
            exchange.done().whenComplete((response, error) -> observer.inFlight.remove(exchange.exchange()));
            return exchange;
        }
    }

    /** Routes the engine's reports to the request they belong to. */
    private static final class Observer implements PipelineObserver {
        /** The requests sent and not yet done, by the exchange handed to the engine. */
        final Map<Exchange, HarnessExchange> inFlight = new ConcurrentHashMap<>();

        @Override
        public void notified(Event event) {
            HarnessExchange request = inFlight.get(event.exchange());
            if (request != null) {
                request.record(event);
            }
        }

        @Override
        public void requestEnded(Exchange exchange, HttpContext context) {
            HarnessExchange request = inFlight.get(exchange);
            if (request != null) {
                request.ended(context);
            }
        }
    }
}
