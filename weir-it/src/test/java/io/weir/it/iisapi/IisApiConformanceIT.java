package io.weir.it.iisapi;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.weir.api.HttpModule;
import io.weir.api.ModuleRegistration;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.MapPathProvider;
import io.weir.api.provider.ReadEntityProvider;
import io.weir.api.provider.SendResponseProvider;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestConfig;
import io.weir.testkit.WeirTestServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * IIS's native module API, checked method by method over loopback against a real server: each test
 * is named after the IIS method whose documented behaviour it checks ({@code IHttpResponse::
 * WriteEntityChunks}, {@code IHttpRequest::ReadEntityBody}, …). The modules are registered as
 * lambdas through {@link WeirTestConfig}; each answers only the request paths its test sends.
 */
class IisApiConformanceIT {

    private static final Set<RequestNotification> NONE = Set.of();
    private static final Set<RequestNotification> EXECUTE = Set.of(RequestNotification.EXECUTE_REQUEST_HANDLER);

    /** A registration of one module instance per request, for the given notifications. */
    private static ModuleRegistration module(
            Set<RequestNotification> notifications, Function<Void, HttpModule> create) {
        return (version, info, server) -> info.setRequestNotifications(a -> create.apply(null), notifications, NONE);
    }

    private static WeirTestServer start(WeirTestConfig config) {
        return WeirTestServer.start(config);
    }

    // ---------------------------------------------------------------------------------------------
    // 1. IHttpResponse::WriteEntityChunks copies buffered data; responseBufferLimit flushes
    // ---------------------------------------------------------------------------------------------

    /** A module writes one array three times, refilled in between: IIS copies buffered chunks, so all three go out. */
    @Test
    void writeEntityChunksCopiesBufferedMemoryChunks() {
        WeirTestConfig config = WeirTestConfig.create().module("Refill", module(EXECUTE, v -> new HttpModule() {
            @Override
            public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
                byte[] reused = new byte[4];
                for (char ch : new char[] {'A', 'B', 'C'}) {
                    Arrays.fill(reused, (byte) ch);
                    c.response().writeEntityChunks(DataChunk.ofBytes(reused));
                }
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        }));
        try (WeirTestServer server = start(config)) {
            RawHttp.Response r =
                    RawHttp.exchange(server.port(), "GET /refill HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("AAAABBBBCCCC");
            assertThat(r.header("Content-Length")).contains("12");
        }
    }

    /**
     * 100 MiB written in 1 MiB pieces: past the mapping's responseBufferLimit (IIS's default 4 MiB)
     * the buffer is flushed, each flush raising SEND_RESPONSE; the response is chunked and never
     * more than the limit plus one write is buffered.
     */
    @Test
    void writeEntityChunksFlushesPastResponseBufferLimitRaisingSendResponsePerFlush() throws Exception {
        int piece = 1 << 20;
        int pieces = 100;
        AtomicInteger sends = new AtomicInteger();
        AtomicLong largestSend = new AtomicLong();
        WeirTestConfig config = WeirTestConfig.create()
                .module("Generator", module(EXECUTE, v -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
                        byte[] bytes = new byte[piece];
                        for (int i = 0; i < pieces; i++) {
                            Arrays.fill(bytes, (byte) ('a' + i % 26));
                            c.response().writeEntityChunks(DataChunk.ofBytes(bytes));
                        }
                        return RequestNotificationStatus.FINISH_REQUEST;
                    }
                }))
                .module("SendCounter", module(Set.of(RequestNotification.SEND_RESPONSE), v -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onSendResponse(HttpContext c, SendResponseProvider p) {
                        sends.incrementAndGet();
                        largestSend.accumulateAndGet(c.response().bufferedEntityLength(), Math::max);
                        return RequestNotificationStatus.CONTINUE;
                    }
                }));
        try (WeirTestServer server = start(config);
                Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream()
                    .write("GET /big HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes();
            String head = new String(all, 0, Math.min(all.length, 300), StandardCharsets.ISO_8859_1);
            assertThat(head)
                    .startsWith("HTTP/1.1 200")
                    .containsIgnoringCase("transfer-encoding: chunked")
                    .doesNotContainIgnoringCase("content-length");
            assertThat(all.length).isGreaterThan(pieces * piece);
            // 5 MiB buffered (the limit exceeded) per flush: 20 flushes, then the final send.
            assertThat(sends.get()).isEqualTo(21);
            assertThat(largestSend.get()).isLessThanOrEqualTo(4L * piece + piece);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 2. IHttpResponse::WriteEntityChunks / Flush with fAsync = TRUE
    // ---------------------------------------------------------------------------------------------

    /** Writes {@code pieces} pieces of 256 KiB asynchronously, the next from each onAsyncCompletion. */
    private static final class AsyncWriter implements HttpModule {
        static final int PIECE = 256 * 1024;
        private final int pieces;
        private final AtomicInteger completions;
        private final AtomicLong completedBytes;
        private final byte[] buffer = new byte[PIECE];
        private int written;

        AsyncWriter(int pieces, AtomicInteger completions, AtomicLong completedBytes) {
            this.pieces = pieces;
            this.completions = completions;
            this.completedBytes = completedBytes;
        }

        @Override
        public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
            c.response().setHeader("Content-Type", "application/octet-stream", true);
            return next(c);
        }

        private RequestNotificationStatus next(HttpContext c) {
            if (written == pieces) {
                return c.response().flush(true, false)
                        ? RequestNotificationStatus.PENDING
                        : RequestNotificationStatus.FINISH_REQUEST;
            }
            Arrays.fill(buffer, (byte) ('a' + written % 26));
            written++;
            boolean pending = c.response().writeEntityChunks(true, true, DataChunk.ofBytes(buffer));
            assertThat(pending).isTrue();
            return RequestNotificationStatus.PENDING;
        }

        @Override
        public RequestNotificationStatus onAsyncCompletion(
                HttpContext c, RequestNotification n, boolean post, HttpEventProvider p, CompletionInfo info) {
            completions.incrementAndGet();
            completedBytes.addAndGet(info.completionBytes());
            if (written == pieces && c.response().headersSent() && completions.get() > pieces) {
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            return next(c);
        }
    }

    /**
     * Asynchronous writes complete when the client has taken the bytes: while the client does not
     * read, completions stop (back-pressure from the socket); once it reads, every piece arrives
     * intact (the buffer, refilled after each completion, is never sent changed).
     */
    @Test
    void writeEntityChunksAsyncCompletesWhenTheSocketTookTheBytes() throws Exception {
        int pieces = 200; // 50 MiB
        AtomicInteger completions = new AtomicInteger();
        AtomicLong completedBytes = new AtomicLong();
        WeirTestConfig config = WeirTestConfig.create()
                .module("AsyncWriter", module(EXECUTE, v -> new AsyncWriter(pieces, completions, completedBytes)));
        try (WeirTestServer server = start(config);
                Socket s = new Socket("127.0.0.1", server.port())) {
            s.setReceiveBufferSize(64 * 1024);
            s.getOutputStream()
                    .write("GET /stream HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(700);
            int whileNotReading = completions.get();
            // Loopback socket buffers take a few MiB at most: far from the 50 MiB the module would write.
            assertThat((long) whileNotReading * AsyncWriter.PIECE).isLessThan(16L << 20);
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int bodyStart = text.indexOf("\r\n\r\n") + 4;
            assertThat(text).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            String body = dechunk(text.substring(bodyStart));
            assertThat(body).hasSize(pieces * AsyncWriter.PIECE);
            for (int i = 0; i < pieces; i++) {
                char expected = (char) ('a' + i % 26);
                assertThat(body.charAt(i * AsyncWriter.PIECE)).isEqualTo(expected);
                assertThat(body.charAt((i + 1) * AsyncWriter.PIECE - 1)).isEqualTo(expected);
            }
            assertThat(completions.get()).isEqualTo(pieces + 1);
            assertThat(completedBytes.get()).isEqualTo((long) pieces * AsyncWriter.PIECE);
        }
    }

    static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder(chunked.length());
        int i = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 3. IHttpRequest::ReadEntityBody with fAsync = FALSE
    // ---------------------------------------------------------------------------------------------

    /**
     * An IIS-style synchronous read loop on a blocking thread waits for the data: a 300 KB body sent
     * in three parts 200 ms apart takes a handful of reads, not hundreds of thousands of zero-byte ones.
     */
    @Test
    void readEntityBodySyncWaitsForDataOnABlockingThread() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        ModuleRegistration reg = (version, info, server) -> {
            info.setRequestNotifications(
                    a -> new HttpModule() {
                        @Override
                        public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
                            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                            long total = 0;
                            int n;
                            while ((n = c.request().readEntityBody(buffer)) >= 0) {
                                reads.incrementAndGet();
                                total += n;
                                buffer.clear();
                            }
                            c.response().writeEntityChunks(DataChunk.ofUtf8("read " + total + " in " + reads.get()));
                            return RequestNotificationStatus.FINISH_REQUEST;
                        }
                    },
                    EXECUTE,
                    NONE);
            info.setBlocking(EXECUTE);
        };
        try (WeirTestServer server = start(WeirTestConfig.create().module("SyncReader", reg));
                RawHttp http = RawHttp.connect(server.port())) {
            int part = 100_000;
            http.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + 3 * part + "\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                http.send("x".repeat(part));
                Thread.sleep(200);
            }
            RawHttp.Response r = http.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).startsWith("read 300000 in ");
            assertThat(reads.get()).isBetween(3, 100);
        }
    }

    /** On the event loop a synchronous read that would wait throws, and says to use the asynchronous form. */
    @Test
    void readEntityBodySyncThatWouldWaitOnTheEventLoopThrows() throws Exception {
        WeirTestConfig config = WeirTestConfig.create().module("LoopReader", module(EXECUTE, v -> new HttpModule() {
            @Override
            public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
                try {
                    c.request().readEntityBody(ByteBuffer.allocate(100));
                    c.response().writeEntityChunks(DataChunk.ofUtf8("no exception"));
                } catch (IllegalStateException e) {
                    c.response().writeEntityChunks(DataChunk.ofUtf8(e.getMessage()));
                }
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        }));
        try (WeirTestServer server = start(config);
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nConnection: close\r\n\r\n");
            RawHttp.Response r = http.readResponse();
            assertThat(r.bodyText()).contains("readEntityBody(buffer, true)");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 8. CHttpModule::OnReadEntity / OnMapPath / OnSendResponse results; SetErrorStatus
    // ---------------------------------------------------------------------------------------------

    /** An exception in OnReadEntity fails the reader's read with it and gives the request a 500. */
    @Test
    void onReadEntityExceptionFailsTheReadAndTheRequest() {
        AtomicInteger handlerSawFailure = new AtomicInteger();
        WeirTestConfig config = WeirTestConfig.create()
                .module("Reader", module(EXECUTE, v -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
                        try {
                            if (c.request().readEntityBody(ByteBuffer.allocate(100), true)
                                    == HttpRequest.READ_PENDING) {
                                return RequestNotificationStatus.PENDING;
                            }
                        } catch (RuntimeException e) {
                            handlerSawFailure.incrementAndGet();
                        }
                        c.response().writeEntityChunks(DataChunk.ofUtf8("handler went on"));
                        return RequestNotificationStatus.CONTINUE;
                    }

                    @Override
                    public RequestNotificationStatus onAsyncCompletion(
                            HttpContext c,
                            RequestNotification n,
                            boolean post,
                            HttpEventProvider p,
                            CompletionInfo info) {
                        info.error().ifPresent(e -> handlerSawFailure.incrementAndGet());
                        c.response().writeEntityChunks(DataChunk.ofUtf8("handler went on"));
                        return RequestNotificationStatus.CONTINUE;
                    }
                }))
                .module("Inspector", module(Set.of(RequestNotification.READ_ENTITY), v -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onReadEntity(HttpContext c, ReadEntityProvider p) {
                        throw new IllegalStateException("inspector refuses");
                    }
                }));
        try (WeirTestServer server = start(config)) {
            RawHttp.Response r = RawHttp.exchange(
                    server.port(),
                    "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
            assertThat(r.status()).isEqualTo(500);
            assertThat(handlerSawFailure.get()).isEqualTo(1);
        }
    }

    /** FINISH_REQUEST from OnMapPath finishes the request once the calling notification returns; later stages are skipped. */
    @Test
    void onMapPathFinishRequestFinishesTheRequest() {
        AtomicInteger laterStages = new AtomicInteger();
        WeirTestConfig config = WeirTestConfig.create()
                .module(
                        "Mapper",
                        module(
                                Set.of(RequestNotification.BEGIN_REQUEST, RequestNotification.EXECUTE_REQUEST_HANDLER),
                                v -> new HttpModule() {
                                    @Override
                                    public RequestNotificationStatus onBeginRequest(
                                            HttpContext c, HttpEventProvider p) {
                                        c.mapPath("/private/data.txt");
                                        return RequestNotificationStatus.CONTINUE;
                                    }

                                    @Override
                                    public RequestNotificationStatus onExecuteRequestHandler(
                                            HttpContext c, HttpEventProvider p) {
                                        laterStages.incrementAndGet();
                                        return RequestNotificationStatus.CONTINUE;
                                    }
                                }))
                .module("Guard", module(Set.of(RequestNotification.MAP_PATH), v -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onMapPath(HttpContext c, MapPathProvider p) {
                        if (p.url().startsWith("/private/")) {
                            c.response().setStatus(new HttpStatus(403, 0, "Forbidden"));
                            c.response().writeEntityChunks(DataChunk.ofUtf8("no mapping for " + p.url()));
                            return RequestNotificationStatus.FINISH_REQUEST;
                        }
                        return RequestNotificationStatus.CONTINUE;
                    }
                }));
        try (WeirTestServer server = start(config)) {
            RawHttp.Response r =
                    RawHttp.exchange(server.port(), "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.bodyText()).isEqualTo("no mapping for /private/data.txt");
            assertThat(laterStages.get()).isZero();
        }
    }

    /** An exception in OnSendResponse for a later send (headers already out) drops the connection instead of going on. */
    @Test
    void onSendResponseExceptionAfterTheHeadersDropsTheConnection() throws Exception {
        WeirTestConfig config = WeirTestConfig.create()
                .module("Flusher", module(EXECUTE, v -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
                        c.response().writeEntityChunks(DataChunk.ofUtf8("first part;"));
                        c.response().flush(true);
                        c.response().writeEntityChunks(DataChunk.ofUtf8("second part;"));
                        c.response().flush(true);
                        c.response().writeEntityChunks(DataChunk.ofUtf8("third part"));
                        return RequestNotificationStatus.CONTINUE;
                    }
                }))
                .module("Breaker", module(Set.of(RequestNotification.SEND_RESPONSE), v -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onSendResponse(HttpContext c, SendResponseProvider p) {
                        if (!p.headersBeingSent()) {
                            throw new IllegalStateException("breaker");
                        }
                        return RequestNotificationStatus.CONTINUE;
                    }
                }));
        try (WeirTestServer server = start(config);
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            String seen = new String(http.readUntilClose(), StandardCharsets.ISO_8859_1);
            assertThat(seen)
                    .startsWith("HTTP/1.1 200")
                    .contains("first part;")
                    .doesNotContain("second part;")
                    .doesNotContain("third part")
                    .doesNotEndWith("0\r\n\r\n");
        }
    }

    /** SetErrorStatus works from the providers of SEND_RESPONSE and MAP_PATH: the error is recorded with the status. */
    @Test
    void setErrorStatusFromEveryProviderRecordsTheError() {
        List<String> recorded = new CopyOnWriteArrayList<>();
        WeirTestConfig config = WeirTestConfig.create()
                .module(
                        "Failing",
                        module(
                                Set.of(RequestNotification.BEGIN_REQUEST, RequestNotification.LOG_REQUEST),
                                v -> new HttpModule() {
                                    @Override
                                    public RequestNotificationStatus onBeginRequest(
                                            HttpContext c, HttpEventProvider p) {
                                        c.response().setStatus(new HttpStatus(503, 0, "Service Unavailable"));
                                        if (c.request().urlPath().equals("/map")) {
                                            c.mapPath("/map");
                                        }
                                        return RequestNotificationStatus.FINISH_REQUEST;
                                    }

                                    @Override
                                    public RequestNotificationStatus onLogRequest(HttpContext c, HttpEventProvider p) {
                                        recorded.add(c.request().urlPath() + "="
                                                + c.response()
                                                        .statusError()
                                                        .map(Throwable::getMessage)
                                                        .orElse("none"));
                                        return RequestNotificationStatus.CONTINUE;
                                    }
                                }))
                .module(
                        "Reporter",
                        module(
                                Set.of(RequestNotification.SEND_RESPONSE, RequestNotification.MAP_PATH),
                                v -> new HttpModule() {
                                    @Override
                                    public RequestNotificationStatus onSendResponse(
                                            HttpContext c, SendResponseProvider p) {
                                        if (c.request().urlPath().equals("/send")) {
                                            p.setErrorStatus(new IllegalStateException("from SEND_RESPONSE"));
                                        }
                                        return RequestNotificationStatus.CONTINUE;
                                    }

                                    @Override
                                    public RequestNotificationStatus onMapPath(HttpContext c, MapPathProvider p) {
                                        p.setErrorStatus(new IllegalStateException("from MAP_PATH"));
                                        return RequestNotificationStatus.CONTINUE;
                                    }
                                }));
        try (WeirTestServer server = start(config)) {
            assertThat(RawHttp.exchange(server.port(), "GET /send HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                            .status())
                    .isEqualTo(503);
            assertThat(RawHttp.exchange(server.port(), "GET /map HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                            .status())
                    .isEqualTo(503);
            awaitSize(recorded, 2);
            assertThat(recorded).containsExactlyInAnyOrder("/send=from SEND_RESPONSE", "/map=from MAP_PATH");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 9. IHttpModuleRegistrationInfo::SetRequestNotifications checks; IHttpRequest::SetUrl and URL
    // ---------------------------------------------------------------------------------------------

    /** A module registering a notification its class does not override gets a warning naming both. */
    @Test
    void setRequestNotificationsWarnsOfAMethodNotOverridden() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.weir.core.internal.module.NotificationOverrides");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            WeirTestConfig config = WeirTestConfig.create()
                    .module(
                            "Forgetful",
                            module(
                                    Set.of(
                                            RequestNotification.BEGIN_REQUEST,
                                            RequestNotification.EXECUTE_REQUEST_HANDLER),
                                    v -> new ForgetfulModule()));
            try (WeirTestServer server = start(config)) {
                assertThat(RawHttp.exchange(server.port(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                                .bodyText())
                        .isEqualTo("handled");
                RawHttp.exchange(server.port(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            }
            List<String> warnings;
            synchronized (log) {
                warnings = log.list.stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .toList();
            }
            assertThat(warnings)
                    .containsExactly("module 'Forgetful' registered BEGIN_REQUEST but its class "
                            + ForgetfulModule.class.getName()
                            + " does not override onBeginRequest(): the registration has no effect");
        } finally {
            logger.detachAppender(log);
        }
    }

    /** Registers BEGIN_REQUEST but overrides only the handler method. */
    static final class ForgetfulModule implements HttpModule {
        @Override
        public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
            c.response().writeEntityChunks(DataChunk.ofUtf8("handled"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
    }

    /** After SetUrl, UNENCODED_URL and HTTP_URL keep the client's target; URL and SCRIPT_NAME follow the rewrite, as URL Rewrite relies on. */
    @Test
    void setUrlKeepsTheClientsTargetInUnencodedUrl() {
        WeirTestConfig config = WeirTestConfig.create()
                .module(
                        "Rewriter",
                        module(
                                Set.of(RequestNotification.BEGIN_REQUEST, RequestNotification.EXECUTE_REQUEST_HANDLER),
                                v -> new HttpModule() {
                                    @Override
                                    public RequestNotificationStatus onBeginRequest(
                                            HttpContext c, HttpEventProvider p) {
                                        c.request().setUrl("/rewritten/page", false);
                                        return RequestNotificationStatus.CONTINUE;
                                    }

                                    @Override
                                    public RequestNotificationStatus onExecuteRequestHandler(
                                            HttpContext c, HttpEventProvider p) {
                                        c.response()
                                                .writeEntityChunks(DataChunk.ofUtf8(String.join(
                                                        "|",
                                                        c.serverVariable("URL").orElse("?"),
                                                        c.serverVariable("SCRIPT_NAME")
                                                                .orElse("?"),
                                                        c.serverVariable("UNENCODED_URL")
                                                                .orElse("?"),
                                                        c.serverVariable("HTTP_URL")
                                                                .orElse("?"),
                                                        Boolean.toString(
                                                                c.request().urlChanged()))));
                                        return RequestNotificationStatus.FINISH_REQUEST;
                                    }
                                }));
        try (WeirTestServer server = start(config)) {
            RawHttp.Response r = RawHttp.exchange(
                    server.port(), "GET /orig%20inal?q=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(r.bodyText())
                    .isEqualTo("/rewritten/page|/rewritten/page|/orig%20inal?q=1|/orig%20inal?q=1|true");
        }
    }

    /**
     * A mapping with {@code allowPathInfo} matched {@code /app/run.greet/extra/x}: IIS's
     * {@code SCRIPT_NAME} and {@code PATH_INFO} split there, {@code PATH_TRANSLATED} maps the path
     * information, and {@code GetPhysicalPath} is the script's; a mapping without it gives the
     * whole URL in both, as IIS does.
     */
    @Test
    void getServerVariableSplitsScriptNameAndPathInfoForAMappingWithAllowPathInfo() {
        HttpModule reporter = new HttpModule() {
            @Override
            public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
                c.response()
                        .writeEntityChunks(DataChunk.ofUtf8(String.join(
                                "|",
                                c.serverVariable("SCRIPT_NAME").orElse("?"),
                                c.serverVariable("PATH_INFO").orElse("?"),
                                c.serverVariable("PATH_TRANSLATED").orElse("?"),
                                c.scriptName(),
                                c.pathInfo(),
                                c.physicalPath().toString(),
                                c.mapPath("/").toString())));
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        };
        WeirTestConfig config = WeirTestConfig.create()
                .module("Reporter", module(EXECUTE, v -> reporter))
                .handler("Split", "*.greet", "GET", "Reporter", true)
                .handler("Whole", "*.whole", "GET", "Reporter", false);
        try (WeirTestServer server = start(config)) {
            RawHttp.Response split = RawHttp.exchange(
                    server.port(), "GET /app/run.greet/extra/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            String[] v = split.bodyText().split("\\|");
            Path root = Path.of(v[6]);
            assertThat(v[0]).isEqualTo("/app/run.greet");
            assertThat(v[1]).isEqualTo("/extra/x");
            assertThat(Path.of(v[2])).isEqualTo(root.resolve("extra/x"));
            assertThat(v[3]).isEqualTo("/app/run.greet");
            assertThat(v[4]).isEqualTo("/extra/x");
            assertThat(Path.of(v[5])).isEqualTo(root.resolve("app/run.greet"));

            RawHttp.Response whole = RawHttp.exchange(
                    server.port(), "GET /app/run.whole HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            String[] w = whole.bodyText().split("\\|");
            assertThat(w[0]).isEqualTo("/app/run.whole");
            assertThat(w[1]).isEqualTo("/app/run.whole");
            assertThat(w[4]).isEmpty();
            assertThat(Path.of(w[5])).isEqualTo(root.resolve("app/run.whole"));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 4. RQ_NOTIFICATION_PENDING that never completes
    // ---------------------------------------------------------------------------------------------

    /**
     * A module returns PENDING and never calls IndicateCompletion: past the pending deadline the
     * request ends with a 500 whose logged cause names the module, its notification and the time.
     */
    @Test
    void indicateCompletionNeverCalledEndsTheRequestAtThePendingDeadline() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.weir.core.internal.pipeline.PendingDeadline");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        String previous = System.getProperty("weir.pendingDeadlineSeconds");
        System.setProperty("weir.pendingDeadlineSeconds", "1");
        try {
            WeirTestConfig config = WeirTestConfig.create().module("Stuck", module(EXECUTE, v -> new HttpModule() {
                @Override
                public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
                    return RequestNotificationStatus.PENDING;
                }
            }));
            try (WeirTestServer server = start(config)) {
                long started = System.nanoTime();
                RawHttp.Response r =
                        RawHttp.exchange(server.port(), "GET /stuck HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertThat(r.status()).isEqualTo(500);
                assertThat(millis).isBetween(900L, 10_000L);
            }
            List<String> errors;
            synchronized (log) {
                errors = log.list.stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .toList();
            }
            assertThat(errors).anySatisfy(e -> assertThat(e)
                    .startsWith(
                            "module 'Stuck' returned PENDING in EXECUTE_REQUEST_HANDLER and did not complete within ")
                    .contains("the request ends with a 500"));
        } finally {
            if (previous == null) {
                System.clearProperty("weir.pendingDeadlineSeconds");
            } else {
                System.setProperty("weir.pendingDeadlineSeconds", previous);
            }
            logger.detachAppender(log);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 6. IHttpContext::DisableNotifications from non-deterministic notifications
    // ---------------------------------------------------------------------------------------------

    /**
     * Called from OnSendResponse, DisableNotifications turns off the calling module's later
     * SEND_RESPONSE and LOG_REQUEST, and not another module's.
     */
    @Test
    void disableNotificationsFromSendResponseActsOnTheCallingModule() {
        AtomicInteger onceSends = new AtomicInteger();
        AtomicInteger onceLogs = new AtomicInteger();
        AtomicInteger otherSends = new AtomicInteger();
        WeirTestConfig config = WeirTestConfig.create()
                .module("Flusher", module(EXECUTE, v -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
                        for (int i = 0; i < 3; i++) {
                            c.response().writeEntityChunks(DataChunk.ofUtf8("part " + i + ";"));
                            c.response().flush(true);
                        }
                        return RequestNotificationStatus.FINISH_REQUEST;
                    }
                }))
                .module(
                        "Once",
                        module(
                                Set.of(RequestNotification.SEND_RESPONSE, RequestNotification.LOG_REQUEST),
                                v -> new HttpModule() {
                                    @Override
                                    public RequestNotificationStatus onSendResponse(
                                            HttpContext c, SendResponseProvider p) {
                                        onceSends.incrementAndGet();
                                        c.disableNotifications(
                                                Set.of(
                                                        RequestNotification.SEND_RESPONSE,
                                                        RequestNotification.LOG_REQUEST),
                                                NONE);
                                        return RequestNotificationStatus.CONTINUE;
                                    }

                                    @Override
                                    public RequestNotificationStatus onLogRequest(HttpContext c, HttpEventProvider p) {
                                        onceLogs.incrementAndGet();
                                        return RequestNotificationStatus.CONTINUE;
                                    }
                                }))
                .module("Other", module(Set.of(RequestNotification.SEND_RESPONSE), v -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onSendResponse(HttpContext c, SendResponseProvider p) {
                        otherSends.incrementAndGet();
                        return RequestNotificationStatus.CONTINUE;
                    }
                }));
        try (WeirTestServer server = start(config)) {
            RawHttp.Response r =
                    RawHttp.exchange(server.port(), "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(r.bodyText()).isEqualTo("part 0;part 1;part 2;");
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (otherSends.get() < 4 && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            assertThat(otherSends.get()).isEqualTo(4);
            assertThat(onceSends.get()).isEqualTo(1);
            assertThat(onceLogs.get()).isZero();
        }
    }

    static void awaitSize(List<?> list, int size) {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (list.size() < size && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
