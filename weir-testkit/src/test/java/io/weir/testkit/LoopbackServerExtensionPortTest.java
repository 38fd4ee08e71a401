package io.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code LoopbackServerExtension.onPort(N)} listens on 127.0.0.1:N, the port a test chose beforehand. */
class LoopbackServerExtensionPortTest {

    @TempDir
    Path root;

    @Test
    void listensOnTheChosenPort() throws Exception {
        int chosen;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            chosen = probe.getLocalPort();
        }
        LoopbackServerExtension extension = LoopbackServerExtension.fromConfig(
                        HelloModuleRegistration.CONFIG, () -> Map.of("TEST_ROOT", root.toString()))
                .onPort(chosen);
        extension.beforeAll(null);
        try {
            assertThat(extension.port()).isEqualTo(chosen);
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chosen + "/a.txt"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("hello /a.txt");
        } finally {
            extension.afterAll(null);
        }
    }

    @Test
    void refusesAPortOutsideTheRange() {
        assertThatThrownBy(() -> LoopbackServerExtension.serving(() -> root).onPort(70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
    }
}
