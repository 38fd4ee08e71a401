package io.weir.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.weir.api.cache.KernelCacheStatistics;
import io.weir.api.cache.KernelResponseCache;
import io.weir.core.WeirEngine;
import io.weir.core.internal.pipeline.ExecutingRequests;
import io.weir.server.metrics.ServerMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administration endpoint: Weir's counterpart of IIS's Runtime Status and Control API
 * (RSCA), which {@code appcmd list requests} reads, and of its performance counters. It listens on
 * the port of the system property {@value #PORT_PROPERTY} (no property: no endpoint), on
 * {@code 127.0.0.1} unless {@value #ADDRESS_PROPERTY} names another address (a container's
 * probes and scrapers need {@code 0.0.0.0}), and answers only
 * requests carrying {@code Authorization: Bearer <token>} (except the health probes, and
 * {@code /metrics} when {@value #OPEN_METRICS_PROPERTY} is {@code true}), the token being the content of the file
 * named by {@value #TOKEN_FILE_PROPERTY} (default {@code ~/.weir/admin.token}). That file must be
 * readable and writable by its owner only (0600; 0400 is accepted): the endpoint refuses to start
 * otherwise. When it does not exist it is created, with 0600 and 32 random bytes (base64url).
 *
 * <p>Resources (GET only; anything else 405, unknown paths 404, a missing or wrong token 401):
 * <ul>
 *   <li>{@code /healthz} (no token): liveness, {@code 200 ok} while the endpoint's thread answers;</li>
 *   <li>{@code /readyz} (no token): readiness, {@code 200 ready} when the configuration is loaded,
 *       the server listens, is not draining and no module called {@code reportUnhealthy};
 *       otherwise {@code 503} with one reason per line;</li>
 *   <li>{@code /metrics}: the Prometheus text exposition of {@link ServerMetrics};</li>
 *   <li>{@code /status}: the runtime status, JSON: generation, requestsInFlight, requestsEnded,
 *       eventLoopOverruns, budgetMillis, and the kernel-style cache's kernelCacheEntries,
 *       kernelCacheBytes, kernelCacheHits and kernelCacheMisses;</li>
 *   <li>{@code /requests}: the status and the requests in flight ({@link WeirEngine#executingRequests}),
 *       JSON; with {@code ?format=tsv}, tab-separated lines: a header, then one line per request
 *       (tabs and line breaks inside values become spaces), which {@code weir list requests} prints as a
 *       table;</li>
 *   <li>the path of each {@link AdminReport} found by {@link ServiceLoader} on the server's class
 *       path (the command line adds {@code /farms}, the proxy's web farms), tab-separated;</li>
 *   <li>under the prefix of each {@link AdminPage} {@linkplain #mount mounted} (the command line
 *       mounts the Weir Manager at {@code /manager/}), any method: the page's own resources,
 *       without the token from a local browser only.</li>
 * </ul>
 * Runs on its own thread, never on an event loop. Uses the JDK's {@code com.sun.net.httpserver}: the
 * endpoint is tiny, local and off the request path, so it needs neither Netty nor the pipeline.
 */
public final class AdminEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminEndpoint.class);

    /** The system property that enables the endpoint and sets its port. */
    public static final String PORT_PROPERTY = "weir.admin.port";
    /** The reports found on the class path, served under their paths. */
    private static final List<AdminReport> REPORTS =
            ServiceLoader.load(AdminReport.class, AdminEndpoint.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList();
    /** The system property naming the token file. */
    public static final String TOKEN_FILE_PROPERTY = "weir.admin.tokenFile";
    /** The system property naming the address to listen on; default {@code 127.0.0.1}. */
    public static final String ADDRESS_PROPERTY = "weir.admin.address";
    /** The system property that, set to {@code true}, serves {@code /metrics} without a token. */
    public static final String OPEN_METRICS_PROPERTY = "weir.admin.openMetrics";

    /**
     * What the endpoint reports beyond the engine: the server's metrics and readiness.
     *
     * @param metrics     the metrics served at {@code /metrics}, or null for none (404)
     * @param notReady    the reasons the server is not ready now; empty when ready
     * @param openMetrics true to serve {@code /metrics} without a token
     */
    public record Probes(ServerMetrics metrics, Supplier<List<String>> notReady, boolean openMetrics) {

        /** @return probes with no metrics, ready while no module reported the server unhealthy */
        static Probes engineOnly(WeirEngine engine) {
            return new Probes(
                    null,
                    () -> engine.health().healthy()
                            ? List.of()
                            : engine.health().reasons().stream()
                                    .map(r -> "unhealthy: " + r)
                                    .toList(),
                    false);
        }
    }

    private final HttpServer http;
    private final ExecutorService executor;
    private final Map<String, AdminPage> pages;

    private AdminEndpoint(HttpServer http, ExecutorService executor, Map<String, AdminPage> pages) {
        this.http = http;
        this.executor = executor;
        this.pages = pages;
    }

    /**
     * Serves a web application under a path prefix: every request whose path starts with it goes
     * to the page, admitted without the token from a local browser only (a loopback client whose
     * {@code Host} names {@code localhost} or a loopback address), otherwise only with the token.
     *
     * @param prefix the prefix, starting and ending with {@code /}, for example {@code /manager/}
     * @param page   the application
     * @throws IllegalArgumentException when the prefix is malformed or taken
     */
    public void mount(String prefix, AdminPage page) {
        if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 3) {
            throw new IllegalArgumentException("a page's prefix is /NAME/, got " + prefix);
        }
        if (pages.putIfAbsent(prefix, page) != null) {
            throw new IllegalArgumentException(prefix + " is mounted already");
        }
    }

    /** @return the token file named by {@value #TOKEN_FILE_PROPERTY}, or {@code ~/.weir/admin.token} */
    public static Path tokenFile() {
        String file = System.getProperty(TOKEN_FILE_PROPERTY);
        return file != null && !file.isBlank()
                ? Path.of(file)
                : Path.of(System.getProperty("user.home"), ".weir", "admin.token");
    }

    /**
     * Starts the endpoint when {@value #PORT_PROPERTY} is set.
     *
     * @param engine the engine to report on
     * @return the endpoint, or null when the property is not set
     * @throws IOException when the port is not a number, the token file is unsafe or unreadable, or
     *                     the port cannot be bound
     */
    static AdminEndpoint startFromSystemProperties(WeirEngine engine, Probes probes) throws IOException {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null || port.isBlank()) {
            return null;
        }
        int number;
        try {
            number = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IOException("system property " + PORT_PROPERTY + "=" + port + " is not a port number");
        }
        String address = System.getProperty(ADDRESS_PROPERTY, "127.0.0.1").trim();
        InetAddress bind;
        try {
            bind = InetAddress.getByName(address.isEmpty() ? "127.0.0.1" : address);
        } catch (UnknownHostException e) {
            throw new IOException("system property " + ADDRESS_PROPERTY + "=" + address + " is not an address");
        }
        return start(engine, bind, number, tokenFile(), probes);
    }

    /** @return true when the system property {@value #PORT_PROPERTY} asks for the endpoint */
    static boolean configured() {
        String port = System.getProperty(PORT_PROPERTY);
        return port != null && !port.isBlank();
    }

    /**
     * Starts the endpoint.
     *
     * @param engine    the engine to report on
     * @param port      the port on 127.0.0.1 (0 = any free port)
     * @param tokenFile the token file (created with 0600 when absent)
     * @return the running endpoint
     * @throws IOException when the token file is unsafe or unreadable, or the port cannot be bound
     */
    public static AdminEndpoint start(WeirEngine engine, int port, Path tokenFile) throws IOException {
        return start(engine, InetAddress.getLoopbackAddress(), port, tokenFile, Probes.engineOnly(engine));
    }

    /**
     * Starts the endpoint on an address, with the server's metrics and readiness.
     *
     * @param engine    the engine to report on
     * @param address   the address to listen on
     * @param port      the port (0 = any free port)
     * @param tokenFile the token file (created with 0600 when absent)
     * @param probes    the metrics and readiness to serve
     * @return the running endpoint
     * @throws IOException when the token file is unsafe or unreadable, or the port cannot be bound
     */
    public static AdminEndpoint start(WeirEngine engine, InetAddress address, int port, Path tokenFile, Probes probes)
            throws IOException {
        byte[] token = readOrCreateToken(tokenFile);
        HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "weir-admin");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        Map<String, AdminPage> pages = new ConcurrentHashMap<>();
        http.createContext("/", exchange -> {
            try (exchange) {
                if (!servePage(pages, token, exchange)) {
                    handle(engine, token, probes, exchange);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("admin request failed", e);
            }
        });
        http.start();
        AdminEndpoint endpoint = new AdminEndpoint(http, executor, pages);
        LOG.info("admin endpoint on http://{}:{}/ (token in {})", address.getHostAddress(), endpoint.port(), tokenFile);
        return endpoint;
    }

    /** @return the port the endpoint listens on */
    public int port() {
        return http.getAddress().getPort();
    }

    /**
     * Reads the token file, checking that only its owner may read it; creates it when absent.
     *
     * @param file the token file
     * @return the token's bytes (trimmed)
     * @throws IOException when the file is unsafe, empty or unreadable
     */
    static byte[] readOrCreateToken(Path file) throws IOException {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.exists(file)) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try {
                if (posix) {
                    Files.createFile(
                            file,
                            PosixFilePermissions.asFileAttribute(
                                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
                } else {
                    Files.createFile(file);
                }
                Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
                LOG.info("created the admin token file {}", file);
            } catch (FileAlreadyExistsException e) {
                // created meanwhile: read it below
            }
        }
        if (posix) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> allowed =
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            if (!allowed.containsAll(perms)) {
                throw new IOException("the admin token file " + file + " has permissions "
                        + PosixFilePermissions.toString(perms) + "; it must be readable by its owner only"
                        + " (chmod 600 " + file + ")");
            }
        }
        String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (token.isEmpty()) {
            throw new IOException("the admin token file " + file + " is empty");
        }
        return token.getBytes(StandardCharsets.US_ASCII);
    }

    /** Hands a request to the mounted page whose prefix it has; false when none has. */
    private static boolean servePage(Map<String, AdminPage> pages, byte[] token, HttpExchange exchange)
            throws IOException {
        String path = exchange.getRequestURI().getPath();
        for (Map.Entry<String, AdminPage> page : pages.entrySet()) {
            String prefix = page.getKey();
            if (path.equals(prefix.substring(0, prefix.length() - 1))) {
                exchange.getResponseHeaders().set("Location", prefix);
                send(exchange, 308, "text/plain", prefix + "\n");
                return true;
            }
            if (path.startsWith(prefix)) {
                if (localBrowser(exchange) || bearerMatches(exchange, token)) {
                    page.getValue().handle(exchange);
                } else {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"weir-admin\"");
                    send(
                            exchange,
                            401,
                            "text/plain",
                            "401 Unauthorized: open this page from the server itself" + " (http://127.0.0.1:PORT"
                                    + prefix + "), or send Authorization: Bearer <token>\n");
                }
                return true;
            }
        }
        return false;
    }

    /**
     * A request from a browser on this machine: a loopback client that names a loopback host, so
     * that a page of another site whose name was made to resolve to 127.0.0.1 (DNS rebinding) is
     * not admitted.
     */
    static boolean localBrowser(HttpExchange exchange) {
        if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
            return false;
        }
        String host =
                String.valueOf(exchange.getRequestHeaders().getFirst("Host")).toLowerCase(Locale.ROOT);
        int colon = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(':');
        String name = colon > 0 ? host.substring(0, colon) : host;
        return name.equals("localhost") || name.equals("[::1]") || name.startsWith("127.");
    }

    private static boolean bearerMatches(HttpExchange exchange, byte[] token) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? auth.substring(7).trim().getBytes(StandardCharsets.US_ASCII)
                : new byte[0];
        return MessageDigest.isEqual(given, token);
    }

    private static void handle(WeirEngine engine, byte[] token, Probes probes, HttpExchange exchange)
            throws IOException {
        String path = exchange.getRequestURI().getPath();
        boolean get = exchange.getRequestMethod().equals("GET");
        if (get && path.equals("/healthz")) {
            send(exchange, 200, "text/plain; charset=utf-8", "ok\n");
            return;
        }
        if (get && path.equals("/readyz")) {
            List<String> reasons = probes.notReady().get();
            if (reasons.isEmpty()) {
                send(exchange, 200, "text/plain; charset=utf-8", "ready\n");
            } else {
                send(exchange, 503, "text/plain; charset=utf-8", String.join("\n", reasons) + "\n");
            }
            return;
        }
        if (get && path.equals("/metrics") && probes.openMetrics() && probes.metrics() != null) {
            sendMetrics(probes.metrics(), exchange);
            return;
        }
        if (!bearerMatches(exchange, token)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"weir-admin\"");
            send(exchange, 401, "text/plain", "401 Unauthorized: Authorization: Bearer <token> required\n");
            return;
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            send(exchange, 405, "text/plain", "405 Method Not Allowed\n");
            return;
        }
        String query = String.valueOf(exchange.getRequestURI().getQuery());
        WeirEngine.RuntimeStatus status = engine.runtimeStatus();
        switch (path) {
            case "/metrics" -> {
                if (probes.metrics() == null) {
                    send(exchange, 404, "text/plain", "404 Not Found: this server keeps no metrics\n");
                } else {
                    sendMetrics(probes.metrics(), exchange);
                }
            }
            case "/status" -> send(exchange, 200, "application/json", statusJson(engine, status) + "\n");
            case "/requests" -> {
                List<ExecutingRequests.Snapshot> requests = engine.executingRequests(Duration.ofSeconds(1));
                if (query.contains("format=tsv")) {
                    send(exchange, 200, "text/tab-separated-values; charset=utf-8", tsv(requests));
                } else {
                    send(
                            exchange,
                            200,
                            "application/json",
                            "{\"status\": " + statusJson(engine, status) + ", \"requests\": " + requestsJson(requests)
                                    + "}\n");
                }
            }
            default -> {
                for (AdminReport report : REPORTS) {
                    if (report.path().equals(path)) {
                        send(exchange, 200, "text/tab-separated-values; charset=utf-8", report.tsv(engine));
                        return;
                    }
                }
                send(exchange, 404, "text/plain", "404 Not Found: try /status or /requests\n");
            }
        }
    }

    private static void sendMetrics(ServerMetrics metrics, HttpExchange exchange) throws IOException {
        send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
    }

    private static String statusJson(WeirEngine engine, WeirEngine.RuntimeStatus s) {
        KernelCacheStatistics cache = engine.server()
                .kernelResponseCache()
                .map(KernelResponseCache::statistics)
                .orElse(new KernelCacheStatistics(0, 0, 0, 0, 0, 0));
        return String.format(
                Locale.ROOT,
                "{\"generation\": %d, \"requestsInFlight\": %d, \"requestsEnded\": %d, "
                        + "\"eventLoopOverruns\": %d, \"budgetMillis\": %d, \"recycleRequests\": %d, "
                        + "\"kernelCacheEntries\": %d, \"kernelCacheBytes\": %d, \"kernelCacheHits\": %d, "
                        + "\"kernelCacheMisses\": %d}",
                s.generation(),
                s.requestsInFlight(),
                s.requestsEnded(),
                s.eventLoopOverruns(),
                s.budgetMillis(),
                s.recycleRequests(),
                cache.entries(),
                cache.bytes(),
                cache.hits(),
                cache.misses());
    }

    /**
     * The runtime status and the requests in flight, as {@code /requests} answers them.
     *
     * @param engine the engine
     * @return JSON: {@code {"status": {…}, "requests": [{verb, url, site, notification, module, state,
     *         elapsedMillis, thread}, …]}}
     */
    public static String requestsJson(WeirEngine engine) {
        return "{\"status\": " + statusJson(engine, engine.runtimeStatus()) + ", \"requests\": "
                + requestsJson(engine.executingRequests(Duration.ofSeconds(1))) + "}";
    }

    private static String requestsJson(List<ExecutingRequests.Snapshot> requests) {
        StringBuilder sb = new StringBuilder("[");
        for (ExecutingRequests.Snapshot r : requests) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append("{\"verb\": ")
                    .append(quote(r.verb()))
                    .append(", \"url\": ")
                    .append(quote(r.url()))
                    .append(", \"site\": ")
                    .append(quote(r.site()))
                    .append(", \"notification\": ")
                    .append(quote(r.notification()))
                    .append(", \"module\": ")
                    .append(quote(r.module()))
                    .append(", \"state\": ")
                    .append(quote(r.state()))
                    .append(", \"elapsedMillis\": ")
                    .append(r.elapsedMillis())
                    .append(", \"thread\": ")
                    .append(quote(r.thread()))
                    .append('}');
        }
        return sb.append(']').toString();
    }

    private static String tsv(List<ExecutingRequests.Snapshot> requests) {
        StringBuilder sb = new StringBuilder("elapsedMillis\tverb\turl\tsite\tnotification\tmodule\tstate\tthread\n");
        for (ExecutingRequests.Snapshot r : requests) {
            sb.append(r.elapsedMillis())
                    .append('\t')
                    .append(cell(r.verb()))
                    .append('\t')
                    .append(cell(r.url()))
                    .append('\t')
                    .append(cell(r.site()))
                    .append('\t')
                    .append(cell(r.notification()))
                    .append('\t')
                    .append(cell(r.module()))
                    .append('\t')
                    .append(cell(r.state()))
                    .append('\t')
                    .append(cell(r.thread()))
                    .append('\n');
        }
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops listening and ends the endpoint's thread. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
