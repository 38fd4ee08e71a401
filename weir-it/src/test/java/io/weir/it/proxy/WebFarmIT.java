package io.weir.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.ApplicationHostConfig;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-server web farm behind the proxy, each server a JDK HTTP server on its own loopback
 * address (127.0.0.1, .2, .3: a farm's servers are keyed by address, as in ARR), reached by a
 * rewrite to {@code http://backends/...}.
 */
class WebFarmIT {

    static final String[] ADDRESSES = {"127.0.0.1", "127.0.0.2", "127.0.0.3"};

    @TempDir
    Path root;

    final Backends.JdkBackend[] servers = new Backends.JdkBackend[3];
    WeirTestServer weir;

    @BeforeEach
    void startBackends() {
        for (int i = 0; i < 3; i++) {
            servers[i] = new Backends.JdkBackend("s" + (i + 1), 0, ADDRESSES[i]);
        }
    }

    @AfterEach
    void stop() {
        if (weir != null) {
            weir.close();
        }
        for (Backends.JdkBackend s : servers) {
            if (s != null) {
                s.close();
            }
        }
    }

    String farm(String farmExtra, String... serverAttributes) {
        StringBuilder xml = new StringBuilder("<webFarm name=\"backends\" enabled=\"true\">");
        for (int i = 0; i < 3; i++) {
            xml.append("<server address=\"")
                    .append(ADDRESSES[i])
                    .append("\" ")
                    .append(serverAttributes.length > i ? serverAttributes[i] : "")
                    .append(">")
                    .append("<applicationRequestRouting httpPort=\"")
                    .append(servers[i].port())
                    .append("\" /></server>");
        }
        xml.append("<applicationRequestRouting>").append(farmExtra).append("</applicationRequestRouting></webFarm>");
        return xml.toString();
    }

    String config(String farmXml) {
        return ProxyConfig.xml("enabled=\"true\" timeout=\"00:00:10\"", "", farmXml);
    }

    void start(String farmXml) {
        weir = WeirTestServer.start(config(farmXml), Map.of("ROOT", root.toString()));
    }

    void reload(String farmXml) {
        weir.server()
                .reload(ApplicationHostConfig.parse(
                        "reloaded",
                        new ByteArrayInputStream(config(farmXml).getBytes(StandardCharsets.UTF_8)),
                        root,
                        Map.of("ROOT", root.toString())));
    }

    static String request(String path, String extra) {
        return "GET " + path + " HTTP/1.1\r\nHost: site.example\r\nX-Test-Proxy-To: http://backends\r\n" + extra
                + "\r\n";
    }

    static String backendOf(RawHttp.Response r) {
        return r.header("X-Backend").orElse("none");
    }

    @Test
    void weightedRoundRobinSpreadsRequestsByWeight() {
        start(farm("", "", "", "")
                .replace(
                        "<applicationRequestRouting httpPort=\"" + servers[2].port() + "\" />",
                        "<applicationRequestRouting httpPort=\"" + servers[2].port() + "\" weight=\"200\" />"));
        Map<String, Integer> counts = new HashMap<>();
        try (RawHttp http = RawHttp.connect(weir.port())) {
            for (int i = 0; i < 40; i++) {
                http.send(request("/rr/" + i, ""));
                counts.merge(backendOf(http.readResponse()), 1, Integer::sum);
            }
        }
        assertThat(counts).containsEntry("s1", 10).containsEntry("s2", 10).containsEntry("s3", 20);
    }

    @Test
    void requestHashSendsTheSameUrlToTheSameServer() {
        start(farm("<loadBalancing algorithm=\"RequestHash\" />"));
        for (String path : List.of("/a", "/b", "/c", "/d")) {
            String first = backendOf(RawHttp.exchange(weir.port(), request(path, "")));
            for (int i = 0; i < 5; i++) {
                assertThat(backendOf(RawHttp.exchange(weir.port(), request(path + "?q=" + i, ""))))
                        .isEqualTo(first);
            }
        }
    }

    @Test
    void leastRequestsAvoidsTheBusyServer() throws Exception {
        start(farm("<loadBalancing algorithm=\"LeastRequests\" />"));
        // one slow request occupies a server; the next ones go to the other two
        RawHttp slow = RawHttp.connect(weir.port());
        slow.send(request("/slow?t=3000", ""));
        Backends.sleep(500);
        String busy = null;
        for (Backends.JdkBackend s : servers) {
            if (s.requests.get() == 1) {
                busy = s.name;
            }
        }
        assertThat(busy).isNotNull();
        for (int i = 0; i < 6; i++) {
            assertThat(backendOf(RawHttp.exchange(weir.port(), request("/quick", ""))))
                    .isNotEqualTo(busy);
        }
        assertThat(backendOf(slow.readResponse())).isEqualTo(busy);
        slow.close();
    }

    @Test
    void affinityCookieSendsAClientBackToItsServer() {
        start(farm("<affinity useCookie=\"true\" />"));
        RawHttp.Response first = RawHttp.exchange(weir.port(), request("/", ""));
        String cookie = first.header("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("ARRAffinity=");
        String value = cookie.substring("ARRAffinity=".length(), cookie.indexOf(';'));
        String server = backendOf(first);
        for (int i = 0; i < 6; i++) {
            RawHttp.Response r =
                    RawHttp.exchange(weir.port(), request("/again", "Cookie: ARRAffinity=" + value + "\r\n"));
            assertThat(backendOf(r)).isEqualTo(server);
            assertThat(r.header("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void aDrainedServerFinishesItsRequestsAndGetsNoNewOnes() throws Exception {
        start(farm(""));
        // start slow requests on every server
        List<RawHttp> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawHttp http = RawHttp.connect(weir.port());
            http.send(request("/slow?t=2000", ""));
            slow.add(http);
        }
        Backends.sleep(300);
        reload(farm("", "", "", "enabled=\"false\""));
        int before = servers[2].requests.get();
        for (int i = 0; i < 12; i++) {
            assertThat(backendOf(RawHttp.exchange(weir.port(), request("/new", ""))))
                    .isNotEqualTo("s3");
        }
        assertThat(servers[2].requests.get()).isEqualTo(before);
        List<String> finished = new ArrayList<>();
        for (RawHttp http : slow) {
            RawHttp.Response r = http.readResponse();
            assertThat(r.status()).isEqualTo(200);
            finished.add(backendOf(r));
            http.close();
        }
        assertThat(finished).containsExactlyInAnyOrder("s1", "s2", "s3");
        reload(farm("", "enabled=\"false\"", "enabled=\"false\"", "enabled=\"false\""));
        RawHttp.Response none = RawHttp.exchange(weir.port(), request("/none", ""));
        assertThat(none.status()).isEqualTo(502);
        assertThat(none.bodyText()).contains("502.4");
    }

    @Test
    void aServerKilledAndRestartedMidLoadFailsNoIdempotentRequest() throws Exception {
        start(
                farm(
                        "<healthCheck url=\"http://backends/health\" interval=\"00:00:01\" timeout=\"00:00:01\" responseMatch=\"healthy\" />"));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> byServer = new ConcurrentHashMap<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try (RawHttp http = RawHttp.connect(weir.port())) {
                        for (int i = 0; i < 20 && running.get(); i++) {
                            http.send(request("/load/" + i, ""));
                            RawHttp.Response r = http.readResponse();
                            if (r.status() == 200) {
                                ok.incrementAndGet();
                                byServer.computeIfAbsent(backendOf(r), k -> new AtomicInteger())
                                        .incrementAndGet();
                            } else {
                                failures.add(r.status() + " "
                                        + r.bodyText().lines().limit(3).toList());
                            }
                        }
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        Backends.sleep(1500);
        int port = servers[1].port();
        servers[1].close();
        Backends.sleep(3000);
        int okWhileDown = ok.get();
        servers[1] = new Backends.JdkBackend("s2-restarted", port, ADDRESSES[1]);
        // the health check (every second) brings it back
        long deadline = System.nanoTime() + 8_000_000_000L;
        while (byServer.getOrDefault("s2-restarted", new AtomicInteger()).get() < 5 && System.nanoTime() < deadline) {
            Backends.sleep(100);
        }
        running.set(false);
        for (Thread t : clients) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(okWhileDown).isGreaterThan(50);
        assertThat(byServer.get("s2-restarted"))
                .as("requests to the restarted server")
                .isNotNull();
        assertThat(byServer.get("s2-restarted").get()).isGreaterThanOrEqualTo(5);
        assertThat(byServer.get("s1").get()).isGreaterThan(0);
        assertThat(byServer.get("s3").get()).isGreaterThan(0);
    }
}
