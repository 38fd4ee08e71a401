package io.weir.modules.rewrite;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed-request tracing of URL Rewrite over loopback: a request that a rule rewrites to a missing
 * file (404) leaves a trace with one RULE_EVALUATION_END event per rule evaluated (matched or not,
 * with its captures) and the URL_REWRITE_END outcome.
 */
class RewriteTracingHttpTest {

    @TempDir
    Path root;

    @TempDir
    Path traces;

    @Test
    void aTraceShowsEachRuleEvaluatedWithItsCaptures() throws Exception {
        write(root, "web.config", """
                <configuration><system.webServer><rewrite><rules>
                  <rule name="Never">
                    <match url="^never/" />
                    <action type="Rewrite" url="/x" />
                  </rule>
                  <rule name="Docs" stopProcessing="true">
                    <match url="^docs/(\\w+)$" />
                    <action type="Rewrite" url="/manual/{R:1}.txt" />
                  </rule>
                </rules></rewrite></system.webServer></configuration>
                """);
        String embedded;
        try (InputStream in =
                RewriteTracingHttpTest.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            embedded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String xml = embedded.replaceFirst(
                        "</bindings>",
                        "</bindings>\n<traceFailedRequestsLogging enabled=\"true\" directory=\"%TRACES%\" />")
                .replace(
                        "</globalModules>",
                        "<add name=\"FailedRequestsTracingModule\" type=\"io.weir.modules"
                                + ".failedrequeststracing.FailedRequestsTracingModuleRegistration\" />\n</globalModules>")
                .replace("<httpRedirect enabled=\"false\" />", """
                        <httpRedirect enabled="false" />
                        <tracing><traceFailedRequests><add path="*">
                          <traceAreas><add provider="WWW Server" areas="Rewrite,RequestNotifications" verbosity="Verbose" /></traceAreas>
                          <failureDefinitions statusCodes="404" />
                        </add></traceFailedRequests></tracing>""");
        assertThat(xml).contains("%TRACES%", "FailedRequestsTracingModuleRegistration", "<traceFailedRequests>");
        try (WeirTestServer server =
                WeirTestServer.start(xml, Map.of("WEIR_SITE_ROOT", root.toString(), "TRACES", traces.toString()))) {
            RawHttp.Response r = RawHttp.exchange(
                    server.uri("/").getPort(),
                    "GET /docs/intro HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).isEqualTo(404);
            List<Path> files = awaitTrace();
            assertThat(files).hasSize(1);
            String html = Files.readString(files.get(0), StandardCharsets.UTF_8);
            assertThat(html)
                    .containsSubsequence(
                            "RULE_EVALUATION_END",
                            "RuleName=\"Never\"",
                            "Succeeded=\"false\"",
                            "RULE_EVALUATION_END",
                            "RuleName=\"Docs\"",
                            "Input=\"docs/intro\"",
                            "Succeeded=\"true\"",
                            "R:1=\"intro\"",
                            "Action=\"REWRITE\"",
                            "URL_REWRITE_END",
                            "Url=\"/manual/intro.txt\"");
        }
    }

    private List<Path> awaitTrace() throws Exception {
        Path folder = traces.resolve("W3SVC1");
        for (int i = 0; i < 500; i++) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> s = Files.list(folder)) {
                    List<Path> files = s.sorted().toList();
                    if (!files.isEmpty()) {
                        Thread.sleep(50);
                        return files;
                    }
                }
            }
            Thread.sleep(10);
        }
        return List.of();
    }
}
