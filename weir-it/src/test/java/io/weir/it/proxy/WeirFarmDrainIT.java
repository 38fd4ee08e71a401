package io.weir.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.ApplicationHostConfig;
import io.weir.server.AdminEndpoint;
import io.weir.server.WeirServer;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * A farm of three Weir servers (each a full {@link WeirServer} with the default configuration and
 * its admin endpoint, on its own loopback address) behind Weir's own reverse proxy, as
 * docs/operations.md runs one: under a steady load, one node is drained ({@code enabled="false"}
 * on its farm server, applied by hot reload), its in-flight requests finish, its admin endpoint
 * reports it not ready once it stops, and it is stopped; not one client request fails.
 */
class WeirFarmDrainIT {

    static final String[] ADDRESSES = {"127.0.0.1", "127.0.0.2", "127.0.0.3"};

    @TempDir
    Path front;

    @TempDir
    Path nodes;

    private final WeirServer[] backends = new WeirServer[3];
    private final int[] ports = new int[3];
    private WeirTestServer proxy;

    @BeforeEach
    void startNodes() throws IOException {
        System.setProperty(AdminEndpoint.PORT_PROPERTY, "0");
        System.setProperty(
                AdminEndpoint.TOKEN_FILE_PROPERTY, nodes.resolve("admin.token").toString());
        String defaults;
        try (InputStream in = WeirFarmDrainIT.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(defaults).contains("bindingInformation=\"*:8080:\"");
        for (int i = 0; i < 3; i++) {
            Path root = Files.createDirectories(nodes.resolve("node-" + (i + 1)));
            Files.writeString(root.resolve("index.html"), "node-" + (i + 1));
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(ADDRESSES[i]))) {
                ports[i] = s.getLocalPort();
            }
            String text = defaults.replace(
                    "bindingInformation=\"*:8080:\"", "bindingInformation=\"" + ADDRESSES[i] + ":" + ports[i] + ":\"");
            backends[i] = WeirServer.start(ApplicationHostConfig.parse(
                    "node-" + (i + 1),
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                    root,
                    Map.of("WEIR_SITE_ROOT", root.toString())));
        }
    }

    @AfterEach
    void stopAll() {
        if (proxy != null) {
            proxy.close();
        }
        for (WeirServer b : backends) {
            if (b != null) {
                b.close();
            }
        }
        System.clearProperty(AdminEndpoint.PORT_PROPERTY);
        System.clearProperty(AdminEndpoint.TOKEN_FILE_PROPERTY);
    }

    private String farm(boolean thirdEnabled) {
        StringBuilder xml = new StringBuilder("<webFarm name=\"nodes\" enabled=\"true\">");
        for (int i = 0; i < 3; i++) {
            xml.append("<server address=\"")
                    .append(ADDRESSES[i])
                    .append("\"")
                    .append(i == 2 && !thirdEnabled ? " enabled=\"false\"" : "")
                    .append("><applicationRequestRouting httpPort=\"")
                    .append(ports[i])
                    .append("\" /></server>");
        }
        return xml.append("<applicationRequestRouting /></webFarm>").toString();
    }

    private String config(boolean thirdEnabled) {
        return ProxyConfig.xml("enabled=\"true\" timeout=\"00:00:10\"", "", farm(thirdEnabled));
    }

    private static String readyz(WeirServer node) throws Exception {
        int admin = node.adminEndpoint().orElseThrow().port();
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/readyz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().strip();
    }

    @Test
    void aNodeDrainedAndStoppedUnderLoadFailsNoRequest() throws Exception {
        proxy = WeirTestServer.start(config(true), Map.of("ROOT", front.toString()));
        for (WeirServer node : backends) {
            assertThat(readyz(node)).isEqualTo("200 ready");
        }
        RawHttp.Response first = RawHttp.exchange(
                proxy.port(),
                "GET /index.html HTTP/1.1\r\nHost: site.example\r\nX-Test-Proxy-To: http://nodes\r\n\r\n");
        assertThat(first.status()).as(first.bodyText()).isEqualTo(200);
        assertThat(first.bodyText()).startsWith("node-");
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, AtomicInteger> byNode = new ConcurrentHashMap<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try (RawHttp http = RawHttp.connect(proxy.port())) {
                        for (int i = 0; i < 25 && running.get(); i++) {
                            http.send("GET /index.html HTTP/1.1\r\nHost: site.example\r\n"
                                    + "X-Test-Proxy-To: http://nodes\r\n\r\n");
                            RawHttp.Response r = http.readResponse();
                            if (r.status() == 200) {
                                byNode.computeIfAbsent(r.bodyText(), k -> new AtomicInteger())
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
        try {
            long warm = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while ((byNode.size() < 3 || byNode.values().stream().anyMatch(n -> n.get() < 10))
                    && System.nanoTime() < warm) {
                Thread.sleep(50);
            }
            assertThat(byNode.keySet())
                    .as("failures: %s", failures)
                    .containsExactlyInAnyOrder("node-1", "node-2", "node-3");

            // drain node 3: the front stops sending it new requests; those in flight finish
            proxy.server()
                    .reload(ApplicationHostConfig.parse(
                            "drained",
                            new ByteArrayInputStream(config(false).getBytes(StandardCharsets.UTF_8)),
                            front,
                            Map.of("ROOT", front.toString())));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (backends[2].engine().requestsInFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
            int servedByThird = byNode.get("node-3").get();
            int servedByOthers =
                    byNode.get("node-1").get() + byNode.get("node-2").get();

            // stop the drained node as SIGTERM does; its admin endpoint says so while it goes
            Thread stopper = Thread.ofPlatform().start(() -> backends[2].stop(Duration.ofSeconds(10)));
            stopper.join(15_000);
            assertThat(stopper.isAlive()).isFalse();
            Thread.sleep(1000);

            assertThat(byNode.get("node-3").get())
                    .as("requests node 3 answered after its drain")
                    .isEqualTo(servedByThird);
            assertThat(byNode.get("node-1").get() + byNode.get("node-2").get()).isGreaterThan(servedByOthers + 20);
        } finally {
            running.set(false);
            for (Thread t : clients) {
                t.join(10_000);
            }
        }
        assertThat(failures).as("failed requests").isEmpty();
        for (int i = 0; i < 2; i++) {
            assertThat(readyz(backends[i])).isEqualTo("200 ready");
        }
    }
}
