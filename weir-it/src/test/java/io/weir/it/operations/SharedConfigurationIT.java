package io.weir.it.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.ApplicationHostConfig;
import io.weir.server.WeirServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared configuration (IIS's redirection.config model) as a Kubernetes ConfigMap volume delivers
 * it: three servers read one applicationHost.config from one folder (each on its own port, as
 * {@code weir serve --config FILE --port N} runs it), which is updated the way the
 * kubelet updates a mounted ConfigMap (the file is a symbolic link through {@code ..data}, and an
 * update swaps {@code ..data} to a new timestamped folder in one rename). A good change reaches all
 * three by hot reload; a bad one is refused by all three, which keep serving the last good one.
 */
class SharedConfigurationIT {

    private static final String HEADERS = "</customHeaders>";

    @TempDir
    Path shared;

    @TempDir
    Path content;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int version;

    /** Writes a new version of the file as the kubelet's atomic writer does. */
    private void publish(String text) throws IOException {
        Path data = shared.resolve("..2026_12_07_v" + ++version);
        Files.createDirectory(data);
        Files.writeString(data.resolve("applicationHost.config"), text, StandardCharsets.UTF_8);
        Path tmp = shared.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, data.getFileName());
        Files.move(tmp, shared.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path file = shared.resolve("applicationHost.config");
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(file, Path.of("..data", "applicationHost.config"));
        }
    }

    private static String configWithHeader(String base, String value) {
        return base.replace(HEADERS, "<add name=\"X-Shared-Config\" value=\"" + value + "\" />" + HEADERS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private String header(int port) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("X-Shared-Config").orElse("");
    }

    private void awaitAll(List<Integer> ports, Predicate<String> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (int port : ports) {
            while (!wanted.test(header(port)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aChangeReachesEveryNodeAndABadOneIsRefusedByEach() throws Exception {
        Files.writeString(content.resolve("index.html"), "shared");
        String base;
        try (InputStream in =
                SharedConfigurationIT.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            base = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(base).contains(HEADERS);
        publish(configWithHeader(base, "v1"));
        Path file = shared.resolve("applicationHost.config");

        List<WeirServer> nodes = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                int port = freePort();
                // each node listens on its own port, as `weir serve --config FILE --port N` does
                UnaryOperator<ApplicationHostConfig> ownPort =
                        c -> c.withSiteOverrides("Default Web Site", Optional.empty(), OptionalInt.of(port));
                Map<String, String> variables = Map.of("WEIR_SITE_ROOT", content.toString());
                WeirServer node = WeirServer.start(ownPort.apply(ApplicationHostConfig.load(file, variables)));
                nodes.add(node);
                node.watch(file, variables, Duration.ofMillis(100)).adjustEachConfiguration(ownPort);
                ports.add(port);
            }
            for (int port : ports) {
                assertThat(header(port)).isEqualTo("v1");
            }

            publish(configWithHeader(base, "v2"));
            awaitAll(ports, "v2"::equals);
            for (int i = 0; i < 3; i++) {
                assertThat(header(ports.get(i))).as("node %d", i).isEqualTo("v2");
                assertThat(nodes.get(i).engine().generation()).isEqualTo(2);
            }

            // a bad change (an attribute value that is not a boolean): every node refuses it and keeps v2
            String keepAlive = "<httpProtocol allowKeepAlive=\"true\">";
            assertThat(base).contains(keepAlive);
            publish(configWithHeader(base, "v3").replace(keepAlive, "<httpProtocol allowKeepAlive=\"maybe\">"));
            Thread.sleep(1500);
            for (int i = 0; i < 3; i++) {
                assertThat(header(ports.get(i))).as("node %d", i).isEqualTo("v2");
                assertThat(nodes.get(i).engine().generation()).isEqualTo(2);
            }

            publish(configWithHeader(base, "v4"));
            awaitAll(ports, "v4"::equals);
            for (int i = 0; i < 3; i++) {
                assertThat(header(ports.get(i))).as("node %d", i).isEqualTo("v4");
                assertThat(nodes.get(i).engine().generation()).isEqualTo(3);
            }
        } finally {
            for (WeirServer node : nodes) {
                node.stop(Duration.ofSeconds(5));
            }
        }
    }
}
