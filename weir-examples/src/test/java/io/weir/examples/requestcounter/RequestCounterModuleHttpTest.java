package io.weir.examples.requestcounter;

import static io.weir.examples.LoopbackClient.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.examples.ExampleConfig;
import io.weir.examples.ModuleJar;
import io.weir.examples.helloworld.HelloWorldModuleRegistration;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request counter loaded from its own JAR: the global half counts every request in
 * PRE_BEGIN_REQUEST, the request half shows the count where it is enabled.
 */
class RequestCounterModuleHttpTest {

    private static final int REQUESTS = 5;

    @TempDir
    Path modules;

    @TempDir
    Path siteRoot;

    @Test
    void countsEveryRequestIncludingOnesItsRequestHalfNeverSees() throws IOException {
        Path jar = ModuleJar.build(
                modules,
                "requestcounter.jar",
                RequestCounterModuleRegistration.class,
                RequestCounterModuleRegistration.class);
        Files.writeString(siteRoot.resolve("a.txt"), "a");
        String config = new ExampleConfig()
                .globalModule("RequestCounterModule", "image=\"" + jar + "\"")
                .globalModule("HelloWorldModule", "type=\"" + HelloWorldModuleRegistration.class.getName() + "\"")
                .module("RequestCounterModule")
                .moduleAt("Default Web Site/hello", "HelloWorldModule")
                .toXml();

        try (WeirTestServer server = WeirTestServer.start(config, Map.of("WEIR_SITE_ROOT", siteRoot.toString()))) {
            List<Long> counts = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                HttpResponse<String> response = get(server.uri("/a.txt"));
                assertThat(response.body()).isEqualTo("a");
                counts.add(count(response));
            }
            // The server may have served requests of its own before (a readiness probe, say):
            // count relative to the first response.
            long first = counts.get(0);
            assertThat(first).isPositive();
            assertThat(counts).containsExactly(first, first + 1, first + 2, first + 3, first + 4);

            // Hello World clears the response (and with it the header), but the global half has
            // counted the request in PRE_BEGIN_REQUEST, before any request module ran.
            HttpResponse<String> hello = get(server.uri("/hello"));
            assertThat(hello.body()).isEqualTo("Hello World");
            assertThat(hello.headers().firstValue(RequestCounterModule.HEADER_NAME))
                    .isEmpty();
            get(server.uri("/hello"));

            assertThat(count(get(server.uri("/a.txt")))).isEqualTo(first + REQUESTS + 2);
        }
    }

    @Test
    void theSameModuleWorksFromTheClassPathWithType() throws IOException {
        Files.writeString(siteRoot.resolve("a.txt"), "a");
        String config = new ExampleConfig()
                .globalModule(
                        "RequestCounterModule", "type=\"" + RequestCounterModuleRegistration.class.getName() + "\"")
                .module("RequestCounterModule")
                .toXml();

        try (WeirTestServer server = WeirTestServer.start(config, Map.of("WEIR_SITE_ROOT", siteRoot.toString()))) {
            long first = count(get(server.uri("/a.txt")));
            assertThat(count(get(server.uri("/a.txt")))).isEqualTo(first + 1);
        }
    }

    private static long count(HttpResponse<String> response) {
        return Long.parseLong(response.headers()
                .firstValue(RequestCounterModule.HEADER_NAME)
                .orElseThrow(() -> new AssertionError("no " + RequestCounterModule.HEADER_NAME + " header; headers: "
                        + response.headers().map())));
    }
}
