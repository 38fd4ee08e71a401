package io.weir.it.iisapi;

import static io.weir.it.iisapi.Conformance.get;
import static io.weir.it.iisapi.Conformance.module;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.HttpModule;
import io.weir.api.ModuleId;
import io.weir.api.ModuleRegistration;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CloneFlag;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.api.http.HttpUrlInfo;
import io.weir.api.http.NextNotification;
import io.weir.api.http.StoredContext;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.SendResponseProvider;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestConfig;
import io.weir.testkit.WeirTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IIS's {@code IHttpContext} methods, checked over loopback against a real server, each test named
 * after the IIS method it checks: {@code IndicateCompletion} from {@code OnSendResponse},
 * {@code GetNextNotification}, {@code GetIsLastNotification}, {@code GetUrlInfo},
 * {@code IHttpFileInfo::GetModuleContextContainer}, {@code GetNamedContextContainer} and the child
 * requests of {@code ExecuteRequest}.
 */
class IisContextConformanceIT {

    private static final Set<RequestNotification> BEGIN = Set.of(RequestNotification.BEGIN_REQUEST);
    private static final Set<RequestNotification> SEND = Set.of(RequestNotification.SEND_RESPONSE);

    /** Answers every request in BEGIN_REQUEST with a text the function makes. */
    private static ModuleRegistration answering(BiFunction<HttpContext, ModuleId, String> body) {
        return module(BEGIN, id -> new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                c.response().writeEntityChunks(DataChunk.ofUtf8(body.apply(c, id)));
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // RQ_NOTIFICATION_PENDING from OnSendResponse
    // ---------------------------------------------------------------------------------------------

    /**
     * The IIS SDK's body rewriting in SEND_RESPONSE: the module returns PENDING, works off the event
     * loop, and rewrites the buffered body in its OnAsyncCompletion; the send waits for it, and the
     * SEND_RESPONSE modules after it see the rewritten body.
     */
    @Test
    void indicateCompletionFromSendResponseHoldsTheFinalSend() {
        List<String> after = new CopyOnWriteArrayList<>();
        ModuleRegistration rewriter = (version, info, server) -> {
            info.setRequestNotifications(
                    a -> new HttpModule() {
                        @Override
                        public RequestNotificationStatus onSendResponse(HttpContext c, SendResponseProvider p) {
                            c.server().blockingExecutor().execute(() -> {
                                sleep(300);
                                c.postCompletion(0);
                            });
                            return RequestNotificationStatus.PENDING;
                        }

                        @Override
                        public RequestNotificationStatus onAsyncCompletion(
                                HttpContext c,
                                RequestNotification n,
                                boolean post,
                                HttpEventProvider p,
                                CompletionInfo info) {
                            after.add("completion in " + n);
                            c.response().clearEntity();
                            c.response().writeEntityChunks(DataChunk.ofUtf8("rewritten"));
                            return RequestNotificationStatus.CONTINUE;
                        }
                    },
                    SEND,
                    Conformance.NONE);
            info.setPriorityForRequestNotification(SEND, Priority.LAST);
        };
        ModuleRegistration observer = (version, info, server) -> {
            info.setRequestNotifications(
                    a -> new HttpModule() {
                        @Override
                        public RequestNotificationStatus onSendResponse(HttpContext c, SendResponseProvider p) {
                            after.add("observer saw " + c.response().bufferedEntityLength() + " bytes");
                            return RequestNotificationStatus.CONTINUE;
                        }
                    },
                    SEND,
                    Conformance.NONE);
            info.setPriorityForRequestNotification(SEND, Priority.FIRST);
        };
        WeirTestConfig config = WeirTestConfig.create()
                .module("Page", answering((c, id) -> "original page"))
                .module("Rewriter", rewriter)
                .module("Observer", observer);
        try (WeirTestServer server = WeirTestServer.start(config)) {
            long started = System.nanoTime();
            RawHttp.Response r = get(server.port(), "/page");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("rewritten");
            assertThat(r.header("Content-Length")).contains("9");
            assertThat(millis).isGreaterThanOrEqualTo(300);
            assertThat(after).containsExactly("completion in SEND_RESPONSE", "observer saw 9 bytes");
        }
    }

    /**
     * A SEND_RESPONSE module that returns PENDING and never completes: the request ends with a 500
     * at the site's {@code limits@connectionTimeout} (1 s here, no system property), and the log
     * names the module, SEND_RESPONSE and the time.
     */
    @Test
    void indicateCompletionNeverCalledFromSendResponseEndsAtTheSitesConnectionTimeout() {
        assertThat(System.getProperty("weir.pendingDeadlineSeconds")).isNull();
        WeirTestConfig config = WeirTestConfig.create()
                .module("Page", answering((c, id) -> "page"))
                .module("Holder", module(SEND, id -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onSendResponse(HttpContext c, SendResponseProvider p) {
                        return RequestNotificationStatus.PENDING;
                    }
                }));

        try (Conformance.LogCapture log = new Conformance.LogCapture("io.weir.core.internal.pipeline.PendingDeadline");
                WeirTestServer server =
                        WeirTestServer.start(config.siteElement("<limits connectionTimeout=\"00:00:01\" />"))) {
            long started = System.nanoTime();
            RawHttp.Response r = get(server.port(), "/held");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(r.status()).isEqualTo(500);
            assertThat(millis).isBetween(900L, 10_000L);
            assertThat(log.messages()).anySatisfy(m -> assertThat(m)
                    .startsWith("module 'Holder' returned PENDING in SEND_RESPONSE and did not complete within ")
                    .contains("(the pending deadline is 1000 ms)")
                    .contains("the request ends with a 500"));
        }
    }

    /**
     * A SEND_RESPONSE module that holds a flush: returns PENDING for the flush's send (not the final
     * one), and completes through PostCompletion after 300 ms. On the flush's send, the subscriber
     * works on a blocking thread and its OnAsyncCompletion (for SEND_RESPONSE) upper-cases the
     * buffered body; for the final send it continues at once.
     */
    private static ModuleRegistration flushHolder(List<String> events) {
        return (version, info, server) -> info.setRequestNotifications(
                a -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onSendResponse(HttpContext c, SendResponseProvider p) {
                        if (p.isFinalSend()) {
                            events.add("holder saw the final send");
                            return RequestNotificationStatus.CONTINUE;
                        }
                        events.add("holder holds a flush of " + c.response().bufferedEntityLength() + " bytes");
                        c.server().blockingExecutor().execute(() -> {
                            sleep(300);
                            c.postCompletion(7);
                        });
                        return RequestNotificationStatus.PENDING;
                    }

                    @Override
                    public RequestNotificationStatus onAsyncCompletion(
                            HttpContext c,
                            RequestNotification n,
                            boolean post,
                            HttpEventProvider p,
                            CompletionInfo info) {
                        events.add("holder completed " + n + " with " + info.completionBytes());
                        StringBuilder body = new StringBuilder();
                        for (DataChunk chunk : c.response().entityChunks()) {
                            java.nio.ByteBuffer b =
                                    ((DataChunk.Memory) chunk).buffer().duplicate();
                            byte[] bytes = new byte[b.remaining()];
                            b.get(bytes);
                            body.append(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
                        }
                        c.response().clearEntity();
                        c.response()
                                .writeEntityChunks(
                                        DataChunk.ofUtf8(body.toString().toUpperCase()));
                        return RequestNotificationStatus.CONTINUE;
                    }
                },
                SEND,
                Conformance.NONE);
    }

    /**
     * {@code IHttpResponse::Flush(fAsync=TRUE)} whose SEND_RESPONSE a module holds with PENDING: the
     * flush is suspended until that module completes (its OnAsyncCompletion runs for SEND_RESPONSE
     * and may rewrite the data), then the data goes out, and only then does the writer get its own
     * OnAsyncCompletion with the bytes sent.
     */
    @Test
    void flushAsyncWaitsForAPendingSendResponseModule() {
        List<String> events = new CopyOnWriteArrayList<>();
        ModuleRegistration writer = module(BEGIN, id -> new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                c.response().writeEntityChunks(DataChunk.ofUtf8("first part, "));
                boolean pending = c.response().flush(true, true);
                events.add("writer's flush pending: " + pending);
                return pending ? RequestNotificationStatus.PENDING : RequestNotificationStatus.FINISH_REQUEST;
            }

            @Override
            public RequestNotificationStatus onAsyncCompletion(
                    HttpContext c, RequestNotification n, boolean post, HttpEventProvider p, CompletionInfo info) {
                events.add("writer completed " + n + " with " + info.completionBytes() + " bytes");
                c.response().writeEntityChunks(DataChunk.ofUtf8("second part"));
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        });
        WeirTestConfig config = WeirTestConfig.create().module("Writer", writer).module("Holder", flushHolder(events));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            long started = System.nanoTime();
            RawHttp.Response r = get(server.port(), "/flushed");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("FIRST PART, second part");
            assertThat(millis).isGreaterThanOrEqualTo(300);
            assertThat(events)
                    .containsExactly(
                            "holder holds a flush of 12 bytes",
                            "writer's flush pending: true",
                            "holder completed SEND_RESPONSE with 7",
                            "writer completed BEGIN_REQUEST with 12 bytes",
                            "holder saw the final send");
        }
    }

    /**
     * {@code IHttpResponse::Flush(fAsync=FALSE)} whose SEND_RESPONSE a module holds with PENDING. On
     * the event loop the flush cannot block: what the writer writes after it stays buffered behind
     * the held send, and the final send waits until the module completed and the flush went out.
     * On a blocking thread (a module declared blocking) the flush waits, as IIS's does.
     */
    @Test
    void flushSyncWaitsForAPendingSendResponseModule() {
        List<String> events = new CopyOnWriteArrayList<>();
        ModuleRegistration onLoop = module(BEGIN, id -> new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                if (!c.request().urlPath().equals("/loop")) {
                    return RequestNotificationStatus.CONTINUE;
                }
                c.response().writeEntityChunks(DataChunk.ofUtf8("flushed, "));
                c.response().flush(true);
                c.response().writeEntityChunks(DataChunk.ofUtf8("after"));
                events.add("loop writer returned");
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        });
        ModuleRegistration blocking = (version, info, server) -> {
            info.setRequestNotifications(
                    a -> new HttpModule() {
                        @Override
                        public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                            if (!c.request().urlPath().equals("/blocking")) {
                                return RequestNotificationStatus.CONTINUE;
                            }
                            c.response().writeEntityChunks(DataChunk.ofUtf8("flushed, "));
                            long started = System.nanoTime();
                            c.response().flush(true);
                            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                            events.add("blocking flush returned after the send: " + (waited >= 250) + ", headers sent: "
                                    + c.responseHeadersSent());
                            c.response().writeEntityChunks(DataChunk.ofUtf8("after"));
                            return RequestNotificationStatus.FINISH_REQUEST;
                        }
                    },
                    BEGIN,
                    Conformance.NONE);
            info.setBlocking(BEGIN);
        };
        WeirTestConfig config = WeirTestConfig.create()
                .module("OnLoop", onLoop)
                .module("Blocking", blocking)
                .module("Holder", flushHolder(events));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            for (String path : List.of("/loop", "/blocking")) {
                events.clear();
                long started = System.nanoTime();
                RawHttp.Response r = get(server.port(), path);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertThat(r.status()).isEqualTo(200);
                assertThat(millis).isGreaterThanOrEqualTo(300);
                if (path.equals("/loop")) {
                    // the data written after the flush joined the held send, which the module rewrote
                    assertThat(r.bodyText()).isEqualTo("FLUSHED, AFTER");
                    assertThat(events)
                            .containsExactly(
                                    "holder holds a flush of 9 bytes",
                                    "loop writer returned",
                                    "holder completed SEND_RESPONSE with 7",
                                    "holder saw the final send");
                } else {
                    assertThat(r.bodyText()).isEqualTo("FLUSHED, after");
                    assertThat(events)
                            .containsExactly(
                                    "holder holds a flush of 9 bytes",
                                    "holder completed SEND_RESPONSE with 7",
                                    "blocking flush returned after the send: true, headers sent: true",
                                    "holder saw the final send");
                }
            }
        }
    }

    /**
     * A SEND_RESPONSE module that holds a flush and never completes: the final send waits for the
     * flush until the site's {@code limits@connectionTimeout} (1 s), then the request ends with a
     * 500 (nothing went out yet) and the log names the module and SEND_RESPONSE.
     */
    @Test
    void flushHeldPastThePendingDeadlineEndsTheRequest() {
        WeirTestConfig config = WeirTestConfig.create()
                .module("Writer", module(BEGIN, id -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                        c.response().writeEntityChunks(DataChunk.ofUtf8("never sent"));
                        c.response().flush(true);
                        return RequestNotificationStatus.FINISH_REQUEST;
                    }
                }))
                .module("Holder", module(SEND, id -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onSendResponse(HttpContext c, SendResponseProvider p) {
                        return p.isFinalSend() ? RequestNotificationStatus.CONTINUE : RequestNotificationStatus.PENDING;
                    }
                }));
        try (Conformance.LogCapture log = new Conformance.LogCapture("io.weir.core.internal.pipeline.PendingDeadline");
                WeirTestServer server =
                        WeirTestServer.start(config.siteElement("<limits connectionTimeout=\"00:00:01\" />"))) {
            long started = System.nanoTime();
            RawHttp.Response r = get(server.port(), "/held-flush");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.bodyText()).doesNotContain("never sent");
            assertThat(millis).isBetween(900L, 10_000L);
            assertThat(log.messages()).anySatisfy(m -> assertThat(m)
                    .startsWith("module 'Holder' returned PENDING in SEND_RESPONSE and did not complete within "));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // GetNextNotification, GetIsLastNotification
    // ---------------------------------------------------------------------------------------------

    /** Registers AUTHORIZE_REQUEST (and its post) and RESOLVE_REQUEST_CACHE, merging them when it can. */
    private static final class Merger implements HttpModule {
        private final List<String> calls;

        Merger(List<String> calls) {
            this.calls = calls;
        }

        @Override
        public RequestNotificationStatus onAuthorizeRequest(HttpContext c, HttpEventProvider p) {
            calls.add("call AUTHORIZE_REQUEST");
            assertThat(c.nextNotification(RequestNotificationStatus.FINISH_REQUEST))
                    .isEmpty();
            Optional<NextNotification> next;
            RequestNotification now = RequestNotification.AUTHORIZE_REQUEST;
            while ((next = c.nextNotification(RequestNotificationStatus.CONTINUE)).isPresent()) {
                calls.add("merged " + (next.get().post() ? "POST_" : "")
                        + next.get().notification());
                now = next.get().notification();
            }
            // The call's result is the result of the notification it has moved on to.
            return now == RequestNotification.RESOLVE_REQUEST_CACHE
                    ? resolveRequestCacheWork(c)
                    : RequestNotificationStatus.CONTINUE;
        }

        @Override
        public RequestNotificationStatus onPostAuthorizeRequest(HttpContext c, HttpEventProvider p) {
            calls.add("call POST_AUTHORIZE_REQUEST");
            return RequestNotificationStatus.CONTINUE;
        }

        @Override
        public RequestNotificationStatus onResolveRequestCache(HttpContext c, HttpEventProvider p) {
            calls.add("call RESOLVE_REQUEST_CACHE");
            return resolveRequestCacheWork(c);
        }

        private static RequestNotificationStatus resolveRequestCacheWork(HttpContext c) {
            c.response().writeEntityChunks(DataChunk.ofUtf8("done"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
    }

    private static ModuleRegistration merger(List<String> calls) {
        return (version, info, server) -> info.setRequestNotifications(
                a -> new Merger(calls),
                Set.of(RequestNotification.AUTHORIZE_REQUEST, RequestNotification.RESOLVE_REQUEST_CACHE),
                Set.of(RequestNotification.AUTHORIZE_REQUEST));
    }

    /** With nothing else registered in between, the module's following notifications collapse into its first call. */
    @Test
    void getNextNotificationCollapsesTheFollowingNotificationsIntoOneCall() {
        List<String> calls = new CopyOnWriteArrayList<>();
        try (WeirTestServer server =
                WeirTestServer.start(WeirTestConfig.create().module("Merger", merger(calls)))) {
            assertThat(get(server.port(), "/m").bodyText()).isEqualTo("done");
            assertThat(calls)
                    .containsExactly(
                            "call AUTHORIZE_REQUEST", "merged POST_AUTHORIZE_REQUEST", "merged RESOLVE_REQUEST_CACHE");
        }
    }

    /**
     * Another module's POST_AUTHORIZE_REQUEST comes between: the call moves on to the module's own
     * post-notification, not past the other's, which still runs.
     */
    @Test
    void getNextNotificationStopsBeforeAnotherModulesNotification() {
        List<String> calls = new CopyOnWriteArrayList<>();
        ModuleRegistration other = (version, info, server) -> info.setRequestNotifications(
                a -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onPostAuthorizeRequest(HttpContext c, HttpEventProvider p) {
                        calls.add("other POST_AUTHORIZE_REQUEST");
                        return RequestNotificationStatus.CONTINUE;
                    }
                },
                Conformance.NONE,
                Set.of(RequestNotification.AUTHORIZE_REQUEST));
        WeirTestConfig config =
                WeirTestConfig.create().module("Merger", merger(calls)).module("Other", other);
        try (WeirTestServer server = WeirTestServer.start(config)) {
            assertThat(get(server.port(), "/m").bodyText()).isEqualTo("done");
            assertThat(calls)
                    .containsExactly(
                            "call AUTHORIZE_REQUEST",
                            "merged POST_AUTHORIZE_REQUEST",
                            "other POST_AUTHORIZE_REQUEST",
                            "call RESOLVE_REQUEST_CACHE");
        }
    }

    /**
     * Whether anything of the module is ahead depends on the status it would return and on what it
     * disabled: FINISH_REQUEST skips AUTHORIZE_REQUEST but not END_REQUEST.
     */
    @Test
    void getIsLastNotificationAnswersForTheStatusTheModuleWouldReturn() {
        List<String> answers = new CopyOnWriteArrayList<>();
        ModuleRegistration asker = (version, info, server) -> info.setRequestNotifications(
                a -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                        answers.add("begin continue " + c.isLastNotification(RequestNotificationStatus.CONTINUE));
                        answers.add("begin finish " + c.isLastNotification(RequestNotificationStatus.FINISH_REQUEST));
                        c.disableNotifications(Set.of(RequestNotification.END_REQUEST), Conformance.NONE);
                        answers.add("begin finish, END_REQUEST disabled "
                                + c.isLastNotification(RequestNotificationStatus.FINISH_REQUEST));
                        return RequestNotificationStatus.CONTINUE;
                    }

                    @Override
                    public RequestNotificationStatus onAuthorizeRequest(HttpContext c, HttpEventProvider p) {
                        answers.add("authorize continue " + c.isLastNotification(RequestNotificationStatus.CONTINUE));
                        c.response().writeEntityChunks(DataChunk.ofUtf8("ok"));
                        return RequestNotificationStatus.FINISH_REQUEST;
                    }
                },
                Set.of(
                        RequestNotification.BEGIN_REQUEST,
                        RequestNotification.AUTHORIZE_REQUEST,
                        RequestNotification.END_REQUEST),
                Conformance.NONE);
        try (WeirTestServer server =
                WeirTestServer.start(WeirTestConfig.create().module("Asker", asker))) {
            assertThat(get(server.port(), "/q").bodyText()).isEqualTo("ok");
            assertThat(answers)
                    .containsExactly(
                            "begin continue false",
                            "begin finish false",
                            "begin finish, END_REQUEST disabled true",
                            "authorize continue true");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // GetUrlInfo, IHttpFileInfo::GetModuleContextContainer, GetNamedContextContainer
    // ---------------------------------------------------------------------------------------------

    /** A stored context that counts its cleanups. */
    private record Counted(String name, AtomicInteger cleanups) implements StoredContext {
        @Override
        public void cleanupStoredContext() {
            cleanups.incrementAndGet();
        }
    }

    /** Reports what the container held for the module, then stores a context when it held nothing. */
    private static String visit(HttpModuleContextContainer container, ModuleId id, String name) {
        Optional<StoredContext> held = container.moduleContext(id);
        if (held.isEmpty()) {
            container.setModuleContext(new Counted(name, new AtomicInteger()), id);
            return "empty";
        }
        return ((Counted) held.get()).name();
    }

    /** The URL's entry is shared by the requests for the URL, and its hits make it frequent. */
    @Test
    void getUrlInfoSharesOneEntryPerUrl() {
        WeirTestConfig config = WeirTestConfig.create().module("UrlState", answering((c, id) -> {
            HttpUrlInfo url = c.urlInfo();
            return visit(url.moduleContextContainer(), id, c.request().urlPath()) + " frequent="
                    + url.isFrequentlyHit();
        }));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            assertThat(get(server.port(), "/a").bodyText()).isEqualTo("empty frequent=false");
            assertThat(get(server.port(), "/a").bodyText()).isEqualTo("/a frequent=true");
            assertThat(get(server.port(), "/b?x=1").bodyText()).isEqualTo("empty frequent=false");
            assertThat(get(server.port(), "/a?y").bodyText()).isEqualTo("/a frequent=true");
        }
    }

    /**
     * The file's cache entry carries its container: the requests that see the same unchanged file
     * share it; once the file changes the cache has a new entry (an empty container) and the old
     * entry's contexts are cleaned up.
     */
    @Test
    void getFileInfoModuleContextContainerLivesWithTheCachedFile(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("f.txt"), "one");
        List<Counted> stored = new CopyOnWriteArrayList<>();
        WeirTestConfig config = WeirTestConfig.create().siteRoot(root).module("FileState", answering((c, id) -> {
            HttpModuleContextContainer container = c.fileInfo().orElseThrow().moduleContextContainer();
            String seen =
                    visit(container, id, "size " + c.fileInfo().orElseThrow().size());
            container.moduleContext(id).map(Counted.class::cast).ifPresent(k -> {
                if (!stored.contains(k)) {
                    stored.add(k);
                }
            });
            return seen;
        }));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            assertThat(get(server.port(), "/f.txt").bodyText()).isEqualTo("empty");
            assertThat(get(server.port(), "/f.txt").bodyText()).isEqualTo("size 3");
            Files.writeString(root.resolve("f.txt"), "three");
            assertThat(get(server.port(), "/f.txt").bodyText()).isEqualTo("empty");
            assertThat(get(server.port(), "/f.txt").bodyText()).isEqualTo("size 5");
            assertThat(stored).hasSize(2);
            // the replaced entry leaves the file cache through its removal listener, which runs on
            // the cache's maintenance executor: the cleanup follows the request, not within it
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (stored.get(0).cleanups().get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(stored.get(0).cleanups().get()).isEqualTo(1);
            assertThat(stored.get(1).cleanups().get()).isZero();
        }
    }

    /** Modules that agree on a name share an object for the request; it is cleaned up when the request ends. */
    @Test
    void getNamedContextContainerSharesByNameAndCleansUpAtTheEnd() {
        AtomicInteger cleanups = new AtomicInteger();
        List<String> seen = new ArrayList<>();
        WeirTestConfig config = WeirTestConfig.create()
                .module("Producer", module(BEGIN, id -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                        c.namedContextContainer()
                                .setNamedContext(
                                        new Counted(
                                                "from producer " + c.request().urlPath(), cleanups),
                                        "shared");
                        return RequestNotificationStatus.CONTINUE;
                    }
                }))
                .module("Consumer", answering((c, id) -> {
                    String value = c.namedContextContainer()
                            .namedContext("shared")
                            .map(s -> ((Counted) s).name())
                            .orElse("nothing");
                    try {
                        c.namedContextContainer().setNamedContext(() -> {}, "shared");
                    } catch (IllegalStateException e) {
                        value += "; set again refused";
                    }
                    return value + "; other name: "
                            + c.namedContextContainer().namedContext("other").isPresent();
                }));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            seen.add(get(server.port(), "/one").bodyText());
            seen.add(get(server.port(), "/two").bodyText());
            assertThat(seen)
                    .containsExactly(
                            "from producer /one; set again refused; other name: false",
                            "from producer /two; set again refused; other name: false");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (cleanups.get() < 2 && System.nanoTime() < end) {
                sleep(10);
            }
            assertThat(cleanups.get()).isEqualTo(2);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // ExecuteRequest with CloneContext's flags; SetUrl after BEGIN_REQUEST
    // ---------------------------------------------------------------------------------------------

    /** Runs {@code /child} as a child of {@code /parent}, then reports what the parent's headers are afterwards. */
    private static ModuleRegistration parentOfChild() {
        return module(BEGIN, id -> new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                if (!c.request().urlPath().equals("/parent")) {
                    return RequestNotificationStatus.CONTINUE;
                }
                assertThat(c.executeRequest("/child", Set.of())).isFalse();
                c.response()
                        .writeEntityChunks(DataChunk.ofUtf8("; parent after: X-Shared="
                                + c.request().header("X-Shared").orElse("-") + " X-Child="
                                + c.request().header("X-Child").orElse("-")));
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        });
    }

    /** The child gets a copy of the parent's headers (CLONE_FLAG_HEADERS): what it changes stays in the child. */
    @Test
    void cloneContextHeadersGivesTheChildACopyThatNeverLeaksIntoTheParent() {
        WeirTestConfig config = WeirTestConfig.create()
                .module("Parent", parentOfChild())
                .module("Child", answering((c, id) -> {
                    String seen = "child saw X-Shared="
                            + c.request().header("X-Shared").orElse("-");
                    c.request().setHeader("X-Child", "1", true);
                    c.request().deleteHeader("X-Shared");
                    c.request().setHeader("X-Extra", "2", true);
                    return seen;
                }));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            RawHttp.Response r = RawHttp.exchange(
                    server.port(), "GET /parent HTTP/1.1\r\nHost: a\r\nX-Shared: yes\r\nConnection: close\r\n\r\n");
            assertThat(r.bodyText()).isEqualTo("child saw X-Shared=yes; parent after: X-Shared=yes X-Child=-");
        }
    }

    /**
     * With CLONE_FLAG_ENTITY the child reads the parent's request body; with BASICS alone it has the
     * verb and no entity; with no flag it is a GET without headers.
     */
    @Test
    void cloneContextEntityGivesTheChildTheParentsBody() {
        ModuleRegistration parent = module(BEGIN, id -> new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                Set<CloneFlag> clone =
                        switch (c.request().urlPath()) {
                            case "/entity" -> Set.of(CloneFlag.BASICS, CloneFlag.ENTITY);
                            case "/basics" -> Set.of(CloneFlag.BASICS);
                            case "/bare" -> Set.of();
                            default -> null;
                        };
                if (clone == null) {
                    return RequestNotificationStatus.CONTINUE;
                }
                return c.executeRequest("/child", Set.of(), clone, null)
                        ? RequestNotificationStatus.PENDING
                        : RequestNotificationStatus.FINISH_REQUEST;
            }

            @Override
            public RequestNotificationStatus onAsyncCompletion(
                    HttpContext c, RequestNotification n, boolean post, HttpEventProvider p, CompletionInfo info) {
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        });
        ModuleRegistration child = (version, info, server) -> {
            info.setRequestNotifications(
                    a -> new HttpModule() {
                        @Override
                        public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                            if (!c.request().urlPath().equals("/child")) {
                                return RequestNotificationStatus.CONTINUE;
                            }
                            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
                            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(64);
                            int n;
                            while ((n = c.request().readEntityBody(buffer)) >= 0) {
                                body.write(buffer.array(), 0, n);
                                buffer.clear();
                            }
                            c.response()
                                    .writeEntityChunks(
                                            DataChunk.ofUtf8(c.request().method() + " read '" + body + "' headers "
                                                    + c.request().headerNames().size()));
                            return RequestNotificationStatus.FINISH_REQUEST;
                        }
                    },
                    BEGIN,
                    Conformance.NONE);
            info.setBlocking(BEGIN);
        };
        WeirTestConfig config = WeirTestConfig.create().module("Parent", parent).module("Child", child);
        try (WeirTestServer server = WeirTestServer.start(config)) {
            for (String[] c : new String[][] {
                {"/entity", "POST read 'hello' headers "},
                {"/basics", "POST read '' headers "},
                {"/bare", "GET read '' headers 0"}
            }) {
                RawHttp.Response r = RawHttp.exchange(
                        server.port(),
                        "POST " + c[0] + " HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
                assertThat(r.status()).as(c[0]).isEqualTo(200);
                assertThat(r.bodyText()).as(c[0]).startsWith(c[1]);
            }
        }
    }

    /**
     * IIS requires SetUrl in the pipeline's first event (later its behaviour is undefined): Weir
     * refuses it after BEGIN_REQUEST with an exception naming the module and the notification.
     */
    @Test
    void setUrlAfterBeginRequestIsRefusedNamingTheModule() {
        WeirTestConfig config = WeirTestConfig.create()
                .module("Late", module(Set.of(RequestNotification.AUTHORIZE_REQUEST), id -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onAuthorizeRequest(HttpContext c, HttpEventProvider p) {
                        String outcome;
                        try {
                            c.request().setUrl("/elsewhere", false);
                            outcome = "accepted";
                        } catch (IllegalStateException e) {
                            outcome = e.getMessage();
                        }
                        c.response()
                                .writeEntityChunks(DataChunk.ofUtf8(
                                        outcome + " url=" + c.request().urlPath()));
                        return RequestNotificationStatus.FINISH_REQUEST;
                    }
                }));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            assertThat(get(server.port(), "/first").bodyText())
                    .contains("module 'Late' called it in AUTHORIZE_REQUEST")
                    .contains("executeRequest")
                    .endsWith(" url=/first");
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
