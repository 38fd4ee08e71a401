package io.weir.it.site;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several sites on one listener, chosen by the Host header as http.sys does with IIS bindings
 * (docs/reference/configuration-system.md, "Sites and bindings": IP:port:host, an empty host matching any Host); a Host that no
 * binding accepts gets http.sys's 400 "Invalid Hostname".
 */
class SiteBindingIT {

    @TempDir
    Path dir;

    @Test
    void theHostHeaderChoosesTheSite() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("who.txt"), "site A");
        Files.writeString(b.resolve("who.txt"), "site B");
        // Both sites share one port: the test server moves every binding to port 0, so the
        // bindings differ only by host, and one listener serves both.
        String config = """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" /><section name="modules" /><section name="handlers" />
                      <section name="staticContent" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites>
                    <site name="A" id="1">
                      <application path="/"><virtualDirectory path="/" physicalPath="%A%" /></application>
                      <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:a.example" /></bindings>
                    </site>
                    <site name="B" id="2">
                      <application path="/"><virtualDirectory path="/" physicalPath="%B%" /></application>
                      <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:b.example" /></bindings>
                    </site>
                  </sites></system.applicationHost>
                  <system.webServer>
                    <globalModules>
                      <add name="StaticFileModule" type="io.weir.modules.staticfile.StaticFileModuleRegistration" />
                    </globalModules>
                    <modules><add name="StaticFileModule" /></modules>
                    <handlers accessPolicy="Read">
                      <add name="StaticFile" path="*" verb="*" modules="StaticFileModule" resourceType="Either" requireAccess="Read" />
                    </handlers>
                    <staticContent><mimeMap fileExtension=".txt" mimeType="text/plain" /></staticContent>
                  </system.webServer>
                </configuration>
                """;
        try (WeirTestServer server = WeirTestServer.start(config, Map.of("A", a.toString(), "B", b.toString()))) {
            assertThat(server.server().boundAddresses()).hasSize(1);
            int port = server.port();
            assertThat(RawHttp.exchange(port, "GET /who.txt HTTP/1.1\r\nHost: a.example\r\n\r\n")
                            .bodyText())
                    .isEqualTo("site A");
            assertThat(RawHttp.exchange(port, "GET /who.txt HTTP/1.1\r\nHost: B.EXAMPLE:" + port + "\r\n\r\n")
                            .bodyText())
                    .isEqualTo("site B");
            RawHttp.Response unknown = RawHttp.exchange(port, "GET /who.txt HTTP/1.1\r\nHost: c.example\r\n\r\n");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.bodyText()).contains("Invalid Hostname");
        }
    }
}
