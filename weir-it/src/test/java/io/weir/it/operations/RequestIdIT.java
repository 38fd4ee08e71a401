package io.weir.it.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One request id ({@code REQUEST_ID}) carried by the response header a URL Rewrite outbound rule
 * sets, by the W3C access log's custom field, and by the failed-request trace of the same request,
 * all configured the IIS way in applicationHost.config.
 */
class RequestIdIT {

    @TempDir
    Path root;

    @TempDir
    Path logs;

    @TempDir
    Path traces;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String replaceOnce(String text, String what, String with) {
        assertThat(text).contains(what);
        return text.replace(what, with);
    }

    @Test
    void theHeaderTheAccessLogAndTheTraceCarryTheSameId() throws Exception {
        Files.writeString(root.resolve("index.html"), "hello");
        String config;
        try (InputStream in = RequestIdIT.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        config = replaceOnce(
                config,
                "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" />",
                "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" directory=\"" + logs + "\">"
                        + "<customFields><add logFieldName=\"X-Request-Id\" sourceName=\"REQUEST_ID\""
                        + " sourceType=\"ServerVariable\" /></customFields></logFile>"
                        + "<traceFailedRequestsLogging enabled=\"true\" directory=\"" + traces + "\" />");
        config = replaceOnce(
                config,
                "<globalModules>",
                "<globalModules><add name=\"FailedRequestsTracingModule\""
                        + " type=\"io.weir.modules.failedrequeststracing.FailedRequestsTracingModuleRegistration\" />");
        config = config.replaceFirst("<system.webServer>", """
                <system.webServer>
                  <tracing><traceFailedRequests><add path="*"><failureDefinitions statusCodes="404" /></add></traceFailedRequests></tracing>
                  <rewrite><outboundRules>
                    <rule name="Request id">
                      <match serverVariable="RESPONSE_X_Request_Id" pattern=".*" />
                      <action type="Rewrite" value="{REQUEST_ID}" />
                    </rule>
                  </outboundRules></rewrite>
                """);
        List<String> ids = new ArrayList<>();
        try (WeirTestServer server = WeirTestServer.start(config, Map.of("WEIR_SITE_ROOT", root.toString()))) {
            for (String path : List.of("/index.html", "/missing.txt")) {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(server.uri(path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(path.equals("/index.html") ? 200 : 404);
                ids.add(r.headers().firstValue("X-Request-Id").orElse(""));
            }
        }
        assertThat(ids)
                .allMatch(id -> id.matches("[0-9a-f]{16}"), "16 hex digits")
                .doesNotHaveDuplicates();

        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(logs.resolve("W3SVC1"))) {
            for (Path f : files.toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        assertThat(lines).anyMatch(l -> l.startsWith("#Fields: ") && l.endsWith(" time-taken X-Request-Id"));
        List<String> entries = lines.stream().filter(l -> !l.startsWith("#")).toList();
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0)).contains(" /index.html ").endsWith(" " + ids.get(0));
        assertThat(entries.get(1)).contains(" /missing.txt ").endsWith(" " + ids.get(1));

        Path traceFolder = traces.resolve("W3SVC1");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Path> written = List.of();
        while (written.isEmpty() && System.nanoTime() < deadline) {
            written = list(traceFolder);
            Thread.sleep(50);
        }
        assertThat(written).hasSize(1);
        assertThat(Files.readString(written.get(0)))
                .contains("Request id", ids.get(1))
                .doesNotContain(ids.get(0));
    }

    private static List<Path> list(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.toList();
        }
    }
}
