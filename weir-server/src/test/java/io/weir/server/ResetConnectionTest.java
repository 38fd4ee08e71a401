package io.weir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.config.ApplicationHostConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code HttpResponse.resetConnection()} over loopback: the client gets a TCP reset and none of the
 * response, the connection is not reused, and the end stages still run (IIS's ResetConnection).
 */
class ResetConnectionTest {

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
                  <site name="Reset" id="1" serverAutoStart="true">
                    <application path="/">
                      <virtualDirectory path="/" physicalPath="%ROOT%" />
                    </application>
                    <bindings>
                      <binding protocol="http" bindingInformation="127.0.0.1:0:" />
                    </bindings>
                  </site>
                </sites>
              </system.applicationHost>
              <system.webServer>
                <globalModules>
                  <add name="ResetModule" type="io.weir.server.ResetModuleRegistration" />
                </globalModules>
                <modules>
                  <add name="ResetModule" />
                </modules>
              </system.webServer>
            </configuration>
            """;

    @TempDir
    Path root;

    @Test
    void resetConnectionSendsATcpResetAndNoResponse() throws Exception {
        ApplicationHostConfig config = ApplicationHostConfig.parse(
                "test",
                new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)),
                root,
                Map.of("ROOT", root.toString()));
        ResetModuleRegistration.ENDED.set(0);
        try (WeirServer server = WeirServer.start(config)) {
            int port = server.boundAddresses().get(0).getPort();
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream()
                        .write("GET /reset HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                assertThatThrownBy(in::read).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream()
                        .write("GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ok").doesNotContain("must not be sent");
            }
            server.stop(Duration.ofSeconds(5));
            assertThat(server.engine().requestsInFlight()).isZero();
            assertThat(ResetModuleRegistration.ENDED.get()).isEqualTo(2);
        }
    }
}
