package io.weir.it.requestmodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed Request Tracing (FailedRequestsTracingModule) over loopback: the engine's trace events
 * (docs/reference/native-module-model.md, "Tracing": NOTIFY_MODULE_START/END, MODULE_SET_RESPONSE_ERROR_STATUS, delivered
 * through GL_TRACE_EVENT to a subscribed global module) and the module's rules
 * (docs/reference/configuration-system.md, "Failed-request tracing": traceFailedRequests path, failureDefinitions, traceAreas; the
 * site's traceFailedRequestsLogging enabled, directory, maxLogFiles).
 */
class FailedRequestTracingIT {

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path root;

    @TempDir
    Path traces;

    private WeirTestServer start(String rules, String logging) throws IOException {
        Files.writeString(root.resolve("here.txt"), "here\n");
        Files.writeString(root.resolve("data.unknownext"), "?\n");
        String xml = """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" /><section name="modules" /><section name="handlers" />
                      <section name="staticContent" />
                      <sectionGroup name="tracing"><section name="traceFailedRequests" /></sectionGroup>
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites>
                    <site name="Traced" id="7">
                      <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                      <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                      @LOGGING@
                    </site>
                  </sites></system.applicationHost>
                  <system.webServer>
                    <globalModules>
                      <add name="StaticFileModule" type="io.weir.modules.staticfile.StaticFileModuleRegistration" />
                      <add name="FailedRequestsTracingModule"
                           type="io.weir.modules.failedrequeststracing.FailedRequestsTracingModuleRegistration" />
                    </globalModules>
                    <modules><add name="StaticFileModule" /></modules>
                    <handlers accessPolicy="Read">
                      <add name="StaticFile" path="*" verb="*" modules="StaticFileModule" resourceType="Either" requireAccess="Read" />
                    </handlers>
                    <staticContent><mimeMap fileExtension=".txt" mimeType="text/plain" /></staticContent>
                    <tracing><traceFailedRequests>@RULES@</traceFailedRequests></tracing>
                  </system.webServer>
                </configuration>
                """.replace("@RULES@", rules).replace("@LOGGING@", logging);
        return WeirTestServer.start(xml, Map.of("ROOT", root.toString(), "TRACES", traces.toString()));
    }

    private static final String ENABLED = "<traceFailedRequestsLogging enabled=\"true\" directory=\"%TRACES%\" />";
    private static final String RULE_404_5XX = """
            <add path="*">
              <traceAreas><add provider="WWW Server"
                  areas="Authentication,Security,Filter,StaticFile,CGI,Compression,Cache,RequestNotifications,Module"
                  verbosity="Verbose" /></traceAreas>
              <failureDefinitions statusCodes="404,500-599" timeTaken="00:00:30" />
            </add>""";

    private int get(WeirTestServer server, String path) throws Exception {
        return client.send(
                        HttpRequest.newBuilder(server.uri(path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private List<Path> files() throws IOException {
        Path folder = traces.resolve("W3SVC7");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    /** Trace files are written off the event loop after the request ends: wait for them. */
    private List<Path> awaitFiles(int count) throws Exception {
        for (int i = 0; i < 500; i++) {
            List<Path> f = files();
            if (f.size() >= count) {
                Thread.sleep(50);
                return files();
            }
            Thread.sleep(10);
        }
        return files();
    }

    /** The proof: a 404 for a missing file leaves one trace naming every notification, the handler's StaticFileModule and the 404. */
    @Test
    void missingFileLeavesATraceOfEveryNotification() throws Exception {
        try (WeirTestServer server = start(RULE_404_5XX, ENABLED)) {
            assertThat(get(server, "/here.txt")).isEqualTo(200);
            assertThat(get(server, "/missing.txt")).isEqualTo(404);
            List<Path> files = awaitFiles(1);
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("fr000001.html");
            String html = Files.readString(files.get(0), StandardCharsets.UTF_8);
            assertThat(html)
                    .startsWith("<!DOCTYPE html>")
                    .contains("/missing.txt")
                    .doesNotContain("/here.txt");
            assertThat(html).contains("<tr><th>Status</th><td>404.0</td></tr>", "STATUS_CODE");
            String notifications =
                    html.substring(html.indexOf("<h2>Request notifications</h2>"), html.indexOf("<h2>Events</h2>"));
            assertThat(notifications)
                    .containsSubsequence(
                            "<b>BEGIN_REQUEST</b>",
                            "<b>AUTHENTICATE_REQUEST</b>",
                            "<b>AUTHORIZE_REQUEST</b>",
                            "<b>RESOLVE_REQUEST_CACHE</b>",
                            "<b>MAP_REQUEST_HANDLER</b>",
                            "<b>SEND_RESPONSE</b>",
                            "<b>LOG_REQUEST</b>",
                            "<b>END_REQUEST</b>");
            // a 404 in MAP_REQUEST_HANDLER skips the stages between it and the final send
            // (docs/reference/native-module-model.md, "Statuses")
            assertThat(notifications).doesNotContain("EXECUTE_REQUEST_HANDLER");
            assertThat(html).containsSubsequence("GENERAL_REQUEST_START", "GENERAL_REQUEST_END");
            assertThat(html).contains("NewHandlerName=\"StaticFile\"", "NewHandlerModules=\"StaticFileModule\"");
            assertThat(html)
                    .containsSubsequence(
                            "MODULE_SET_RESPONSE_ERROR_STATUS",
                            "ModuleName=\"IIS Web Core\"",
                            "Notification=\"MAP_REQUEST_HANDLER\"",
                            "HttpStatus=\"404\"");
        }
    }

    /** A 404 set by StaticFileModule itself (404.3, no MIME map) names it in NOTIFY_MODULE_END and as the module that set the error. */
    @Test
    void moduleSetErrorIsNamedWithItsNotificationAndElapsedTime() throws Exception {
        try (WeirTestServer server = start(RULE_404_5XX, ENABLED)) {
            assertThat(get(server, "/data.unknownext")).isEqualTo(404);
            String html = Files.readString(awaitFiles(1).get(0), StandardCharsets.UTF_8);
            assertThat(html)
                    .contains("<td>EXECUTE_REQUEST_HANDLER</td><td>StaticFileModule</td>"
                            + "<td>NOTIFICATION_FINISH_REQUEST</td><td>404.3</td>");
            assertThat(html)
                    .containsSubsequence(
                            "MODULE_SET_RESPONSE_ERROR_STATUS",
                            "ModuleName=\"StaticFileModule\"",
                            "Notification=\"EXECUTE_REQUEST_HANDLER\"",
                            "HttpSubStatus=\"3\"");
            assertThat(html).containsPattern("ElapsedMs=\"\\d+\\.\\d{3}\"");
            assertThat(html).containsSubsequence("<b>EXECUTE_REQUEST_HANDLER</b>", "1 module</td>", "StaticFileModule");
        }
    }

    /** traceAreas selects what the file shows: without RequestNotifications, no NOTIFY_MODULE_* rows in the events. */
    @Test
    void traceAreasSelectTheRecordedEvents() throws Exception {
        String rule = """
                <add path="*">
                  <traceAreas><add provider="WWW Server" areas="Module" verbosity="Verbose" /></traceAreas>
                  <failureDefinitions statusCodes="404" />
                </add>""";
        try (WeirTestServer server = start(rule, ENABLED)) {
            assertThat(get(server, "/missing.txt")).isEqualTo(404);
            String html = Files.readString(awaitFiles(1).get(0), StandardCharsets.UTF_8);
            String events = html.substring(html.indexOf("<h2>Events</h2>"));
            assertThat(events)
                    .contains("MODULE_SET_RESPONSE_ERROR_STATUS", "GENERAL_REQUEST_END")
                    .doesNotContain("NOTIFY_MODULE_START");
        }
    }

    /** failureDefinitions verbosity="Warning" fails a request that raised a warning (MODULE_SET_RESPONSE_ERROR_STATUS). */
    @Test
    void verbosityFailureDefinition() throws Exception {
        try (WeirTestServer server =
                start("<add path=\"*\"><failureDefinitions verbosity=\"Warning\" /></add>", ENABLED)) {
            assertThat(get(server, "/here.txt")).isEqualTo(200);
            assertThat(get(server, "/missing.txt")).isEqualTo(404);
            List<Path> files = awaitFiles(1);
            assertThat(files).hasSize(1);
            assertThat(Files.readString(files.get(0))).contains("VERBOSITY", "/missing.txt");
        }
    }

    /** No trace when the rule's path does not match, or when the site's logging is disabled (IIS's default). */
    @Test
    void nothingWhenNoRuleMatchesOrLoggingIsOff() throws Exception {
        try (WeirTestServer server = start(RULE_404_5XX.replace("path=\"*\"", "path=\"*.aspx\""), ENABLED)) {
            assertThat(get(server, "/missing.txt")).isEqualTo(404);
            assertThat(get(server, "/missing.aspx")).isEqualTo(404);
            List<Path> files = awaitFiles(1);
            assertThat(files).hasSize(1);
            assertThat(Files.readString(files.get(0))).contains("/missing.aspx");
        }
        try (WeirTestServer server = start(RULE_404_5XX, "<traceFailedRequestsLogging directory=\"%TRACES%/off\" />")) {
            assertThat(get(server, "/missing.txt")).isEqualTo(404);
            Thread.sleep(300);
            assertThat(traces.resolve("off")).doesNotExist();
        }
    }

    /** maxLogFiles: the site's folder keeps the newest files only. */
    @Test
    void maxLogFilesKeepsTheNewest() throws Exception {
        String logging = "<traceFailedRequestsLogging enabled=\"true\" directory=\"%TRACES%\" maxLogFiles=\"2\" />";
        try (WeirTestServer server = start(RULE_404_5XX, logging)) {
            for (int i = 1; i <= 4; i++) {
                assertThat(get(server, "/missing-" + i + ".txt")).isEqualTo(404);
                awaitNumber(i);
            }
            List<Path> files = files();
            assertThat(files)
                    .extracting(p -> p.getFileName().toString())
                    .containsExactly("fr000003.html", "fr000004.html");
            assertThat(Files.readString(files.get(1))).contains("/missing-4.txt");
        }
    }

    private void awaitNumber(int n) throws Exception {
        Path file = traces.resolve("W3SVC7").resolve(String.format("fr%06d.html", n));
        for (int i = 0; i < 500 && !Files.exists(file); i++) {
            Thread.sleep(10);
        }
        Thread.sleep(20);
    }
}
