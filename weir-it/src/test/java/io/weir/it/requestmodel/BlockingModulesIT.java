package io.weir.it.requestmodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.WeirTestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocking-declared modules ({@code ModuleRegistrationInfo.setBlocking}) and the event-loop
 * overrun watchdog, over loopback against a real server. The pipeline rules cited are those of
 * docs/reference/native-module-model.md; the watchdog answers docs/reference/http-hardening.md (M-LOOP, M-BLOCK).
 * Module names: A and C record on the event loop, B is declared blocking, H (NonBlocking) sleeps on
 * the event loop when asked.
 */
class BlockingModulesIT {

    private static final String REG = BlockingModules.class.getName() + "$";
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path root;

    static String config(Map<String, String> modules) {
        String global = modules.entrySet().stream()
                .map(e -> "<add name=\"" + e.getKey() + "\" type=\"" + REG + e.getValue() + "\" />")
                .collect(Collectors.joining("\n"));
        String enabled =
                modules.keySet().stream().map(n -> "<add name=\"" + n + "\" />").collect(Collectors.joining("\n"));
        return """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" /><section name="modules" /><section name="handlers" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites>
                    <site name="Test" id="1">
                      <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                      <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                    </site>
                  </sites></system.applicationHost>
                  <system.webServer>
                    <globalModules>@GLOBAL@</globalModules>
                    <modules>@MODULES@</modules>
                    <handlers accessPolicy="Read, Script">
                      <add name="Test" path="*" verb="*" modules="C" resourceType="Unspecified" requireAccess="None" />
                    </handlers>
                  </system.webServer>
                </configuration>
                """.replace("@GLOBAL@", global).replace("@MODULES@", enabled);
    }

    private WeirTestServer start() {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("A", "NonBlocking");
        modules.put("B", "Blocking");
        modules.put("C", "NonBlocking");
        modules.put("H", "NonBlocking");
        return WeirTestServer.start(config(modules), Map.of("ROOT", root.toString()));
    }

    private HttpRequest request(WeirTestServer server, String id, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(server.uri("/x")).header("X-Test-Id", id).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    private HttpResponse<String> get(WeirTestServer server, String id, String... headers) throws Exception {
        return client.send(request(server, id, headers), HttpResponse.BodyHandlers.ofString());
    }

    /** The end stages and dispose run after the response; wait until every module is disposed. */
    private static List<String> eventsAfterDispose(String id) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            List<String> events = BlockingModules.events(id);
            if (events.stream().filter(e -> e.contains(":DISPOSE")).count() == 4) {
                return events;
            }
            Thread.sleep(10);
        }
        return BlockingModules.events(id);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    /**
     * A declared notification runs on a virtual thread, the others on the event loop, and the
     * modules' order ("Priorities and order" rules 2-3) is kept across the hop; sleeping there is no overrun.
     */
    @Test
    void blockingNotificationRunsOnAVirtualThreadInOrder() throws Exception {
        try (WeirTestServer server = start()) {
            String id = id();
            HttpResponse<String> r = get(server, id, "X-Sleep", "B:200");
            assertThat(r.statusCode()).isEqualTo(200);
            List<String> events = eventsAfterDispose(id);
            assertThat(events)
                    .containsSubsequence(
                            "A:BEGIN_REQUEST@platform",
                            "B:BEGIN_REQUEST@virtual",
                            "C:BEGIN_REQUEST@platform",
                            "H:BEGIN_REQUEST@platform",
                            "A:AUTHENTICATE_REQUEST@platform",
                            "B:AUTHENTICATE_REQUEST@platform",
                            "A:END_REQUEST@platform",
                            "B:END_REQUEST@virtual",
                            "C:END_REQUEST@platform");
            assertThat(events).contains("B:DISPOSE@platform");
            assertThat(server.server().engine().eventLoopOverruns()).isZero();
        }
    }

    /** "Statuses": FINISH_REQUEST from a blocking notification skips the rest of the stage and the later stages, not END_REQUEST. */
    @Test
    void finishRequestFromABlockingNotification() throws Exception {
        try (WeirTestServer server = start()) {
            String id = id();
            HttpResponse<String> r = get(server, id, "X-Finish", "B");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("finished by B");
            List<String> events = eventsAfterDispose(id);
            assertThat(events).doesNotContain("C:BEGIN_REQUEST@platform", "A:AUTHENTICATE_REQUEST@platform");
            assertThat(events).contains("A:END_REQUEST@platform", "B:END_REQUEST@virtual", "C:END_REQUEST@platform");
        }
    }

    /** An exception in a blocking notification gives that request a 500; modules are disposed; the next request is fine. */
    @Test
    void exceptionInABlockingNotificationIs500() throws Exception {
        try (WeirTestServer server = start()) {
            String id = id();
            assertThat(get(server, id, "X-Throw", "B").statusCode()).isEqualTo(500);
            List<String> events = eventsAfterDispose(id);
            assertThat(events).doesNotContain("C:BEGIN_REQUEST@platform");
            assertThat(events).contains("B:END_REQUEST@virtual", "A:DISPOSE@platform", "B:DISPOSE@platform");
            assertThat(get(server, id()).statusCode()).isEqualTo(200);
        }
    }

    /**
     * "Statuses": a completion may arrive before the notification that started it returns
     * PENDING; from a blocking notification too, the request resumes once, after the return.
     */
    @Test
    void indicateCompletionBeforePendingIsReturned() throws Exception {
        try (WeirTestServer server = start()) {
            String id = id();
            HttpResponse<String> r = get(server, id, "X-Early", "B");
            assertThat(r.statusCode()).isEqualTo(200);
            List<String> events = eventsAfterDispose(id);
            assertThat(events.stream()
                            .filter(e -> e.startsWith("C:BEGIN_REQUEST"))
                            .count())
                    .isEqualTo(1);
            assertThat(events).containsSubsequence("B:BEGIN_REQUEST@virtual", "C:BEGIN_REQUEST@platform");
        }
    }

    /** "Statuses": postCompletion re-enters the module through onAsyncCompletion, which is blocking too. */
    @Test
    void postCompletionReentersOnAVirtualThread() throws Exception {
        try (WeirTestServer server = start()) {
            String id = id();
            assertThat(get(server, id, "X-Post", "B").statusCode()).isEqualTo(200);
            List<String> events = eventsAfterDispose(id);
            assertThat(events)
                    .containsSubsequence(
                            "B:BEGIN_REQUEST@virtual",
                            "B:COMPLETION(BEGIN_REQUEST,7)@virtual",
                            "C:BEGIN_REQUEST@platform");
        }
    }

    /**
     * docs/reference/http-hardening.md, M-THROW with "Tracing"'s trace: a blocking module that throws is named in the failed
     * request's trace (NOTIFY_MODULE_END with FINISH_REQUEST and 500, MODULE_SET_RESPONSE_ERROR_STATUS
     * with the exception), although it ran on a virtual thread.
     */
    @Test
    void aBlockingModuleThatThrowsIsNamedInTheFailedRequestTrace(@TempDir Path traces) throws Exception {
        String xml = config(new LinkedHashMap<>(Map.of("B", "Blocking", "C", "NonBlocking")))
                .replace(
                        "<section name=\"handlers\" />",
                        "<section name=\"handlers\" />"
                                + "<sectionGroup name=\"tracing\"><section name=\"traceFailedRequests\" /></sectionGroup>")
                .replace(
                        "</globalModules>",
                        "<add name=\"FailedRequestsTracingModule\" type=\"io.weir.modules."
                                + "failedrequeststracing.FailedRequestsTracingModuleRegistration\" /></globalModules>")
                .replace(
                        "</bindings>",
                        "</bindings><traceFailedRequestsLogging enabled=\"true\" directory=\"" + traces + "\" />")
                .replace(
                        "</system.webServer>",
                        "<tracing><traceFailedRequests><add path=\"*\">"
                                + "<failureDefinitions statusCodes=\"500\" /></add></traceFailedRequests></tracing>"
                                + "</system.webServer>");
        try (WeirTestServer server = WeirTestServer.start(xml, Map.of("ROOT", root.toString()))) {
            assertThat(get(server, id(), "X-Throw", "B").statusCode()).isEqualTo(500);
            Path file = traces.resolve("W3SVC1").resolve("fr000001.html");
            for (int i = 0; i < 500 && !Files.exists(file); i++) {
                Thread.sleep(10);
            }
            Thread.sleep(50);
            String html = Files.readString(file);
            assertThat(html)
                    .contains(
                            "<td>BEGIN_REQUEST</td><td>B</td><td>NOTIFICATION_FINISH_REQUEST</td>" + "<td>500.0</td>");
            assertThat(html)
                    .containsSubsequence(
                            "MODULE_SET_RESPONSE_ERROR_STATUS",
                            "ModuleName=\"B\"",
                            "HttpStatus=\"500\"",
                            "MODULE_FAILED",
                            "ModuleName=\"B\"",
                            "throws as asked");
            assertThat(html).contains("<td>END_REQUEST</td><td>B</td><td>NOTIFICATION_CONTINUE</td>");
        }
    }

    /** docs/reference/http-hardening.md, M-BLOCK: a module that sleeps on the event loop without declaring it is counted as an overrun. */
    @Test
    void sleepingOnTheEventLoopIsAnOverrun() throws Exception {
        try (WeirTestServer server = start()) {
            assertThat(get(server, id()).statusCode()).isEqualTo(200);
            assertThat(server.server().engine().eventLoopOverruns()).isZero();
            assertThat(get(server, id(), "X-Sleep", "H:300").statusCode()).isEqualTo(200);
            for (int i = 0; i < 100 && server.server().engine().eventLoopOverruns() == 0; i++) {
                Thread.sleep(10);
            }
            assertThat(server.server().engine().eventLoopOverruns()).isEqualTo(1);
        }
    }

    /**
     * docs/reference/http-hardening.md, M-BLOCK: a module that computes on the event loop for longer
     * than the budget is an overrun too (the watchdog sees its thread use CPU time, so the hold is
     * the module's and not a busy machine's).
     */
    @Test
    void computingOnTheEventLoopIsAnOverrun() throws Exception {
        try (WeirTestServer server = start()) {
            assertThat(get(server, id()).statusCode()).isEqualTo(200);
            assertThat(server.server().engine().eventLoopOverruns()).isZero();
            assertThat(get(server, id(), "X-Spin", "H:400").statusCode()).isEqualTo(200);
            for (int i = 0; i < 100 && server.server().engine().eventLoopOverruns() == 0; i++) {
                Thread.sleep(10);
            }
            assertThat(server.server().engine().eventLoopOverruns()).isEqualTo(1);
        }
    }

    /** docs/reference/http-hardening.md, M-LOOP: the overrun is reported while the module still holds the loop, not only afterwards. */
    @Test
    void overrunIsReportedWhileTheModuleStillHoldsTheLoop() throws Exception {
        try (WeirTestServer server = start()) {
            CompletableFuture<HttpResponse<String>> slow =
                    client.sendAsync(request(server, id(), "X-Sleep", "H:2000"), HttpResponse.BodyHandlers.ofString());
            while (server.server().engine().eventLoopOverruns() == 0 && !slow.isDone()) {
                Thread.sleep(5);
            }
            assertThat(slow).isNotDone();
            assertThat(server.server().engine().eventLoopOverruns()).isEqualTo(1);
            assertThat(slow.get().statusCode()).isEqualTo(200);
            assertThat(server.server().engine().eventLoopOverruns()).isEqualTo(1);
        }
    }
}
