package io.weir.it.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.it.browser.HeadlessChromium;
import io.weir.testkit.WeirTestServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) loads a page from Weir
 * with its embedded default configuration, whose stylesheet, script and JSON come compressed: the
 * page shows that each was decoded and applied, and the browser's resource timing shows fewer
 * bytes on the wire than decoded.
 */
class ChromiumCompressionIT {

    @TempDir
    Path root;

    @TempDir
    Path temp;

    @TempDir
    Path profile;

    private static String filler(String prefix, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < n; i++) {
            b.append(prefix).append(i).append('\n');
        }
        return b.toString();
    }

    @Test
    void cssJsAndJsonServedCompressedAreDecodedAndAppliedByChromium() throws Exception {
        HeadlessChromium.requireInstalled();
        Files.writeString(root.resolve("index.html"), """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>compressed</title>
                <link rel="stylesheet" href="/style.css"></head><body>
                <p id="styled">styled</p><p id="script">waiting</p><p id="json">waiting</p><p id="sizes">waiting</p>
                <script src="/app.js"></script>
                </body></html>
                """);
        Files.writeString(
                root.resolve("style.css"),
                filler(".unused-rule-", 20_000).replace("\n", " { margin: 0 }\n")
                        + "#styled { color: rgb(1, 2, 3); }\n");
        Files.writeString(
                root.resolve("app.js"), "// " + filler("padding line ", 20_000).replace("\n", "\n// ") + "\n" + """
                document.getElementById("script").textContent = "script ran";
                fetch("/data.json").then(r => r.json().then(d => {
                  document.getElementById("json").textContent = d.answer + " via " + r.headers.get("content-encoding");
                  const sizes = performance.getEntriesByType("resource")
                    .filter(e => /(style\\.css|app\\.js|data\\.json)$/.test(e.name))
                    .map(e => e.name.substring(e.name.lastIndexOf("/") + 1) + ":"
                      + (e.encodedBodySize > 0 && e.encodedBodySize < e.decodedBodySize ? "smaller" : "same"))
                    .sort();
                  document.getElementById("sizes").textContent = sizes.join(" ");
                }));
                """);
        Files.writeString(
                root.resolve("data.json"),
                "{\"answer\": \"json decoded\", \"padding\": [" + "\""
                        + filler("entry ", 20_000).replace("\n", "\", \"") + "\"]}");
        String embedded;
        try (InputStream in =
                ChromiumCompressionIT.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            embedded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // dynamic compression is not suspended for a busy test machine
        String xml = embedded.replace(
                "<httpCompression directory=", "<httpCompression dynamicCompressionDisableCpuUsage=\"100\" directory=");
        try (WeirTestServer weir =
                WeirTestServer.start(xml, Map.of("WEIR_SITE_ROOT", root.toString(), "TEMP", temp.toString()))) {
            try (HeadlessChromium chromium = HeadlessChromium.start(profile)) {
                ChromeDriver driver = chromium.driver();
                driver.get("http://127.0.0.1:" + weir.port() + "/index.html");
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (driver.findElement(By.id("sizes")).getText().equals("waiting") && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(driver.findElement(By.id("styled")).getCssValue("color"))
                        .isEqualTo("rgba(1, 2, 3, 1)");
                assertThat(driver.findElement(By.id("script")).getText()).isEqualTo("script ran");
                assertThat(driver.findElement(By.id("json")).getText()).isEqualTo("json decoded via br");
                assertThat(driver.findElement(By.id("sizes")).getText())
                        .isEqualTo("app.js:smaller data.json:smaller style.css:smaller");
            }
        }
    }
}
