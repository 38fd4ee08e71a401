package io.weir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.config.ApplicationHostConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WeirServer with the real engine and a module of the test's own, over loopback. */
class EngineEndToEndTest {

    private static final String CONFIG = """
            <configuration>
              <configSections>
                <sectionGroup name="system.applicationHost">
                  <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                </sectionGroup>
                <sectionGroup name="system.webServer">
                  <section name="globalModules" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                  <section name="modules" allowDefinition="MachineToApplication" overrideModeDefault="Deny" />
                  <section name="handlers" overrideModeDefault="Deny" />
                </sectionGroup>
              </configSections>
              <system.applicationHost>
                <sites>
                  <site name="Files" id="1" serverAutoStart="true">
                    <application path="/">
                      <virtualDirectory path="/" physicalPath="%ROOT%" />
                    </application>
                    <bindings>
                      <binding protocol="http" bindingInformation="127.0.0.1:%PORT%:" />
                    </bindings>
                  </site>
                </sites>
              </system.applicationHost>
              <system.webServer>
                <globalModules>
                  <add name="FileModule" type="io.weir.server.FileModuleRegistration" />
                </globalModules>
                <modules>
                  <add name="FileModule" />
                </modules>
                <handlers accessPolicy="Read">
                  <add name="File" path="*" verb="*" modules="FileModule" resourceType="Unspecified" requireAccess="None" />
                </handlers>
              </system.webServer>
            </configuration>
            """;

    @TempDir
    Path root;

    private ApplicationHostConfig config(int port) {
        return ApplicationHostConfig.parse(
                "test",
                new ByteArrayInputStream(
                        CONFIG.replace("%PORT%", Integer.toString(port)).getBytes(StandardCharsets.UTF_8)),
                root,
                Map.of("ROOT", root.toString()));
    }

    @Test
    void servesAFileChunkThroughTheEngine() throws Exception {
        byte[] bytes = new byte[3_000_000];
        new Random(7).nextBytes(bytes);
        FileModuleRegistration.file = Files.write(root.resolve("big.bin"), bytes);
        try (WeirServer server = WeirServer.start(config(0))) {
            assertThat(server.engine()).isNotNull();
            assertThat(server.boundAddresses()).hasSize(1);
            int port = server.boundAddresses().get(0).getPort();
            assertThat(port).isPositive();
            HttpClient client = HttpClient.newHttpClient();
            for (int i = 0; i < 2; i++) { // the second request reuses the kept-alive connection
                HttpResponse<byte[]> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/big.bin"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Length")).hasValue("3000000");
                assertThat(response.body()).isEqualTo(bytes);
            }
            try (RawClient raw = new RawClient(port)) {
                RawClient.Response head =
                        raw.send("HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.header("content-length")).isEqualTo("3000000");
                assertThat(raw.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
                                .read()
                                .body())
                        .isEqualTo(bytes);
            }
            server.stop(Duration.ofSeconds(5));
            assertThat(server.engine().requestsInFlight()).isZero();
        }
    }

    @Test
    void failsWithTheAddressWhenAPortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> WeirServer.start(config(taken.getLocalPort())))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
    }
}
