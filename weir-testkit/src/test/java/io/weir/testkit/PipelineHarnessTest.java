package io.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.HttpModule;
import io.weir.api.ModuleRegistration;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.AuthenticationProvider;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.SendResponseProvider;
import io.weir.core.GlobalModuleStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineHarnessTest {

    /** A module, given as a lambda, that records nothing itself and answers from BEGIN_REQUEST when asked. */
    private static ModuleRegistration plain(
            Set<RequestNotification> events, Set<RequestNotification> posts, Priority priority) {
        return (version, info, server) -> {
            info.setRequestNotifications(allocator -> new HttpModule() {}, events, posts);
            info.setPriorityForRequestNotification(events, priority);
        };
    }

    @Test
    void ordersModulesByPriorityThenModulesOrderAndReversesSendResponse() {
        Set<RequestNotification> events = EnumSet.of(
                RequestNotification.BEGIN_REQUEST, RequestNotification.SEND_RESPONSE, RequestNotification.END_REQUEST);
        WeirTestConfig config = WeirTestConfig.create()
                .module("Low", plain(events, Set.of(), Priority.LOW))
                .module("MediumA", plain(events, EnumSet.of(RequestNotification.BEGIN_REQUEST), Priority.MEDIUM))
                .module("High", plain(events, Set.of(), Priority.HIGH))
                .module("MediumB", plain(events, Set.of(), Priority.MEDIUM));
        try (PipelineHarness weir = PipelineHarness.start(config)) {
            HarnessResponse r = weir.get("/");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.notifications())
                    .containsExactly(
                            "BEGIN_REQUEST High",
                            "BEGIN_REQUEST MediumA",
                            "BEGIN_REQUEST MediumB",
                            "BEGIN_REQUEST Low",
                            "POST_BEGIN_REQUEST MediumA",
                            "SEND_RESPONSE Low",
                            "SEND_RESPONSE MediumB",
                            "SEND_RESPONSE MediumA",
                            "SEND_RESPONSE High",
                            "END_REQUEST High",
                            "END_REQUEST MediumA",
                            "END_REQUEST MediumB",
                            "END_REQUEST Low");
        }
    }

    @Test
    void finishRequestSkipsToTheSendAndTheEndStages() {
        ModuleRegistration finisher = (version, info, server) -> info.setRequestNotifications(
                a -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onAuthenticateRequest(
                            HttpContext context, AuthenticationProvider provider) {
                        context.response().writeEntityChunks(DataChunk.ofUtf8("early"));
                        return RequestNotificationStatus.FINISH_REQUEST;
                    }
                },
                EnumSet.of(RequestNotification.AUTHENTICATE_REQUEST),
                Set.of());
        Set<RequestNotification> watched = EnumSet.of(
                RequestNotification.BEGIN_REQUEST,
                RequestNotification.AUTHORIZE_REQUEST,
                RequestNotification.EXECUTE_REQUEST_HANDLER,
                RequestNotification.LOG_REQUEST,
                RequestNotification.END_REQUEST);
        try (PipelineHarness weir = PipelineHarness.start(WeirTestConfig.create()
                .module("Finisher", finisher)
                .module("Watcher", plain(watched, Set.of(), Priority.MEDIUM)))) {
            HarnessResponse r = weir.get("/x");
            assertThat(r.bodyText()).isEqualTo("early");
            assertThat(r.notifications())
                    .containsExactly(
                            "BEGIN_REQUEST Watcher",
                            "AUTHENTICATE_REQUEST Finisher",
                            "LOG_REQUEST Watcher",
                            "END_REQUEST Watcher");
            assertThat(r.events().get(1).status()).isEqualTo(RequestNotificationStatus.FINISH_REQUEST);
        }
    }

    @Test
    void passesMethodHeadersBodyAndClientAddressToTheModule() {
        AtomicReference<String> seen = new AtomicReference<>();
        ModuleRegistration echo = (version, info, server) -> info.setRequestNotifications(
                a -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(
                            HttpContext context, HttpEventProvider provider) {
                        ByteBuffer entity = ByteBuffer.allocate(64);
                        context.request().readEntityBody(entity);
                        entity.flip();
                        seen.set(context.request().method() + " "
                                + context.request().urlPath() + "?"
                                + context.request().queryString() + " "
                                + context.request().header("X-A").orElse("-") + " "
                                + context.request().remoteAddress().getAddress().getHostAddress() + " "
                                + StandardCharsets.UTF_8.decode(entity));
                        context.response().setHeader("X-B", "1", false);
                        context.response().setHeader("X-B", "2", false);
                        return RequestNotificationStatus.CONTINUE;
                    }
                },
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                Set.of());
        try (PipelineHarness weir =
                PipelineHarness.start(WeirTestConfig.create().module("Echo", echo))) {
            HarnessResponse r = weir.request("POST", "/a%20b?q=1")
                    .header("X-A", "alpha")
                    .body("payload")
                    .remoteAddress("10.1.2.3", 4567)
                    .send();
            assertThat(seen.get()).isEqualTo("POST /a b?q=1 alpha 10.1.2.3 payload");
            assertThat(r.headers("X-B")).containsExactly("1,2");
        }
    }

    @Test
    void waitsForAModuleThatCompletesLaterFromAnotherThread() {
        ModuleRegistration slow = (version, info, server) -> info.setRequestNotifications(
                a -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
                        server.blockingExecutor().execute(() -> {
                            sleep(50);
                            context.postCompletion(7);
                        });
                        return RequestNotificationStatus.PENDING;
                    }

                    @Override
                    public RequestNotificationStatus onAsyncCompletion(
                            HttpContext context,
                            RequestNotification notification,
                            boolean isPost,
                            HttpEventProvider provider,
                            CompletionInfo info) {
                        context.response().writeEntityChunks(DataChunk.ofUtf8("done " + info.completionBytes()));
                        return RequestNotificationStatus.FINISH_REQUEST;
                    }
                },
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                Set.of());
        ModuleRegistration indicating = (version, info, server) -> info.setRequestNotifications(
                a -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onPostBeginRequest(
                            HttpContext context, HttpEventProvider provider) {
                        server.blockingExecutor()
                                .execute(() -> context.indicateCompletion(RequestNotificationStatus.CONTINUE));
                        return RequestNotificationStatus.PENDING;
                    }
                },
                Set.of(),
                EnumSet.of(RequestNotification.BEGIN_REQUEST));
        try (PipelineHarness weir = PipelineHarness.start(
                WeirTestConfig.create().module("Indicating", indicating).module("Slow", slow))) {
            HarnessResponse r = weir.get("/");
            assertThat(r.bodyText()).isEqualTo("done 7");
            assertThat(r.notifications())
                    .containsExactly("BEGIN_REQUEST Slow", "BEGIN_REQUEST Slow (onAsyncCompletion)");
            assertThat(r.events().get(0).status()).isEqualTo(RequestNotificationStatus.PENDING);
            assertThat(r.events().get(1).delivery()).isEqualTo(ModuleNotification.Delivery.ASYNC_COMPLETION);
        }
        try (PipelineHarness weir =
                PipelineHarness.start(WeirTestConfig.create().module("Indicating", indicating))) {
            assertThat(weir.get("/").notifications())
                    .containsExactly(
                            "POST_BEGIN_REQUEST Indicating", "POST_BEGIN_REQUEST Indicating (indicateCompletion)");
        }
    }

    @Test
    void aTestCanHoldAPendingRequestAndReleaseIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ModuleRegistration gated = (version, info, server) -> info.setRequestNotifications(
                a -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(
                            HttpContext context, HttpEventProvider provider) {
                        server.blockingExecutor().execute(() -> {
                            await(release);
                            context.response().writeEntityChunks(DataChunk.ofUtf8("released"));
                            context.indicateCompletion(RequestNotificationStatus.CONTINUE);
                        });
                        return RequestNotificationStatus.PENDING;
                    }
                },
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                Set.of());
        try (PipelineHarness weir =
                PipelineHarness.start(WeirTestConfig.create().module("Gated", gated))) {
            CompletableFuture<HarnessResponse> pending =
                    weir.request("GET", "/").sendAsync();
            Thread.sleep(100);
            assertThat(pending).isNotDone();
            release.countDown();
            assertThat(pending.get(10, TimeUnit.SECONDS).bodyText()).isEqualTo("released");
        }
    }

    @Test
    void aRequestThatNeverCompletesFailsWithWhatRanSoFar() {
        ModuleRegistration stuck = (version, info, server) -> info.setRequestNotifications(
                a -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
                        return RequestNotificationStatus.PENDING;
                    }
                },
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                Set.of());
        try (PipelineHarness weir = PipelineHarness.start(
                        WeirTestConfig.create().module("Stuck", stuck))
                .timeout(Duration.ofMillis(300))) {
            assertThatThrownBy(() -> weir.get("/"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("did not end within")
                    .hasMessageContaining("BEGIN_REQUEST Stuck");
        }
    }

    @Test
    void aThrowingModuleGivesA500AndTheEventCarriesTheException() {
        ModuleRegistration failing = (version, info, server) -> info.setRequestNotifications(
                a -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(
                            HttpContext context, HttpEventProvider provider) {
                        throw new IllegalStateException("boom");
                    }

                    @Override
                    public RequestNotificationStatus onSendResponse(
                            HttpContext context, SendResponseProvider provider) {
                        return RequestNotificationStatus.CONTINUE;
                    }
                },
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER, RequestNotification.SEND_RESPONSE),
                Set.of());
        try (PipelineHarness weir =
                PipelineHarness.start(WeirTestConfig.create().module("Failing", failing))) {
            HarnessResponse r = weir.get("/");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.notifications()).containsExactly("EXECUTE_REQUEST_HANDLER Failing", "SEND_RESPONSE Failing");
            assertThat(r.events().get(0).thrown())
                    .get()
                    .extracting(Throwable::getMessage)
                    .isEqualTo("boom");
            assertThat(weir.get("/again").status()).isEqualTo(500);
        }
    }

    @Test
    void aRegistrationThatThrowsIsReportedAndTheOthersServe() {
        ModuleRegistration broken = (version, info, server) -> {
            throw new IllegalStateException("cannot start on purpose");
        };
        try (PipelineHarness weir = PipelineHarness.start(WeirTestConfig.create()
                .module("Broken", broken)
                .module("Greeting", GreetingModuleRegistration.class)
                .handler("Greet", "*.greet", "*", "Greeting"))) {
            GlobalModuleStatus report = weir.modules().get(0);
            assertThat(report.name()).isEqualTo("Broken");
            assertThat(report.failure()).get().asString().contains("cannot start on purpose");
            assertThat(weir.get("/a.greet?name=x").bodyText()).isEqualTo("Hello, x");
            HarnessResponse other = weir.get("/other");
            assertThat(other.statusWithSubStatus()).isEqualTo("500.21");
        }
    }

    @Test
    void writesTheSectionsAModuleReads() {
        ConfigSectionType<String> redirect =
                ConfigSectionType.of("system.webServer/httpRedirect", e -> e.stringAttribute("destination", ""));
        ConfigSectionType<String> filtering = ConfigSectionType.of(
                "system.webServer/security/requestFiltering", e -> e.stringAttribute("allowDoubleEscaping", ""));
        ModuleRegistration reader = (version, info, server) -> info.setRequestNotifications(
                a -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(
                            HttpContext context, HttpEventProvider provider) {
                        context.response()
                                .writeEntityChunks(
                                        DataChunk.ofUtf8(context.config(redirect) + " " + context.config(filtering)));
                        return RequestNotificationStatus.CONTINUE;
                    }
                },
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                Set.of());
        WeirTestConfig config = WeirTestConfig.create()
                .module("Reader", reader)
                .section("system.webServer/httpRedirect", "<httpRedirect destination=\"https://example.test/\" />")
                .section(
                        "system.webServer/security/requestFiltering",
                        "<requestFiltering allowDoubleEscaping=\"true\" />");
        assertThat(config.toXml()).contains("<sectionGroup name=\"security\">");
        try (PipelineHarness weir = PipelineHarness.start(config)) {
            assertThat(weir.get("/").bodyText()).isEqualTo("https://example.test/ true");
        }
    }

    @Test
    void runsAFullConfigurationText(@TempDir Path root) {
        try (PipelineHarness weir =
                PipelineHarness.start(HelloModuleRegistration.CONFIG, Map.of("TEST_ROOT", root.toString()))) {
            HarnessResponse r = weir.request("HEAD", "/x").send();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentLength()).isEqualTo(8);
            assertThat(r.body()).isEmpty();
            assertThat(r.notifications()).containsExactly("EXECUTE_REQUEST_HANDLER HelloModule");
        }
    }

    @Test
    void aMalformedUrlIsAnsweredByTheEngineWithoutAModule() {
        try (PipelineHarness weir =
                PipelineHarness.start(WeirTestConfig.create().module("Greeting", GreetingModuleRegistration.class))) {
            HarnessResponse r = weir.get("/a/../../etc");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.events()).isEmpty();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
