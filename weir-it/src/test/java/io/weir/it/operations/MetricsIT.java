package io.weir.it.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import io.weir.server.AdminEndpoint;
import io.weir.testkit.WeirTestConfig;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin binding's Prometheus metrics and health probes, against a real server over loopback:
 * the request counts scraped while a load runs end equal to the access log's lines, status class
 * by status class; readiness fails when a module reports the server unhealthy and while it drains.
 */
class MetricsIT {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? ([0-9.eE+-]+)$");
    private static final int CONNECTIONS = 8;
    private static final int REQUESTS_PER_CONNECTION = 400;

    @TempDir
    Path root;

    @TempDir
    Path logs;

    @TempDir
    Path home;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeEach
    void adminOnAnyFreePort() {
        System.setProperty(AdminEndpoint.PORT_PROPERTY, "0");
        System.setProperty(
                AdminEndpoint.TOKEN_FILE_PROPERTY, home.resolve("admin.token").toString());
    }

    @AfterEach
    void noAdminForOtherTests() {
        System.clearProperty(AdminEndpoint.PORT_PROPERTY);
        System.clearProperty(AdminEndpoint.TOKEN_FILE_PROPERTY);
    }

    @Test
    void requestCountsScrapedDuringALoadMatchTheAccessLog() throws Exception {
        Files.writeString(root.resolve("index.html"), "<!doctype html><title>metrics</title><p>" + "x".repeat(700));
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "docs");
        String config;
        try (InputStream in = MetricsIT.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String logFile = "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" />";
        assertThat(config).contains(logFile);
        config = config.replace(
                logFile, "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" directory=\"" + logs + "\" />");
        WeirTestServer server = WeirTestServer.start(config, Map.of("WEIR_SITE_ROOT", root.toString()));
        Map<String, Long> sentByClass = new ConcurrentHashMap<>();
        AtomicLong bodyBytes = new AtomicLong();
        List<Double> scraped = new ArrayList<>();
        Map<String, Double> metrics;
        try {
            AdminEndpoint admin = server.server().adminEndpoint().orElseThrow();
            String token = Files.readString(home.resolve("admin.token")).trim();
            URI base = URI.create("http://127.0.0.1:" + admin.port());
            assertThat(get(base.resolve("/metrics"), null).statusCode()).isEqualTo(401);
            assertThat(get(base.resolve("/healthz"), null).body()).isEqualTo("ok\n");
            assertThat(get(base.resolve("/readyz"), null).statusCode()).isEqualTo(200);

            AtomicBoolean loading = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS + 1);
            Future<?> scraper = pool.submit(() -> {
                while (loading.get()) {
                    scraped.add(total(parse(get(base.resolve("/metrics"), token).body()), "weir_requests_total"));
                    Thread.sleep(20);
                }
                return null;
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int worker = c;
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < REQUESTS_PER_CONNECTION; i++) {
                        String path =
                                switch (i % 10) {
                                    case 0 -> "/missing-" + worker + "-" + i + ".txt";
                                    case 1 -> "/docs";
                                    default -> "/index.html";
                                };
                        HttpResponse<byte[]> r = client.send(
                                HttpRequest.newBuilder(server.uri(path))
                                        .timeout(Duration.ofSeconds(20))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        sentByClass.merge(r.statusCode() / 100 + "xx", 1L, Long::sum);
                        bodyBytes.addAndGet(r.body().length);
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(180, TimeUnit.SECONDS);
            }
            loading.set(false);
            scraper.get(20, TimeUnit.SECONDS);
            pool.shutdown();

            long sent = CONNECTIONS * REQUESTS_PER_CONNECTION;
            assertThat(sentByClass).containsOnlyKeys("2xx", "3xx", "4xx");
            // A request is counted when it ends, just after its last byte is handed to the socket.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            do {
                metrics = parse(get(base.resolve("/metrics"), token).body());
            } while (total(metrics, "weir_requests_total") < sent && System.nanoTime() < deadline);
        } finally {
            server.close(); // writes every queued access log line
        }
        long sent = CONNECTIONS * REQUESTS_PER_CONNECTION;
        Map<String, Long> logged = accessLogByStatusClass(logs.resolve("W3SVC1"));
        String series = "{protocol=\"HTTP/1.1\",site=\"Default Web Site\",status_class=\"%s\"}";
        for (String statusClass : List.of("2xx", "3xx", "4xx")) {
            double counted = metrics.getOrDefault("weir_requests_total" + series.formatted(statusClass), -1.0);
            assertThat((long) counted)
                    .as(statusClass)
                    .isEqualTo(sentByClass.get(statusClass))
                    .isEqualTo(logged.get(statusClass));
        }
        assertThat(logged.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(sent);
        assertThat(total(metrics, "weir_requests_total")).isEqualTo((double) sent);
        assertThat(total(metrics, "weir_request_duration_seconds_count")).isEqualTo((double) sent);
        assertThat(metrics.entrySet().stream()
                        .filter(e -> e.getKey().startsWith("weir_request_duration_seconds_bucket{")
                                && e.getKey().contains("le=\"+Inf\""))
                        .mapToDouble(Map.Entry::getValue)
                        .sum())
                .isEqualTo((double) sent);
        assertThat(total(metrics, "weir_response_body_bytes_total")).isEqualTo((double) bodyBytes.get());
        assertThat(metrics)
                .containsKeys(
                        "weir_connections_active",
                        "weir_requests_active",
                        "weir_event_loop_overruns_total",
                        "weir_file_cache_lookups_total{result=\"hit\"}",
                        "weir_config_generation",
                        "weir_healthy",
                        "weir_ready");
        assertThat(metrics.keySet())
                .anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"))
                .anyMatch(k -> k.startsWith("jvm_buffer_memory_used_bytes{"));
        // a URL hit twice in 10 s is answered from the kernel-style cache, without a file lookup
        double kernelHits = metrics.get("weir_kernel_cache_lookups_total{result=\"hit\"}");
        assertThat(kernelHits).isPositive();
        assertThat(metrics.get("weir_file_cache_lookups_total{result=\"hit\"}") + kernelHits)
                .isGreaterThan(sent / 2.0);
        // One request in 16 has its module calls timed: some were, far from all.
        double sampled = metrics.getOrDefault(
                "weir_module_notification_seconds_count{module=\"HttpLoggingModule\",notification=\"LOG_REQUEST\"}",
                0.0);
        assertThat(sampled).isGreaterThan(0).isLessThan(sent / 2.0);
        assertThat(metrics).containsKey("weir_access_log_queue_lines");
        // Scraped while the load ran: counts only grow, and some scrape saw the load half done.
        assertThat(scraped).hasSizeGreaterThan(2).isSorted();
        assertThat(scraped).anyMatch(n -> n > 0 && n < sent);
    }

    @Test
    void everyModuleCallIsTimedByNotificationWhenTheSampleIsEveryRequest() throws Exception {
        System.setProperty("weir.metrics.moduleSampleEvery", "1");
        Files.writeString(root.resolve("index.html"), "timed");
        String config;
        try (InputStream in = MetricsIT.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String logFile = "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" />";
        config = config.replace(
                logFile, "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" directory=\"" + logs + "\" />");
        WeirTestServer server = WeirTestServer.start(config, Map.of("WEIR_SITE_ROOT", root.toString()));
        try {
            AdminEndpoint admin = server.server().adminEndpoint().orElseThrow();
            String token = Files.readString(home.resolve("admin.token")).trim();
            URI base = URI.create("http://127.0.0.1:" + admin.port());
            int requests = 25;
            // one URL each: a URL hit twice in 10 s would be answered from the kernel-style cache,
            // before any module runs
            for (int i = 0; i < requests; i++) {
                assertThat(get(server.uri("/index.html?n=" + i), null).body()).isEqualTo("timed");
            }
            String series = "weir_module_notification_seconds_%s{module=\"%s\",notification=\"%s\"}";
            Map<String, Double> metrics;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            do {
                metrics = parse(get(base.resolve("/metrics"), token).body());
            } while (metrics.getOrDefault(series.formatted("count", "HttpLoggingModule", "LOG_REQUEST"), 0.0) < requests
                    && System.nanoTime() < deadline);
            for (String[] call : List.of(
                    new String[] {"HttpLoggingModule", "LOG_REQUEST"},
                    new String[] {"StaticFileModule", "EXECUTE_REQUEST_HANDLER"})) {
                assertThat(metrics.get(series.formatted("count", call[0], call[1])))
                        .as("%s in %s", call[0], call[1])
                        .isEqualTo((double) requests);
                assertThat(metrics.get(series.formatted("sum", call[0], call[1])))
                        .as("%s in %s", call[0], call[1])
                        .isGreaterThan(0.0)
                        .isLessThan(10.0);
            }
            assertThat(metrics.get("weir_access_log_queue_lines")).isBetween(0.0, (double) requests);
            assertThat(metrics).containsEntry("weir_access_log_queue_capacity_lines", 16_384.0);
        } finally {
            System.clearProperty("weir.metrics.moduleSampleEvery");
            server.close();
        }
    }

    @Test
    void readinessFailsWhenAModuleReportsTheServerUnhealthyAndWhileItDrains() throws Exception {
        WeirTestConfig config = WeirTestConfig.create()
                .module(
                        "Probe",
                        (version, info, server) -> info.setRequestNotifications(
                                allocator -> new ProbeModule(),
                                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                                EnumSet.noneOf(RequestNotification.class)));
        WeirTestServer server = WeirTestServer.start(config);
        try {
            AdminEndpoint admin = server.server().adminEndpoint().orElseThrow();
            String token = Files.readString(home.resolve("admin.token")).trim();
            URI base = URI.create("http://127.0.0.1:" + admin.port());
            assertThat(get(base.resolve("/readyz"), null).body()).isEqualTo("ready\n");
            assertThat(parse(get(base.resolve("/metrics"), token).body()))
                    .containsEntry("weir_healthy", 1.0)
                    .containsEntry("weir_ready", 1.0);

            assertThat(get(server.uri("/sick"), null).body()).isEqualTo("reported");
            HttpResponse<String> notReady = get(base.resolve("/readyz"), null);
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("unhealthy: the disk is full\n");
            assertThat(get(base.resolve("/healthz"), null).statusCode()).isEqualTo(200);
            assertThat(parse(get(base.resolve("/metrics"), token).body()))
                    .containsEntry("weir_healthy", 0.0)
                    .containsEntry("weir_ready", 0.0);

            // A stop drains: readiness says so while a slow request finishes, and that request completes.
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                    HttpRequest.newBuilder(server.uri("/slow"))
                            .timeout(Duration.ofSeconds(20))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitInFlight(server, 1);
            Thread stopper = Thread.ofPlatform().start(() -> server.server().stop(Duration.ofSeconds(20)));
            HttpResponse<String> draining = awaitReadyz(base, "draining");
            assertThat(draining.statusCode()).isEqualTo(503);
            assertThat(slow.get(20, TimeUnit.SECONDS).body()).isEqualTo("slow done");
            stopper.join(30_000);
            assertThat(stopper.isAlive()).isFalse();
        } finally {
            server.close();
        }
    }

    /** Reports the server unhealthy on /sick; answers /slow after 1.5 s of blocking work. */
    static final class ProbeModule implements HttpModule {
        @Override
        public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
            String path = c.request().urlPath();
            if (path.equals("/sick")) {
                c.server().reportUnhealthy("the disk is full");
                c.response().writeEntityChunks(DataChunk.ofUtf8("reported"));
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            if (path.equals("/slow")) {
                c.server().blockingExecutor().execute(() -> {
                    try {
                        Thread.sleep(1500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    c.postCompletion(0);
                });
                return RequestNotificationStatus.PENDING;
            }
            c.response().writeEntityChunks(DataChunk.ofUtf8("ok"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }

        @Override
        public RequestNotificationStatus onAsyncCompletion(
                HttpContext c,
                RequestNotification notification,
                boolean postNotification,
                HttpEventProvider provider,
                CompletionInfo info) {
            c.response().writeEntityChunks(DataChunk.ofUtf8("slow done"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
    }

    private static void awaitInFlight(WeirTestServer server, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.server().engine().requestsInFlight() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.server().engine().requestsInFlight()).isGreaterThanOrEqualTo(n);
    }

    private HttpResponse<String> awaitReadyz(URI base, String reason) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> r;
        do {
            r = get(base.resolve("/readyz"), null);
        } while (!r.body().contains(reason) && System.nanoTime() < deadline);
        assertThat(r.body()).contains(reason);
        return r;
    }

    private HttpResponse<String> get(URI uri, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The samples of a Prometheus text exposition, by name and labels as written. */
    static Map<String, Double> parse(String exposition) {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a sample line: %s", line).isTrue();
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return samples;
    }

    /** The sum of every series of a metric. */
    static double total(Map<String, Double> samples, String name) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** Counts the W3C access log's lines by the first digit of sc-status. */
    private static Map<String, Long> accessLogByStatusClass(Path folder) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        List<Path> files;
        try (var list = Files.list(folder)) {
            files = list.toList();
        }
        for (Path f : files) {
            int status = -1;
            for (String line : Files.readAllLines(f)) {
                if (line.startsWith("#Fields: ")) {
                    status = List.of(line.substring(9).trim().split(" ")).indexOf("sc-status");
                } else if (!line.startsWith("#") && !line.isBlank()) {
                    assertThat(status)
                            .as("a #Fields line naming sc-status precedes the entries")
                            .isNotNegative();
                    counts.merge(line.split(" ")[status].charAt(0) + "xx", 1L, Long::sum);
                }
            }
        }
        return counts;
    }
}
