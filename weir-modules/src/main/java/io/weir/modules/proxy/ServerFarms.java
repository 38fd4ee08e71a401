package io.weir.modules.proxy;

import io.weir.api.HttpServer;
import io.weir.api.http.StoredContext;
import io.weir.api.outbound.OutboundAddress;
import io.weir.api.outbound.OutboundConnector;
import io.weir.api.outbound.OutboundFailure;
import io.weir.api.outbound.OutboundHttpExchange;
import io.weir.api.outbound.OutboundHttpListener;
import io.weir.api.outbound.OutboundHttpRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * Every web farm the proxy has routed to, by name, with their health checks. One instance per
 * server (held by the module's registration). Health checks run as one virtual thread per farm
 * that waits for the interval and then asks each server through the outbound connector (the I/O
 * itself runs on the server's event loops). Thread-safe.
 */
public final class ServerFarms implements StoredContext {

    private static final System.Logger LOG = System.getLogger(ServerFarms.class.getName());
    private static final int HEALTH_BODY_LIMIT = 64 * 1024;

    private final HttpServer server;
    private final Map<String, ServerFarm> farms = new ConcurrentHashMap<>();
    private final Map<String, Future<?>> checkers = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    ServerFarms(HttpServer server) {
        this.server = server;
    }

    /**
     * Returns the live farm for a configured one, creating it (and its health checks) the first
     * time and applying configuration changes after.
     *
     * @param config the farm's configuration
     * @return the live farm
     */
    ServerFarm farm(WebFarmsSection.Farm config) {
        ServerFarm farm = farms.computeIfAbsent(config.name().toLowerCase(Locale.ROOT), k -> new ServerFarm(config));
        farm.update(config);
        if (!config.healthCheck().url().isEmpty() && !stopped) {
            checkers.computeIfAbsent(farm.name().toLowerCase(Locale.ROOT), k -> server.blockingExecutor()
                    .submit(() -> runChecks(farm)));
        }
        return farm;
    }

    /** @return the farms routed to so far, by name */
    public List<ServerFarm> farms() {
        return List.copyOf(farms.values());
    }

    /**
     * Finds a live farm by name.
     *
     * @param name the farm's name, any case
     * @return the farm, or empty before a request routed to it
     */
    public Optional<ServerFarm> find(String name) {
        return Optional.ofNullable(farms.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Stops the health checks when the server's module contexts are cleaned up. */
    @Override
    public void cleanupStoredContext() {
        stop();
    }

    /** Stops the health checks. */
    void stop() {
        stopped = true;
        for (Future<?> f : checkers.values()) {
            f.cancel(true);
        }
    }

    private void runChecks(ServerFarm farm) {
        while (!stopped && !Thread.currentThread().isInterrupted()) {
            WebFarmsSection.HealthCheck check = farm.config().healthCheck();
            if (check.url().isEmpty()) {
                checkers.remove(farm.name().toLowerCase(Locale.ROOT));
                return;
            }
            Optional<OutboundConnector> connector = server.outboundConnector();
            if (connector.isPresent()) {
                for (FarmServer s : farm.servers()) {
                    checkOne(connector.get(), check, s);
                }
            }
            try {
                Thread.sleep(Math.max(100, check.interval().toMillis()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void checkOne(OutboundConnector connector, WebFarmsSection.HealthCheck check, FarmServer s) {
        Optional<ProxyTarget> url = ProxyTarget.parse(check.url());
        if (url.isEmpty()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "health check URL '" + check.url()
                            + "' is not an absolute http or https URL; farm servers stay as they are");
            return;
        }
        OutboundHttpRequest request = new OutboundHttpRequest(
                "GET",
                url.get().target(),
                List.of(Map.entry("Host", url.get().authority()), Map.entry("User-Agent", "Weir-HealthCheck")),
                0,
                false,
                false,
                check.timeout(),
                check.timeout(),
                96 * 1024);
        try {
            OutboundHttpExchange exchange = connector.exchange(
                    url.get().secure()
                            ? new OutboundAddress.Tls(s.address(), s.httpsPort())
                            : new OutboundAddress.Tcp(s.address(), s.httpPort()),
                    request,
                    new OutboundHttpListener() {
                        private int status;
                        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

                        @Override
                        public void onResponseHead(int code, String reason, List<Map.Entry<String, String>> headers) {
                            status = code;
                        }

                        @Override
                        public void onResponseBody(ByteBuffer bytes) {
                            int room = HEALTH_BODY_LIMIT - body.size();
                            if (room > 0) {
                                body.write(
                                        bytes.array(),
                                        bytes.arrayOffset() + bytes.position(),
                                        Math.min(room, bytes.remaining()));
                            }
                        }

                        @Override
                        public void onResponseEnd(List<Map.Entry<String, String>> trailers) {
                            boolean ok = check.statusCodeMatch().matches(status)
                                    && (check.responseMatch().isEmpty()
                                            || body.toString(StandardCharsets.UTF_8)
                                                    .contains(check.responseMatch()));
                            result(s, ok, "status " + status);
                        }

                        @Override
                        public void onFailure(OutboundFailure failure) {
                            result(s, false, failure.message());
                        }
                    });
            exchange.endBody(List.of());
        } catch (RuntimeException e) {
            result(s, false, e.toString());
        }
    }

    private static void result(FarmServer s, boolean ok, String detail) {
        if (!ok) {
            s.healthCheckFailed();
        }
        if (s.healthy() != ok) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "farm server " + s.address() + ":" + s.httpPort() + " is " + (ok ? "healthy again" : "unhealthy")
                            + " (" + detail + ")");
            s.healthy(ok);
        }
    }

    /** How long a server that refused a connection stays out when its farm has no health check. */
    static final Duration PASSIVE_OUT = Duration.ofSeconds(10);

    /** Takes a server out after a failed connection; health checks (or the passive delay) bring it back. */
    void connectFailed(ServerFarm farm, FarmServer s) {
        if (!s.healthy()) {
            return;
        }
        s.healthy(false);
        if (farm.config().healthCheck().url().isEmpty() && !stopped) {
            server.blockingExecutor().submit(() -> {
                try {
                    Thread.sleep(PASSIVE_OUT.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                s.healthy(true);
            });
        }
    }
}
