package io.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.core.GlobalModuleStatus;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeirTestServerTest {

    @TempDir
    Path root;

    @Test
    void runsAConfigurationTextOnAFreeLoopbackPort() throws Exception {
        try (WeirTestServer server =
                WeirTestServer.start(HelloModuleRegistration.CONFIG, Map.of("TEST_ROOT", root.toString()))) {
            assertThat(server.port()).isPositive().isNotEqualTo(8080);
            assertThat(server.uri("/a/b.txt?x=1").toString())
                    .isEqualTo("http://127.0.0.1:" + server.port() + "/a/b.txt?x=1");
            assertThat(server.server().engine().modules())
                    .extracting(GlobalModuleStatus::name)
                    .contains("HelloModule");

            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(server.uri("/greeting")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello /greeting");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        }
    }

    @Test
    void answersPipelinedRequestsInOrderThroughTheEngine() {
        try (WeirTestServer server =
                        WeirTestServer.start(HelloModuleRegistration.CONFIG, Map.of("TEST_ROOT", root.toString()));
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("GET /one HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /two HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /three HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(http.readResponse().bodyText()).isEqualTo("hello /one");
            assertThat(http.readResponse().bodyText()).isEqualTo("hello /two");
            RawHttp.Response last = http.readResponse();
            assertThat(last.bodyText()).isEqualTo("hello /three");
            assertThat(last.header("Connection")).hasValue("close");
            assertThat(http.awaitClose()).isTrue();
        }
    }

    @Test
    void stopsListeningWhenClosed() {
        WeirTestServer server =
                WeirTestServer.start(HelloModuleRegistration.CONFIG, Map.of("TEST_ROOT", root.toString()));
        int port = server.port();
        server.close();
        server.close(); // idempotent
        Assertions.assertThatThrownBy(() -> RawHttp.connect(port)).isInstanceOf(UncheckedIOException.class);
    }
}
