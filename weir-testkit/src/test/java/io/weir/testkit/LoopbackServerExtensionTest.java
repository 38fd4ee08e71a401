package io.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class LoopbackServerExtensionTest {

    @TempDir
    static Path root;

    @RegisterExtension
    static LoopbackServerExtension server = LoopbackServerExtension.fromConfig(
            HelloModuleRegistration.CONFIG, () -> Map.of("TEST_ROOT", root.toString()));

    private static int firstPort;

    @Test
    void servesThroughTheRunningServer() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(server.uri("/x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("hello /x");
        samePortAcrossTests();
    }

    @Test
    void exposesTheServerForRawRequests() {
        RawHttp.Response response = RawHttp.exchange(server.port(), "HEAD /y HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).hasValue("8");
        assertThat(response.body()).isEmpty();
        samePortAcrossTests();
    }

    private static synchronized void samePortAcrossTests() {
        if (firstPort == 0) {
            firstPort = server.port();
        }
        assertThat(server.port()).isEqualTo(firstPort);
    }
}
