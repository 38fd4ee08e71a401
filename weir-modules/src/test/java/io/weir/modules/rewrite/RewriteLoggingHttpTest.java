package io.weir.modules.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the W3C access log records for a rewritten request, over loopback: the URL the client asked
 * for ({@code cs-uri-stem}, {@code cs-uri-query}), unless the Rewrite action has
 * {@code logRewrittenUrl="true"}, when it records the rewritten URL, as URL Rewrite does.
 */
class RewriteLoggingHttpTest {

    @TempDir
    Path root;

    @TempDir
    Path logs;

    @Test
    void theLogShowsTheOriginalUrlUnlessTheRuleAsksForTheRewrittenOne() throws Exception {
        Files.writeString(root.resolve("page.txt"), "page");
        Files.writeString(root.resolve("web.config"), """
                <configuration><system.webServer><rewrite><rules>
                  <rule name="Pretty" stopProcessing="true">
                    <match url="^pretty/(\\w+)$" />
                    <action type="Rewrite" url="/page.txt?id={R:1}" />
                  </rule>
                  <rule name="Logged" stopProcessing="true">
                    <match url="^logged/(\\w+)$" />
                    <action type="Rewrite" url="/page.txt?id={R:1}" logRewrittenUrl="true" />
                  </rule>
                </rules></rewrite></system.webServer></configuration>
                """);
        String xml;
        try (InputStream in = getClass().getResourceAsStream("/io/weir/config/applicationHost.config")) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String defaults = "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" />";
        assertThat(xml).contains(defaults);
        xml = xml.replace(
                defaults, "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" directory=\"" + logs + "\" />");
        try (WeirTestServer server = WeirTestServer.start(xml, Map.of("WEIR_SITE_ROOT", root.toString()))) {
            for (String target : List.of("/pretty/abc?x=1", "/logged/def?y=2", "/page.txt?plain=1")) {
                RawHttp.Response r = RawHttp.exchange(
                        server.port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("page");
            }
            List<String> entries = List.of();
            for (int i = 0; i < 100 && entries.size() < 3; i++) {
                Thread.sleep(50);
                entries = entries();
            }
            assertThat(entries)
                    .extracting(e -> e.split(" ")[4] + " " + e.split(" ")[5])
                    .containsExactlyInAnyOrder("/pretty/abc x=1", "/page.txt id=def&y=2", "/page.txt plain=1");
        }
    }

    private List<String> entries() throws Exception {
        List<String> out = new ArrayList<>();
        try (var files = Files.walk(logs)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.readAllLines(f, StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.startsWith("#"))
                        .forEach(out::add);
            }
        }
        return out;
    }
}
