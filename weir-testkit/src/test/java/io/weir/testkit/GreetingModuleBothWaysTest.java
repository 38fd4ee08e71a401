package io.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One module, one configuration, tested both ways: in memory through the engine (status, substatus,
 * headers, notification order) and over HTTP on loopback with {@link LoopbackServerExtension}.
 */
class GreetingModuleBothWaysTest {

    static WeirTestConfig config() {
        return WeirTestConfig.create().module("GreetingModule", GreetingModuleRegistration.class);
    }

    @Nested
    class InMemory {

        @Test
        void answersAndShowsTheNotificationsInPipelineOrder() {
            try (PipelineHarness weir = PipelineHarness.start(config())) {
                HarnessResponse r = weir.get("/greet?name=Ada");

                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("Hello, Ada");
                assertThat(r.header("Content-Type")).hasValue("text/plain; charset=utf-8");
                assertThat(r.header("X-Greeting")).hasValue("sent");
                assertThat(r.header("X-Greeting-Seen")).hasValue("yes");
                assertThat(r.notifications())
                        .containsExactly(
                                "BEGIN_REQUEST GreetingModule",
                                "POST_BEGIN_REQUEST GreetingModule",
                                "EXECUTE_REQUEST_HANDLER GreetingModule",
                                "SEND_RESPONSE GreetingModule");
            }
        }

        @Test
        void seesTheSubstatusThatNeverReachesTheWire() {
            try (PipelineHarness weir = PipelineHarness.start(config())) {
                HarnessResponse r = weir.get("/greet");

                assertThat(r.status()).isEqualTo(400);
                assertThat(r.subStatus()).isEqualTo(1);
                assertThat(r.statusWithSubStatus()).isEqualTo("400.1");
                assertThat(r.notificationsOf("GreetingModule"))
                        .containsExactly(
                                "BEGIN_REQUEST GreetingModule", "POST_BEGIN_REQUEST GreetingModule",
                                "EXECUTE_REQUEST_HANDLER GreetingModule", "SEND_RESPONSE GreetingModule");
            }
        }
    }

    @Nested
    class OverLoopback {

        @RegisterExtension
        final LoopbackServerExtension server = LoopbackServerExtension.of(GreetingModuleBothWaysTest::config);

        private final HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        @Test
        void answersOverHttp() throws Exception {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(server.uri("/greet?name=Ada")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("Hello, Ada");
            assertThat(r.headers().firstValue("X-Greeting")).hasValue("sent");
            assertThat(r.headers().firstValue("X-Greeting-Seen")).hasValue("yes");
            assertThat(r.headers().firstValue("Content-Length")).hasValue("10");
        }

        @Test
        void answers400OverHttp() throws Exception {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(server.uri("/greet")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(400);
        }

        @Test
        void listensOnLoopbackOnlyOnAFreePort() {
            assertThat(server.server().server().boundAddresses()).isNotEmpty().allSatisfy(a -> {
                assertThat(a.getAddress().isLoopbackAddress()).isTrue();
                assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
                assertThat(a.getPort()).isNotEqualTo(8080).isPositive();
            });
            assertThat(server.uri("/x").toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/x");
        }
    }

    @Test
    void servingAFolderListensOnLoopbackOnly(@TempDir Path root) {
        try (WeirTestServer served = WeirTestServer.serving(root)) {
            assertThat(served.server().boundAddresses())
                    .extracting(InetSocketAddress::getAddress)
                    .allSatisfy(a -> assertThat(a.getHostAddress()).isEqualTo("127.0.0.1"));
        }
    }
}
