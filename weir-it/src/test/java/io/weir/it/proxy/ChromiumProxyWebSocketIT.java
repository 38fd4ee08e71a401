package io.weir.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.it.browser.HeadlessChromium;
import io.weir.testkit.WeirTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A page served by Weir's StaticFileModule opens a WebSocket to Weir in headless Chromium; the
 * reverse proxy passes it through to an echo server built on Netty's WebSocket codec, and the
 * subprotocol the backend chose from the page's offer is the one the page gets.
 */
class ChromiumProxyWebSocketIT {

    @TempDir
    Path root;

    @TempDir
    Path profile;

    @Test
    void aPageServedByWeirEchoesThroughTheProxiedWebSocketInChromium() throws Exception {
        HeadlessChromium.requireInstalled();
        Files.writeString(root.resolve("index.html"), """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>ws</title></head><body>
                <p id="out">waiting</p>
                <script>
                  const ws = new WebSocket("ws://" + location.host + "/ws/echo", ["chat.v1", "chat.v2"]);
                  const got = [];
                  ws.binaryType = "arraybuffer";
                  ws.onopen = () => { ws.send("hello through the proxy"); ws.send(new Uint8Array([4, 5, 6]).buffer); };
                  ws.onmessage = (e) => {
                    got.push(typeof e.data === "string" ? e.data : "bytes:" + new Uint8Array(e.data).join(","));
                    if (got.length === 2) { ws.send("close-me"); }
                  };
                  ws.onclose = (e) => {
                    document.getElementById("out").textContent =
                      "protocol " + ws.protocol + " | " + got.join(" | ") + " | closed " + e.code + " " + e.reason;
                  };
                </script>
                </body></html>
                """);
        try (NettyWebSocketBackend backend = new NettyWebSocketBackend("chat.v2")) {
            String xml = """
                    <configuration>
                      <configSections>
                        <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                        <sectionGroup name="system.webServer">
                          <section name="globalModules" /><section name="modules" /><section name="handlers" />
                          <section name="staticContent" /><section name="proxy" />
                        </sectionGroup>
                      </configSections>
                      <system.applicationHost><sites>
                        <site name="Test" id="1">
                          <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                          <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                        </site>
                      </sites></system.applicationHost>
                      <system.webServer>
                        <globalModules>
                          <add name="StaticFileModule" type="io.weir.modules.staticfile.StaticFileModuleRegistration" />
                          <add name="ApplicationRequestRouting" type="io.weir.modules.proxy.ProxyModuleRegistration" />
                        </globalModules>
                        <modules><add name="StaticFileModule" /><add name="ApplicationRequestRouting" /></modules>
                        <handlers accessPolicy="Read, Script">
                          <add name="Ws" path="/ws/*" verb="*" modules="ApplicationRequestRouting"
                               scriptProcessor="http://127.0.0.1:@PORT@" resourceType="Unspecified" requireAccess="None" />
                          <add name="StaticFile" path="*" verb="GET,HEAD" modules="StaticFileModule" resourceType="Either" requireAccess="Read" />
                        </handlers>
                        <staticContent><mimeMap fileExtension=".html" mimeType="text/html" /></staticContent>
                        <proxy enabled="true" />
                      </system.webServer>
                    </configuration>
                    """.replace("@PORT@", String.valueOf(backend.port()));
            try (WeirTestServer weir = WeirTestServer.start(xml, Map.of("ROOT", root.toString()))) {
                try (HeadlessChromium chromium = HeadlessChromium.start(profile)) {
                    ChromeDriver driver = chromium.driver();
                    driver.get("http://127.0.0.1:" + weir.port() + "/index.html");
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    while (!driver.findElement(By.id("out")).getText().contains("closed")
                            && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertThat(driver.findElement(By.id("out")).getText())
                            .isEqualTo(
                                    "protocol chat.v2 | hello through the proxy | bytes:4,5,6 | closed 4000 backend closing");
                }
            }
        }
    }
}
