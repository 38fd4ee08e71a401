package io.weir.it.websocket;

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
 * A page served by Weir opens a WebSocket back to Weir in headless Chromium (Debian's
 * {@code chromium} and {@code chromium-driver}) and shows what the echo handler sent back.
 */
class ChromiumWebSocketIT {

    @TempDir
    Path root;

    @TempDir
    Path profile;

    @Test
    void aPageServedByWeirEchoesThroughAWebSocketInChromium() throws Exception {
        HeadlessChromium.requireInstalled();
        Files.writeString(root.resolve("index.html"), """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>ws</title></head><body>
                <p id="out">waiting</p>
                <script>
                  const ws = new WebSocket("ws://" + location.host + "/ws/echo");
                  const got = [];
                  ws.onopen = () => { ws.send("hello from chromium"); ws.send(new Uint8Array([1, 2, 3]).buffer); };
                  ws.binaryType = "arraybuffer";
                  ws.onmessage = (e) => {
                    got.push(typeof e.data === "string" ? e.data : "bytes:" + new Uint8Array(e.data).join(","));
                    if (got.length === 2) { ws.close(1000, "done"); }
                  };
                  ws.onclose = (e) => { document.getElementById("out").textContent = got.join(" | ") + " | closed " + e.code; };
                </script>
                </body></html>
                """);
        String xml = """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" /><section name="modules" /><section name="handlers" />
                      <section name="staticContent" /><section name="webSocket" />
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
                      <add name="Echo" type="io.weir.it.websocket.EchoWebSocketHandler" />
                    </globalModules>
                    <modules><add name="StaticFileModule" /><add name="Echo" /></modules>
                    <handlers accessPolicy="Read, Script">
                      <add name="Echo" path="/ws/*" verb="GET" modules="Echo" resourceType="Unspecified" requireAccess="None" />
                      <add name="StaticFile" path="*" verb="GET,HEAD" modules="StaticFileModule" resourceType="Either" requireAccess="Read" />
                    </handlers>
                    <staticContent><mimeMap fileExtension=".html" mimeType="text/html" /></staticContent>
                    <webSocket enabled="true" />
                  </system.webServer>
                </configuration>
                """;
        try (WeirTestServer weir = WeirTestServer.start(xml, Map.of("ROOT", root.toString()))) {
            try (HeadlessChromium chromium = HeadlessChromium.start(profile)) {
                ChromeDriver driver = chromium.driver();
                driver.get("http://127.0.0.1:" + weir.port() + "/index.html");
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!driver.findElement(By.id("out")).getText().contains("closed") && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(driver.findElement(By.id("out")).getText())
                        .isEqualTo("hello from chromium | bytes:1,2,3 | closed 1000");
            }
        }
    }
}
