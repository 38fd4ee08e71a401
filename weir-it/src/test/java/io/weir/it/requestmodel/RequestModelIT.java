package io.weir.it.requestmodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.GlobalNotification;
import io.weir.testkit.WeirTestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request model's conformance tests (issue 4): custom notifications, the global notifications
 * at their moments, child requests, SEND_RESPONSE per send, streamed READ_ENTITY, MAP_PATH and the
 * module context containers, one behaviour per test, each over loopback HTTP against a real server.
 * References (§) are to shared/reference/iis-native-api.md.
 */
class RequestModelIT {

    static final String PKG = "io.weir.it.requestmodel.";

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path root;

    @BeforeEach
    void clearRecorders() {
        GlobalRecorder.EVENTS.clear();
        GlobalRecorder.HANDLING.clear();
    }

    /**
     * A configuration: {@code modules} maps a name to a registration class (simple name relative to
     * this package, e.g. "Receiver$High"); every module with request notifications is enabled; the
     * handler mapping "Test" (path *, any verb) runs {@code handlerModules}.
     */
    static String config(Map<String, String> modules, String handlerModules, String siteExtra, String webServerExtra) {
        String global = modules.entrySet().stream().map(e -> "<add name=\"" + e.getKey() + "\" type=\""
                + (e.getValue().contains(".") ? e.getValue() : PKG + e.getValue()) + "\" />")
                .collect(Collectors.joining("\n"));
        String enabled = modules.keySet().stream().map(n -> "<add name=\"" + n + "\" />")
                .collect(Collectors.joining("\n"));
        return """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" /><section name="modules" /><section name="handlers" />
                      <section name="staticContent" overrideModeDefault="Allow" />
                      <section name="defaultDocument" overrideModeDefault="Allow" />
                      <section name="httpErrors" overrideModeDefault="Allow" />
                      <sectionGroup name="security">
                        <section name="requestFiltering" overrideModeDefault="Allow" />
                      </sectionGroup>
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites>
                    <site name="Test" id="1">
                      <application path="/"@APPATTR@><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                      @SITE@
                      <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                    </site>
                  </sites></system.applicationHost>
                  <system.webServer>
                    <globalModules>@GLOBAL@</globalModules>
                    <modules>@MODULES@</modules>
                    <handlers accessPolicy="Read, Script">
                      <add name="StaticFile" path="*.txt" verb="GET,HEAD" modules="StaticFileModule" resourceType="File" requireAccess="Read" />
                      <add name="Test" path="*" verb="*" modules="@HANDLER@" resourceType="Unspecified" requireAccess="None" />
                    </handlers>
                    @EXTRA@
                  </system.webServer>
                </configuration>
                """.replace("@GLOBAL@", global).replace("@MODULES@", enabled).replace("@HANDLER@", handlerModules)
                .replace("@SITE@", siteExtra).replace("@EXTRA@", webServerExtra)
                .replace("@APPATTR@", siteExtra.contains("PRELOAD") ? " preloadEnabled=\"true\"" : "")
                .replace("<!--PRELOAD-->", "");
    }

    static Map<String, String> modules(String... nameAndClass) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndClass.length; i += 2) {
            m.put(nameAndClass[i], nameAndClass[i + 1]);
        }
        return m;
    }

    WeirTestServer start(Map<String, String> modules) {
        return start(modules, "", "");
    }

    WeirTestServer start(Map<String, String> modules, String siteExtra, String webServerExtra) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("StaticFileModule", "io.weir.modules.staticfile.StaticFileModuleRegistration");
        all.put("Handler", "TestHandler$Registration");
        all.putAll(modules);
        return WeirTestServer.start(config(all, "Handler", siteExtra, webServerExtra), Map.of("ROOT", root.toString()));
    }

    HttpResponse<String> get(WeirTestServer server, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---------------------------------------------------------------------------------------------
    // 1. Custom notifications
    // ---------------------------------------------------------------------------------------------

    /** §1.2 RQ_CUSTOM_NOTIFICATION, §3.2 rules 2-3: every receiver, in priority order, with the provider. */
    @Test
    void customNotificationReachesReceiversInPriorityOrder() throws Exception {
        try (WeirTestServer server = start(modules("Low", "Receiver$Low", "Med", "Receiver$Medium",
                "High", "Receiver$High"))) {
            HttpResponse<String> r = get(server, "/custom");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("seen=[High, Med, Low]");
        }
    }

    /** §1.4 ICustomNotificationProvider and Weir's choice: FINISH_REQUEST from a receiver (handled) stops the rest. */
    @Test
    void customNotificationHandledStopsTheRemainingReceivers() throws Exception {
        try (WeirTestServer server = start(modules("Low", "Receiver$Low", "Med", "Receiver$Medium",
                "High", "Receiver$High"))) {
            HttpResponse<String> r = get(server, "/custom", "X-Custom-Finish", "Med");
            assertThat(r.body()).isEqualTo("seen=[High, Med]");
        }
    }

    /**
     * §2.3: NotifyCustomNotification reports pfCompletionExpected when a receiver goes
     * asynchronous; the raiser returns PENDING and its OnAsyncCompletion runs on the receiver's
     * PostCompletion, with the bytes it reported.
     */
    @Test
    void customNotificationCompletedAsynchronouslyResumesTheRaiser() throws Exception {
        try (WeirTestServer server = start(modules("Low", "Receiver$Low", "High", "Receiver$High"))) {
            HttpResponse<String> r = get(server, "/custom", "X-Custom-Pending", "High");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("seen=[High, High(async)] resumed in EXECUTE_REQUEST_HANDLER with 7");
        }
    }

    /** §1.3 GL_CUSTOM_NOTIFICATION and §2.4: global modules in priority order; HANDLED stops the rest. */
    @Test
    void globalCustomNotificationStopsAtHandled() throws Exception {
        try (WeirTestServer server = start(modules("GLow", "GlobalRecorder$Low", "GMed", "GlobalRecorder$Medium",
                "GHigh", "GlobalRecorder$High"))) {
            assertThat(get(server, "/global-custom").body()).isEqualTo("CONTINUE seen=[GHigh, GMed, GLow]");
            GlobalRecorder.HANDLING.add("GMed:CUSTOM_NOTIFICATION");
            assertThat(get(server, "/global-custom").body()).isEqualTo("HANDLED seen=[GHigh, GMed]");
        }
    }
}
