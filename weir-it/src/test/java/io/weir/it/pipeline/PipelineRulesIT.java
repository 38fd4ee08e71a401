package io.weir.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.core.GlobalModuleStatus;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integrated pipeline's rules, one test each, checked over loopback HTTP against a real server
 * whose modules record the notifications they get. References are to
 * docs/reference/native-module-model.md.
 */
class PipelineRulesIT {

    private static final String REG = RecordingRegistrations.class.getName() + "$";
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path root;

    /** A configuration with the given modules (name → registration class suffix) and handler modules list. */
    static String config(Map<String, String> modules, String handlerModules, String extraHandlers) {
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
                    <handlers accessPolicy="Read, Script">@EXTRA@
                      <add name="Test" path="*" verb="GET,HEAD" modules="@HANDLER@" resourceType="Unspecified" requireAccess="None" />
                    </handlers>
                  </system.webServer>
                </configuration>
                """.replace("@GLOBAL@", global)
                .replace("@MODULES@", enabled)
                .replace("@EXTRA@", extraHandlers)
                .replace("@HANDLER@", handlerModules);
    }

    private WeirTestServer start(Map<String, String> modules, String handlerModules) {
        return start(modules, handlerModules, "");
    }

    private WeirTestServer start(Map<String, String> modules, String handlerModules, String extraHandlers) {
        return WeirTestServer.start(config(modules, handlerModules, extraHandlers), Map.of("ROOT", root.toString()));
    }

    private HttpResponse<String> get(WeirTestServer server, String path, String id, String... headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(server.uri(path)).header("X-Test-Id", id).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** LOG_REQUEST and END_REQUEST run after the response is sent; wait until END_REQUEST is recorded. */
    private static List<String> eventsAfterEnd(String id, String lastModule) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<String> events = Recorder.events(id);
            if (events.contains(lastModule + ":END_REQUEST")) {
                return events;
            }
            Thread.sleep(10);
        }
        return Recorder.events(id);
    }

    private static List<String> only(List<String> events, String notification) {
        return events.stream()
                .filter(e -> e.endsWith(":" + notification))
                .map(e -> e.substring(0, e.indexOf(':')))
                .toList();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    /** "Priorities and order" rules 2 and 3: higher priority first; equal priority in {@code <modules>} order. */
    @Test
    void modulesRunByPriorityThenByModulesOrder() throws Exception {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("A", "Default");
        modules.put("B", "High");
        modules.put("C", "Default");
        modules.put("D", "Low");
        modules.put("E", "First");
        modules.put("F", "Last");
        try (WeirTestServer server = start(modules, "A")) {
            String id = id();
            assertThat(get(server, "/", id).statusCode()).isEqualTo(200);
            List<String> events = eventsAfterEnd(id, "F");
            assertThat(only(events, "BEGIN_REQUEST")).containsExactly("E", "B", "A", "C", "D", "F");
            assertThat(only(events, "AUTHORIZE_REQUEST")).containsExactly("E", "B", "A", "C", "D", "F");
            assertThat(only(events, "END_REQUEST")).containsExactly("E", "B", "A", "C", "D", "F");
        }
    }

    /** "Priorities and order" rule 4: SEND_RESPONSE runs in the reverse order (LAST first, FIRST last). */
    @Test
    void sendResponseRunsInReverseOrder() throws Exception {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("A", "Default");
        modules.put("B", "High");
        modules.put("C", "Default");
        modules.put("E", "First");
        modules.put("F", "Last");
        try (WeirTestServer server = start(modules, "A")) {
            String id = id();
            get(server, "/", id);
            List<String> events = eventsAfterEnd(id, "F");
            assertThat(only(events, "SEND_RESPONSE")).containsExactly("F", "C", "A", "B", "E");
            assertThat(only(events, "BEGIN_REQUEST")).containsExactly("E", "B", "A", "C", "F");
        }
    }

    /** "Stages": a post-notification runs right after its notification, before the next stage. */
    @Test
    void postNotificationRunsRightAfterItsNotification() throws Exception {
        try (WeirTestServer server = start(Map.of("A", "Default"), "A")) {
            String id = id();
            get(server, "/", id);
            List<String> events = eventsAfterEnd(id, "A");
            assertThat(events).containsSubsequence("A:BEGIN_REQUEST", "A:POST_BEGIN_REQUEST", "A:AUTHENTICATE_REQUEST");
            assertThat(events.indexOf("A:POST_BEGIN_REQUEST")).isEqualTo(events.indexOf("A:BEGIN_REQUEST") + 1);
        }
    }

    /** The stages in their fixed order ("Stages"), with the final send between UPDATE_REQUEST_CACHE and LOG_REQUEST. */
    @Test
    void stagesRunInIisOrderWithTheSendBeforeLogRequest() throws Exception {
        try (WeirTestServer server = start(Map.of("A", "Default"), "A")) {
            String id = id();
            get(server, "/", id);
            assertThat(eventsAfterEnd(id, "A"))
                    .containsExactly(
                            "A:BEGIN_REQUEST",
                            "A:POST_BEGIN_REQUEST",
                            "A:AUTHENTICATE_REQUEST",
                            "A:AUTHORIZE_REQUEST",
                            "A:MAP_REQUEST_HANDLER",
                            "A:EXECUTE_REQUEST_HANDLER",
                            "A:RELEASE_REQUEST_STATE",
                            "A:SEND_RESPONSE",
                            "A:LOG_REQUEST",
                            "A:END_REQUEST");
        }
    }

    /**
     * "Priorities and order" rule 5 and "Handlers": EXECUTE_REQUEST_HANDLER goes only to the handler's modules, in the order
     * its {@code modules} attribute lists them; a subscribed module the handler does not name never gets it.
     */
    @Test
    void executeRequestHandlerGoesOnlyToTheHandlersModulesInItsOrder() throws Exception {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("A", "Default");
        modules.put("B", "Default");
        modules.put("C", "Default");
        try (WeirTestServer server = start(modules, "C,A")) {
            String id = id();
            get(server, "/", id);
            List<String> events = eventsAfterEnd(id, "C");
            assertThat(only(events, "EXECUTE_REQUEST_HANDLER")).containsExactly("C", "A");
            assertThat(only(events, "BEGIN_REQUEST")).containsExactly("A", "B", "C");
        }
    }

    /**
     * "Statuses": FINISH_REQUEST skips the rest of its notification and every later stage, but the
     * response is still sent (SEND_RESPONSE runs) and LOG_REQUEST and END_REQUEST still run.
     */
    @Test
    void finishRequestSkipsToTheFinalSendThenLogAndEnd() throws Exception {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("A", "Default");
        modules.put("B", "Default");
        try (WeirTestServer server = start(modules, "A")) {
            String id = id();
            HttpResponse<String> response = get(server, "/", id, "X-Finish", "A:BEGIN_REQUEST");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("finished by A");
            assertThat(eventsAfterEnd(id, "B"))
                    .containsExactly(
                            "A:BEGIN_REQUEST",
                            "B:SEND_RESPONSE",
                            "A:SEND_RESPONSE",
                            "A:LOG_REQUEST",
                            "B:LOG_REQUEST",
                            "A:END_REQUEST",
                            "B:END_REQUEST");
        }
    }

    /**
     * "Statuses", for every deterministic notification the module registered: FINISH_REQUEST skips what
     * is left of the stages and goes to the final send, then LOG_REQUEST and END_REQUEST; from
     * LOG_REQUEST or END_REQUEST it counts as CONTINUE (design-notes.md), so nothing is cut short.
     * The reference run (no X-Finish) gives the full sequence each case is compared with.
     */
    @Test
    void finishRequestFromEveryStage() throws Exception {
        try (WeirTestServer server = start(Map.of("A", "Default"), "A")) {
            String reference = id();
            assertThat(get(server, "/", reference).statusCode()).isEqualTo(200);
            List<String> normal = eventsAfterEnd(reference, "A");
            int send = normal.indexOf("A:SEND_RESPONSE");
            assertThat(send).as(normal.toString()).isPositive();
            List<String> stages = normal.stream()
                    .map(e -> e.substring(2))
                    .filter(n -> !n.startsWith("POST_") && !n.equals("SEND_RESPONSE"))
                    .toList();
            assertThat(stages)
                    .contains(
                            "BEGIN_REQUEST",
                            "AUTHENTICATE_REQUEST",
                            "AUTHORIZE_REQUEST",
                            "MAP_REQUEST_HANDLER",
                            "EXECUTE_REQUEST_HANDLER",
                            "RELEASE_REQUEST_STATE",
                            "LOG_REQUEST",
                            "END_REQUEST");
            for (String stage : stages) {
                String id = id();
                HttpResponse<String> response = get(server, "/", id, "X-Finish", "A:" + stage);
                assertThat(response.statusCode()).as(stage).isEqualTo(200);
                List<String> events = eventsAfterEnd(id, "A");
                int at = normal.indexOf("A:" + stage);
                List<String> expected = new ArrayList<>();
                if (at < send) {
                    expected.addAll(normal.subList(0, at + 1));
                    expected.addAll(normal.subList(send, normal.size()));
                    assertThat(response.body()).as(stage).contains("finished by A");
                } else {
                    expected.addAll(normal);
                }
                assertThat(events).as("FINISH_REQUEST from " + stage).isEqualTo(expected);
            }
        }
    }

    /**
     * "Statuses": a global module answers the request in PRE_BEGIN_REQUEST and ends it there
     * ({@code PreBeginRequestProvider.finishRequest()}): no request-level stage runs, only the
     * final send, LOG_REQUEST and END_REQUEST, and the client gets the global module's response.
     */
    @Test
    void aGlobalModuleEndsTheRequestInPreBeginRequest() throws Exception {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("G", "PreBeginFinisher");
        modules.put("B", "Default");
        try (WeirTestServer server = start(modules, "B")) {
            String id = id();
            HttpResponse<String> response = get(server, "/", id, "X-PreBegin-Finish", "yes");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("answered in PRE_BEGIN_REQUEST");
            List<String> events = eventsAfterEnd(id, "B");
            assertThat(events).noneMatch(e -> e.endsWith(":BEGIN_REQUEST") || e.endsWith(":EXECUTE_REQUEST_HANDLER"));
            assertThat(only(events, "SEND_RESPONSE")).containsExactlyInAnyOrder("G", "B");
            assertThat(only(events, "END_REQUEST")).containsExactlyInAnyOrder("G", "B");
            // without the header the same server runs the whole pipeline
            String other = id();
            assertThat(get(server, "/", other).statusCode()).isEqualTo(200);
            assertThat(only(eventsAfterEnd(other, "B"), "BEGIN_REQUEST")).containsExactly("G", "B");
        }
    }

    /** "Statuses" from a later stage: FINISH_REQUEST in AUTHORIZE_REQUEST skips MAP/EXECUTE/RELEASE. */
    @Test
    void finishRequestFromALaterStage() throws Exception {
        try (WeirTestServer server = start(Map.of("A", "Default"), "A")) {
            String id = id();
            HttpResponse<String> response = get(server, "/", id, "X-Finish", "A:AUTHORIZE_REQUEST");
            assertThat(response.body()).isEqualTo("finished by A");
            assertThat(eventsAfterEnd(id, "A"))
                    .containsExactly(
                            "A:BEGIN_REQUEST",
                            "A:POST_BEGIN_REQUEST",
                            "A:AUTHENTICATE_REQUEST",
                            "A:AUTHORIZE_REQUEST",
                            "A:SEND_RESPONSE",
                            "A:LOG_REQUEST",
                            "A:END_REQUEST");
        }
    }

    /**
     * A module that throws gives that request a 500 and nothing else: the next request on the same
     * connection is served normally, and the failing request still runs LOG_REQUEST and END_REQUEST.
     */
    @Test
    void anExceptionGivesThatRequestA500Only() throws Exception {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("A", "Default");
        modules.put("B", "Default");
        try (WeirTestServer server = start(modules, "A");
                RawHttp raw = RawHttp.connect(server.port())) {
            String failing = id();
            String next = id();
            raw.send("GET / HTTP/1.1\r\nHost: t\r\nX-Test-Id: " + failing + "\r\nX-Throw: B:AUTHORIZE_REQUEST\r\n\r\n");
            RawHttp.Response first = raw.readResponse();
            raw.send("GET / HTTP/1.1\r\nHost: t\r\nX-Test-Id: " + next + "\r\n\r\n");
            RawHttp.Response second = raw.readResponse();
            assertThat(first.status()).isEqualTo(500);
            assertThat(second.status()).isEqualTo(200);
            List<String> events = eventsAfterEnd(failing, "B");
            assertThat(events)
                    .containsSubsequence(
                            "A:AUTHORIZE_REQUEST",
                            "B:AUTHORIZE_REQUEST",
                            "B:SEND_RESPONSE",
                            "A:LOG_REQUEST",
                            "B:LOG_REQUEST",
                            "A:END_REQUEST",
                            "B:END_REQUEST");
            assertThat(events).doesNotContain("A:MAP_REQUEST_HANDLER");
            assertThat(eventsAfterEnd(next, "B")).contains("A:EXECUTE_REQUEST_HANDLER");
        }
    }

    /** "Module life cycle": dispose() is called on every module instance, whatever happened to the request. */
    @Test
    void disposeIsCalledOnEveryInstance() throws Exception {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("A", "Default");
        modules.put("B", "High");
        try (WeirTestServer server = start(modules, "A")) {
            int created = Recorder.CREATED.get();
            int disposed = Recorder.DISPOSED.get();
            String[][] variants = {
                {},
                {"X-Finish", "A:BEGIN_REQUEST"},
                {"X-Throw", "B:EXECUTE_REQUEST_HANDLER"},
                {"X-Throw", "A:END_REQUEST"},
                {"X-Finish", "B:MAP_REQUEST_HANDLER"}
            };
            String last = null;
            for (int i = 0; i < 20; i++) {
                last = id();
                get(server, "/", last, variants[i % variants.length]);
            }
            eventsAfterEnd(last, "A");
            for (int i = 0; i < 200 && Recorder.DISPOSED.get() - disposed < 40; i++) {
                Thread.sleep(10);
            }
            assertThat(Recorder.CREATED.get() - created).isEqualTo(40);
            assertThat(Recorder.DISPOSED.get() - disposed).isEqualTo(40);
        }
    }

    /** "Handlers": no mapping matches → 404.4; a path match refused on its verb → 405; an unknown module → 500.21. */
    @Test
    void handlerMappingErrorsAreIisStatuses() throws Exception {
        String extra = """
                <add name="Bad" path="*.bad" verb="*" modules="NoSuchModule" resourceType="Unspecified" requireAccess="None" />
                <add name="PostOnly" path="*.post" verb="POST" modules="A" resourceType="Unspecified" requireAccess="None" />
                """;
        try (WeirTestServer server = start(Map.of("A", "Default"), "A", extra)) {
            RawHttp.Response put =
                    RawHttp.exchange(server.port(), "PUT /x HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
            assertThat(put.status()).isEqualTo(405);
            RawHttp.Response bad = RawHttp.exchange(server.port(), "GET /x.bad HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(bad.status()).isEqualTo(500);
            assertThat(bad.bodyText()).contains("500.21").contains("NoSuchModule");
            RawHttp.Response getPost = RawHttp.exchange(server.port(), "GET /a.post HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(getPost.status()).isEqualTo(200);
        }
        String onlyHtml = config(Map.of("A", "Default"), "A", "")
                .replace("path=\"*\" verb=\"GET,HEAD\"", "path=\"*.html\" verb=\"GET,HEAD\"");
        try (WeirTestServer server = WeirTestServer.start(onlyHtml, Map.of("ROOT", root.toString()))) {
            RawHttp.Response none = RawHttp.exchange(server.port(), "GET /x.txt HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(none.status()).isEqualTo(404);
            assertThat(none.bodyText()).contains("404.4");
        }
    }

    /** "Module life cycle": a module whose registration throws is reported and left out; the server starts and serves. */
    @Test
    void aFailingRegistrationIsReportedAndTheServerServes() throws Exception {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("Broken", "Broken");
        modules.put("A", "Default");
        try (WeirTestServer server = start(modules, "A")) {
            GlobalModuleStatus broken = server.server().engine().modules().stream()
                    .filter(m -> m.name().equals("Broken"))
                    .findFirst()
                    .orElseThrow();
            assertThat(broken.isLoaded()).isFalse();
            assertThat(broken.failure()).get().asString().contains("fails on purpose");
            String id = id();
            assertThat(get(server, "/", id).statusCode()).isEqualTo(200);
            assertThat(eventsAfterEnd(id, "A")).contains("A:EXECUTE_REQUEST_HANDLER");
        }
    }

    /** Requests with malformed URLs never reach a module and get 400 (http.sys canonicalization). */
    @Test
    void malformedUrlsGet400() throws Exception {
        try (WeirTestServer server = start(Map.of("A", "Default"), "A")) {
            for (String target : List.of("/%zz", "/../etc/passwd", "/a/%2e%2e/%2e%2e/b", "/%00")) {
                RawHttp.Response r = RawHttp.exchange(server.port(), "GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(r.status()).as(target).isEqualTo(400);
            }
        }
    }
}
