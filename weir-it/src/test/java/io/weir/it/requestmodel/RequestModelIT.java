package io.weir.it.requestmodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.GlobalNotification;
import io.weir.core.PeriodicSettings;
import io.weir.core.internal.context.RequestMemory;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request model's conformance tests: custom notifications, the global notifications
 * at their moments, child requests, SEND_RESPONSE per send, streamed READ_ENTITY, MAP_PATH and the
 * module context containers, one behaviour per test, each over loopback HTTP against a real server.
 * Quoted headings are those of docs/reference/native-module-model.md.
 */
class RequestModelIT {

    static final String PKG = "io.weir.it.requestmodel.";

    final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path root;

    @BeforeEach
    void clearRecorders() {
        GlobalRecorder.EVENTS.clear();
        GlobalRecorder.HANDLING.clear();
        GlobalRecorder.THREADS.clear();
    }

    /**
     * A configuration: {@code modules} maps a name to a registration class (simple name relative to
     * this package, e.g. "Receiver$High"); every module with request notifications is enabled; the
     * handler mapping "Test" (path *, any verb) runs {@code handlerModules}.
     */
    static String config(Map<String, String> modules, String handlerModules, String siteExtra, String webServerExtra) {
        String global = modules.entrySet().stream()
                .map(e -> "<add name=\"" + e.getKey() + "\" type=\""
                        + (e.getValue().contains(".") ? e.getValue() : PKG + e.getValue()) + "\" />")
                .collect(Collectors.joining("\n"));
        String enabled =
                modules.keySet().stream().map(n -> "<add name=\"" + n + "\" />").collect(Collectors.joining("\n"));
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
                    <staticContent><mimeMap fileExtension=".txt" mimeType="text/plain" /></staticContent>
                    @EXTRA@
                  </system.webServer>
                </configuration>
                """.replace("@GLOBAL@", global)
                .replace("@MODULES@", enabled)
                .replace("@HANDLER@", handlerModules)
                .replace("@SITE@", siteExtra)
                .replace("@EXTRA@", webServerExtra)
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

    /** "Non-deterministic notifications" RQ_CUSTOM_NOTIFICATION, "Priorities and order" rules 2-3: every receiver, in priority order, with the provider. */
    @Test
    void customNotificationReachesReceiversInPriorityOrder() throws Exception {
        try (WeirTestServer server =
                start(modules("Low", "Receiver$Low", "Med", "Receiver$Medium", "High", "Receiver$High"))) {
            HttpResponse<String> r = get(server, "/custom");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("seen=[High, Med, Low]");
        }
    }

    /** "Providers" ICustomNotificationProvider and Weir's choice: FINISH_REQUEST from a receiver (handled) stops the rest. */
    @Test
    void customNotificationHandledStopsTheRemainingReceivers() throws Exception {
        try (WeirTestServer server =
                start(modules("Low", "Receiver$Low", "Med", "Receiver$Medium", "High", "Receiver$High"))) {
            HttpResponse<String> r = get(server, "/custom", "X-Custom-Finish", "Med");
            assertThat(r.body()).isEqualTo("seen=[High, Med]");
        }
    }

    /**
     * "Statuses": NotifyCustomNotification reports pfCompletionExpected when a receiver goes
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

    /** "Global notifications" GL_CUSTOM_NOTIFICATION and "Statuses": global modules in priority order; HANDLED stops the rest. */
    @Test
    void globalCustomNotificationStopsAtHandled() throws Exception {
        try (WeirTestServer server = start(modules(
                "GLow", "GlobalRecorder$Low", "GMed", "GlobalRecorder$Medium", "GHigh", "GlobalRecorder$High"))) {
            assertThat(get(server, "/global-custom").body()).isEqualTo("CONTINUE seen=[GHigh, GMed, GLow]");
            GlobalRecorder.HANDLING.add("GMed:CUSTOM_NOTIFICATION");
            assertThat(get(server, "/global-custom").body()).isEqualTo("HANDLED seen=[GHigh, GMed]");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 2. Global notifications at their moments
    // ---------------------------------------------------------------------------------------------

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("timed out waiting for " + what + "; events: " + GlobalRecorder.EVENTS);
    }

    /**
     * "Global notifications" GL_APPLICATION_RESOLVE_MODULES, "Providers" IHttpApplicationResolveModulesProvider::RegisterModule:
     * a module a global module adds to the application runs for its requests, at the priority set.
     */
    @Test
    void aModuleAddedInResolveModulesRuns() throws Exception {
        try (WeirTestServer server = start(modules("Adder", "AddingModules$Adder"))) {
            HttpResponse<String> r = get(server, "/anything");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Added-For")).contains("/");
        }
    }

    /**
     * "Global notifications" GL_APPLICATION_PRELOAD with IIS's {@code application@preloadEnabled}: at start the
     * preloading module's request runs through the application's pipeline; nothing is preloaded
     * for an application without it.
     */
    @Test
    void preloadEnabledApplicationsAreWarmedUpAtStart() throws Exception {
        AddingModules.PRELOADS.clear();
        TestHandler.SERVED.clear();
        try (WeirTestServer server = start(modules("Preloader", "AddingModules$Preloader"), "<!--PRELOAD-->", "")) {
            assertThat(AddingModules.PRELOADS).containsExactly("/ -> 200 recycled=false");
            assertThat(TestHandler.SERVED).containsExactly("/warm-up?by=preload from Weir application preload");
        }
        AddingModules.PRELOADS.clear();
        try (WeirTestServer server = start(modules("Preloader", "AddingModules$Preloader"))) {
            assertThat(AddingModules.PRELOADS).isEmpty();
        }
    }

    /**
     * "Global notifications" GL_HEALTH_CHECK and "Global notifications" ReportUnhealthy: the health check is periodic on the timer
     * thread; ReportUnhealthy records the reason in the engine's health status and raises it.
     */
    @Test
    void healthCheckIsPeriodicAndReportUnhealthyIsRecorded() throws Exception {
        try (WeirTestServer server = start(modules("G", "GlobalRecorder$Medium"))) {
            var engine = server.server().engine();
            assertThat(engine.health().healthy()).isTrue();
            engine.reschedule(new PeriodicSettings(Duration.ofMillis(50), Duration.ofHours(1)));
            await(
                    "two periodic health checks",
                    () -> GlobalRecorder.of(GlobalNotification.HEALTH_CHECK).size() >= 2);
            assertThat(GlobalRecorder.THREADS).allMatch(t -> t.equals("weir-global-timer"));

            engine.reschedule(new PeriodicSettings(Duration.ofHours(1), Duration.ofHours(1)));
            GlobalRecorder.EVENTS.clear();
            assertThat(get(server, "/unhealthy").body()).isEqualTo("reported");
            assertThat(engine.health().healthy()).isFalse();
            assertThat(engine.health().reasons()).containsExactly("the test says so");
            assertThat(engine.health().unhealthySince()).isPresent();
            await(
                    "the health check ReportUnhealthy raises",
                    () -> GlobalRecorder.of(GlobalNotification.HEALTH_CHECK).size() == 1);
            assertThat(engine.rscaQuery("GetRuntimeStatus", null).orElseThrow())
                    .contains("healthy=false")
                    .contains("the test says so");
        }
    }

    /** "Global notifications" GL_CACHE_CLEANUP: raised periodically, on the timer thread. */
    @Test
    void cacheCleanupIsPeriodic() throws Exception {
        try (WeirTestServer server = start(modules("G", "GlobalRecorder$Medium"))) {
            GlobalRecorder.THREADS.clear();
            server.server().engine().reschedule(new PeriodicSettings(Duration.ofHours(1), Duration.ofMillis(50)));
            await(
                    "two cache cleanups",
                    () -> GlobalRecorder.of(GlobalNotification.CACHE_CLEANUP).size() >= 2);
            assertThat(GlobalRecorder.THREADS).allMatch(t -> t.equals("weir-global-timer"));
        }
    }

    /**
     * "Global notifications" GL_CACHE_OPERATION, "Providers" ICacheProvider: the file cache reports an entry it adds (ADD)
     * and one it drops because the file changed (DELETE), keyed by the physical path.
     */
    @Test
    void fileCacheReportsAddAndDelete() throws Exception {
        Path file = root.resolve("cached.txt");
        Files.writeString(file, "one");
        try (WeirTestServer server = start(modules("G", "GlobalRecorder$Medium"))) {
            assertThat(get(server, "/cached.txt").body()).isEqualTo("one");
            await("ADD", () -> GlobalRecorder.EVENTS.contains("G:ADD " + file));
            Files.writeString(file, "second");
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
            assertThat(get(server, "/cached.txt").body()).isEqualTo("second");
            await("DELETE", () -> GlobalRecorder.EVENTS.contains("G:DELETE " + file));
        }
    }

    /**
     * "Global notifications" GL_THREAD_CLEANUP, Weir's moment: a task handed to the blocking executor from a request
     * finishes, and its thread raises it naming the request's application.
     */
    @Test
    void threadCleanupFollowsABlockingTask() throws Exception {
        try (WeirTestServer server = start(modules("G", "GlobalRecorder$Medium"))) {
            assertThat(get(server, "/blocking").statusCode()).isEqualTo(200);
            await("THREAD_CLEANUP", () -> GlobalRecorder.EVENTS.stream()
                    .anyMatch(e -> e.startsWith("G:cleanup of weir-blocking-") && e.endsWith(" for /")));
        }
    }

    /**
     * "Global notifications" GL_RSCA_QUERY, "Providers" IGlobalRSCAQueryProvider: a global module answers from the run-time
     * status it is given; the engine answers GetRuntimeStatus itself.
     */
    @Test
    void rscaQueryIsAnsweredFromTheRuntimeStatus() throws Exception {
        try (WeirTestServer server = start(modules("G", "GlobalRecorder$Medium"))) {
            var engine = server.server().engine();
            assertThat(engine.rscaQuery("Echo", "x=1")).contains("G saw generation 1 and 0 in flight, parameters x=1");
            assertThat(engine.rscaQuery("GetRuntimeStatus", "").orElseThrow())
                    .startsWith("generation=1 requestsInFlight=0 healthy=true");
            assertThat(engine.rscaQuery("Unknown", "")).isEmpty();
            assertThat(GlobalRecorder.of(GlobalNotification.RSCA_QUERY)).hasSize(3);
        }
    }

    /** "Global notifications", "Module life cycle": at shutdown STOP_LISTENING, then APPLICATION_STOP, CACHE_CLEANUP, and Terminate last. */
    @Test
    void shutdownOrderEndsWithTerminate() throws Exception {
        WeirTestServer server = start(modules("G", "GlobalRecorder$Medium"));
        GlobalRecorder.EVENTS.clear();
        server.close();
        assertThat(GlobalRecorder.EVENTS)
                .containsExactly("G:STOP_LISTENING", "G:APPLICATION_STOP", "G:CACHE_CLEANUP", "G:TERMINATE");
    }

    /** "Statuses" GL_NOTIFICATION_HANDLED stops the remaining global modules, at every raise site. */
    @Test
    void handledStopsTheRestAtEveryRaiseSite() throws Exception {
        for (GlobalNotification n : GlobalNotification.values()) {
            GlobalRecorder.HANDLING.add("GHigh:" + n);
        }
        Files.writeString(root.resolve("f.txt"), "f");
        WeirTestServer server = start(
                modules(
                        "GLow",
                        "GlobalRecorder$Low",
                        "GHigh",
                        "GlobalRecorder$High",
                        "Preloader",
                        "AddingModules$Preloader"),
                "<!--PRELOAD-->",
                "");
        var engine = server.server().engine();
        get(server, "/global-custom");
        get(server, "/f.txt");
        get(server, "/blocking");
        get(server, "/unhealthy");
        engine.rscaQuery("GetRuntimeStatus", "");
        engine.notifyConfigurationChange("MACHINE/WEBROOT/APPHOST/Test");
        engine.notifyFileChange(root.resolve("f.txt"));
        engine.reschedule(new PeriodicSettings(Duration.ofHours(1), Duration.ofMillis(20)));
        await(
                "every notification",
                () -> GlobalRecorder.of(GlobalNotification.CACHE_CLEANUP).size() > 0
                        && GlobalRecorder.of(GlobalNotification.THREAD_CLEANUP).size() > 0
                        && GlobalRecorder.of(GlobalNotification.CACHE_OPERATION).size() > 0
                        && GlobalRecorder.of(GlobalNotification.HEALTH_CHECK).size() > 0);
        server.close();
        Set<GlobalNotification> expected =
                EnumSet.complementOf(EnumSet.of(GlobalNotification.SUSPEND_PROCESS, GlobalNotification.TRACE_EVENT));
        for (GlobalNotification n : expected) {
            assertThat(GlobalRecorder.of(n)).as(n.toString()).isNotEmpty().containsOnly("GHigh");
        }
        assertThat(GlobalRecorder.EVENTS.stream().filter(e -> e.startsWith("GLow:")))
                .containsExactly("GLow:TERMINATE");
    }

    // ---------------------------------------------------------------------------------------------
    // 3. Child requests
    // ---------------------------------------------------------------------------------------------

    /** "The request context" ExecuteRequest with EXECUTE_FLAG_BUFFER_RESPONSE: the child's output sits inside the parent's, one buffered response. */
    @Test
    void childOutputGoesInsideTheParentsResponse() throws Exception {
        Files.writeString(root.resolve("inner.txt"), "inner");
        try (WeirTestServer server = start(modules())) {
            HttpResponse<String> r = get(server, "/parent?child=/inner.txt&flags=BUFFER_RESPONSE");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("<inner>");
            assertThat(r.headers().firstValue("Content-Length")).contains("7");
        }
    }

    /**
     * "The request context" ExecuteRequest without BUFFER_RESPONSE: the child's output is sent when the child ends
     * (a flush: chunked, the parent's later output follows).
     */
    @Test
    void childOutputIsFlushedWithoutBufferResponse() throws Exception {
        Files.writeString(root.resolve("inner.txt"), "inner");
        try (WeirTestServer server = start(modules())) {
            RawHttp.Response r = RawHttp.exchange(
                    server.port(), "GET /parent?child=/inner.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Transfer-Encoding")).contains("chunked");
            assertThat(r.bodyText()).isEqualTo("<inner>");
        }
    }

    /**
     * "Statuses", "The request context": a child that returns PENDING makes ExecuteRequest report a pending completion;
     * the parent returns PENDING and is resumed (OnAsyncCompletion) when the child has ended.
     */
    @Test
    void aPendingChildResumesTheParent() throws Exception {
        try (WeirTestServer server = start(modules())) {
            HttpResponse<String> r = get(server, "/parent?child=/slow&flags=BUFFER_RESPONSE");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("<slow>(resumed)");
        }
    }

    /** "The request context" EXECUTE_FLAG_NO_HEADERS: the child's status and headers are dropped; its entity is kept. */
    @Test
    void noHeadersKeepsTheParentsStatusAndHeaders() throws Exception {
        try (WeirTestServer server = start(modules())) {
            HttpResponse<String> with = get(server, "/parent?child=/teapot&flags=BUFFER_RESPONSE");
            assertThat(with.statusCode()).isEqualTo(418);
            assertThat(with.headers().firstValue("X-Child")).contains("yes");
            HttpResponse<String> without = get(server, "/parent?child=/teapot&flags=BUFFER_RESPONSE,NO_HEADERS");
            assertThat(without.statusCode()).isEqualTo(200);
            assertThat(without.headers().firstValue("X-Child")).isEmpty();
            assertThat(without.body()).isEqualTo("<tea>");
        }
    }

    /**
     * "The request context" ExecuteRequest's pHttpUser: with the parent's user the child skips authentication and is
     * that user; with none it authenticates on its own. GetExecuteFlags reports the child's flags.
     */
    @Test
    void childInheritsTheUserOrAuthenticatesItself() throws Exception {
        AuthRecorder.SEEN.clear();
        try (WeirTestServer server = start(modules("Auth", "AuthRecorder$Registration"))) {
            HttpResponse<String> inherited =
                    get(server, "/parent?child=/whoami&flags=BUFFER_RESPONSE", "X-User", "alice");
            assertThat(inherited.body()).isEqualTo("<user=alice flags=[BUFFER_RESPONSE]>");
            assertThat(AuthRecorder.SEEN).containsExactly("AUTH /parent");
            AuthRecorder.SEEN.clear();
            HttpResponse<String> own = get(server, "/parent-own-user?child=/whoami&flags=BUFFER_RESPONSE");
            assertThat(own.body()).isEqualTo("<user=none flags=[BUFFER_RESPONSE]>");
            assertThat(AuthRecorder.SEEN).containsExactly("AUTH /parent-own-user", "AUTH /whoami");
        }
    }

    /** "The request context" EXECUTE_FLAG_SAME_URL: the child runs the parent's URL (and query), not the one passed. */
    @Test
    void sameUrlRunsTheParentsUrl() throws Exception {
        AuthRecorder.SEEN.clear();
        try (WeirTestServer server = start(modules("Auth", "AuthRecorder$Registration"))) {
            HttpResponse<String> r = get(server, "/parent-own-user?child=/ignored&flags=BUFFER_RESPONSE,SAME_URL");
            assertThat(AuthRecorder.SEEN).contains("AUTH /parent-own-user");
            assertThat(AuthRecorder.SEEN).doesNotContain("AUTH /ignored");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 4. SEND_RESPONSE on every send
    // ---------------------------------------------------------------------------------------------

    /**
     * "Non-deterministic notifications" RQ_SEND_RESPONSE, "The request context" Flush, "The request context": two flushes and the final send are three sends, each
     * raising SEND_RESPONSE; only the first carries the headers; MORE_DATA on all but the last; the
     * length being unknown at the first flush, the entity is chunked.
     */
    @Test
    void everySendRaisesSendResponse() throws Exception {
        SendRecorder.SENDS.clear();
        try (WeirTestServer server = start(modules("Send", "SendRecorder$Registration"))) {
            RawHttp.Response r =
                    RawHttp.exchange(server.port(), "GET /flush2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Transfer-Encoding")).contains("chunked");
            assertThat(r.header("Content-Length")).isEmpty();
            assertThat(r.bodyText()).isEqualTo("abbccc");
            assertThat(SendRecorder.SENDS)
                    .containsExactly(
                            "/flush2 headers=true final=false flags=[MORE_DATA] bytes=1",
                            "/flush2 headers=false final=false flags=[MORE_DATA] bytes=2",
                            "/flush2 headers=false final=true flags=[] bytes=3");
        }
    }

    /** "The request context" Flush with fMoreData FALSE: one final send with a Content-Length; the request's end sends nothing more. */
    @Test
    void aFinalFlushCompletesTheResponse() throws Exception {
        SendRecorder.SENDS.clear();
        try (WeirTestServer server = start(modules("Send", "SendRecorder$Registration"))) {
            RawHttp.Response r = RawHttp.exchange(
                    server.port(), "GET /flush-final HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(r.header("Content-Length")).contains("3");
            assertThat(r.bodyText()).isEqualTo("abc");
            assertThat(SendRecorder.SENDS).containsExactly("/flush-final headers=true final=true flags=[] bytes=3");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 6. MAP_PATH
    // ---------------------------------------------------------------------------------------------

    /**
     * "Non-deterministic notifications" RQ_MAP_PATH, "Providers" IMapPathProvider::SetPhysicalPath: a module mapping /alias/* to another
     * folder makes the static handler serve from there; HttpContext.mapPath goes through it too.
     */
    @Test
    void mapPathOverrideIsServedByTheStaticHandler() throws Exception {
        Path other = Files.createDirectories(
                root.resolve("../" + root.getFileName() + "-other").normalize());
        Files.writeString(other.resolve("x.txt"), "from the other folder");
        AliasMapper.target = other;
        try (WeirTestServer server = start(modules("Alias", "AliasMapper$Registration"))) {
            HttpResponse<String> r = get(server, "/alias/x.txt");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("from the other folder");
            assertThat(get(server, "/mappath?url=/alias/x.txt").body())
                    .isEqualTo(other.resolve("x.txt").toString());
            assertThat(get(server, "/mappath?url=/plain/x.txt").body())
                    .isEqualTo(root.resolve("plain/x.txt").toString());
        } finally {
            AliasMapper.target = null;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 7. Module context containers and the request allocator
    // ---------------------------------------------------------------------------------------------

    /**
     * "The request context": request, connection, site, application and server containers, set-once
     * per module; each stored context is cleaned up when its owner ends (request end, disconnect,
     * application stop, server stop).
     */
    @Test
    void contextContainersAtEveryLevelAreSetOnceAndCleanedUp() throws Exception {
        TestHandler.CLEANED.clear();
        WeirTestServer server = start(modules());
        try (RawHttp connection = RawHttp.connect(server.port())) {
            connection.send("GET /contexts HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response first = connection.readResponse();
            assertThat(first.bodyText())
                    .isEqualTo("request stored;connection stored;site stored;application stored;"
                            + "server stored;second set refused");
            await("request cleanup", () -> TestHandler.CLEANED.contains("request"));
            connection.send("GET /contexts HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(connection.readResponse().bodyText())
                    .isEqualTo("request stored;connection kept;site kept;"
                            + "application kept;server kept;second set refused");
            assertThat(TestHandler.CLEANED).doesNotContain("connection");
        }
        await("connection cleanup", () -> TestHandler.CLEANED.contains("connection"));
        assertThat(TestHandler.CLEANED).doesNotContain("application", "site", "server");
        server.close();
        assertThat(TestHandler.CLEANED).contains("application", "site", "server");
    }

    /**
     * "Module life cycle" IModuleAllocator::AllocateMemory: request-lifetime memory from a pool, exactly the size
     * asked, given back when the request ends.
     */
    @Test
    void requestAllocationsAreReleasedAtTheEnd() throws Exception {
        try (WeirTestServer server = start(modules())) {
            String body = get(server, "/allocate").body();
            assertThat(body).startsWith("capacity=1000,100000 outstanding=");
            assertThat(Long.parseLong(body.substring(body.indexOf("outstanding=") + 12)))
                    .isGreaterThanOrEqualTo(1024);
            await("the request's memory released", () -> RequestMemory.outstandingBytes() == 0);
        }
    }
}
