package io.weir.it.requestmodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request entity, streamed: {@code IHttpRequest::ReadEntityBody} synchronous and
 * asynchronous, RQ_READ_ENTITY on every read, {@code GetRemainingEntityBytes}, back-pressure, and
 * {@code requestLimits@maxAllowedContentLength} per URL, over loopback against a real server.
 * References: docs/reference/native-module-model.md, ("Stages" RQ_READ_ENTITY "each ReadEntityBody call,
 * even when no body remains"; "Statuses" PENDING and OnAsyncCompletion; IHttpRequest ReadEntityBody /
 * GetRemainingEntityBytes) and docs/reference/http-hardening.md (R-UPLOAD: "chunked cut off at the
 * limit; unread body drained or connection closed; no full buffering in memory"; 404.13 / 413.1).
 */
class RequestEntityIT {

    /** The transport's bound on unread body bytes (64 KiB) plus at most one socket read; far under 50 MB. */
    static final long HIGH_WATER_BOUND = 2L * 1024 * 1024;

    @TempDir
    Path root;

    WeirTestServer start(long maxAllowedContentLength) {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("RequestFilteringModule", "io.weir.modules.requestfiltering.RequestFilteringModuleRegistration");
        modules.put("EntityHandler", "EntityModules$Handler$Registration");
        modules.put("EntityCounter", "EntityModules$Counter$Registration");
        String limits = "<security><requestFiltering><requestLimits maxAllowedContentLength=\""
                + maxAllowedContentLength + "\" /></requestFiltering></security>";
        return WeirTestServer.start(
                RequestModelIT.config(modules, "EntityHandler", "", limits), Map.of("ROOT", root.toString()));
    }

    static String post(String path, String id, String framing) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nX-Test-Id: " + id + "\r\n" + framing + "\r\n";
    }

    static Map<String, String> fields(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : body.split(";")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    static int count(Map<String, AtomicInteger> map, String id) {
        AtomicInteger n = map.get(id);
        return n == null ? 0 : n.get();
    }

    /**
     * R-UPLOAD "no full buffering in memory": 50 MB streamed through a module that reads
     * asynchronously and counts; it sees many chunks, and the bytes the transport held unread never
     * exceed the back-pressure bound. RQ_READ_ENTITY fires once per completed read.
     */
    @Test
    void fiftyMegabytesAreStreamedThroughACountingModule() {
        long total = 50_000_000L;
        try (WeirTestServer server = start(60_000_000L);
                RawHttp http = RawHttp.connect(server.port())) {
            http.timeout(Duration.ofSeconds(60));
            http.send(post("/async", "big", "Content-Length: " + total + "\r\n"));
            byte[] block = new byte[64 * 1024];
            Arrays.fill(block, (byte) 'x');
            for (long sent = 0; sent < total; sent += block.length) {
                http.send(sent + block.length <= total ? block : Arrays.copyOf(block, (int) (total - sent)));
            }
            RawHttp.Response r = http.readResponse();
            assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
            Map<String, String> f = fields(r.bodyText());
            assertThat(Long.parseLong(f.get("bytes"))).isEqualTo(total);
            assertThat(Integer.parseInt(f.get("chunks"))).isGreaterThanOrEqualTo((int) (total / (16 * 1024)));
            assertThat(f.get("loop")).isEqualTo("true");
            assertThat(f.get("remaining")).isEqualTo("0");
            assertThat(Integer.parseInt(f.get("reads"))).isEqualTo(count(EntityModules.READ_ENTITY, "big"));
            System.out.println("50 MB upload: " + f + ", transport high-water mark "
                    + server.server().requestEntityHighWaterBytes() + " bytes");
            assertThat(server.server().requestEntityHighWaterBytes())
                    .isPositive()
                    .isLessThan(HIGH_WATER_BOUND);
        }
    }

    /**
     * "Statuses" / ReadEntityBody(fAsync=TRUE): a slow client sends the body in pieces; the handler's
     * asynchronous reads go PENDING and resume through onAsyncCompletion on the request's event loop.
     */
    @Test
    void asyncReadsOfASlowClientResumeOnTheEventLoop() throws Exception {
        try (WeirTestServer server = start(30_000_000L);
                RawHttp http = RawHttp.connect(server.port())) {
            http.send(post("/async", "slow", "Content-Length: 50\r\n"));
            for (int i = 0; i < 5; i++) {
                Thread.sleep(60);
                http.send("0123456789");
            }
            RawHttp.Response r = http.readResponse();
            Map<String, String> f = fields(r.bodyText());
            assertThat(f.get("bytes")).isEqualTo("50");
            assertThat(Integer.parseInt(f.get("pending"))).isPositive();
            assertThat(f.get("loop")).isEqualTo("true");
            assertThat(Integer.parseInt(f.get("reads"))).isEqualTo(count(EntityModules.READ_ENTITY, "slow"));
        }
    }

    /**
     * ReadEntityBody(fAsync=FALSE) on the event loop never blocks it: a read that would wait for the
     * client throws (the module retries later); every completed read raises RQ_READ_ENTITY, the
     * final one that finds no body left too ("even when no body remains").
     */
    @Test
    void syncReadsOfAChunkedSlowClientOnTheEventLoopAreRefusedWhileWaitingAndEveryReadRaisesReadEntity()
            throws Exception {
        try (WeirTestServer server = start(30_000_000L);
                RawHttp http = RawHttp.connect(server.port())) {
            http.send(post("/sync", "sync", "Transfer-Encoding: chunked\r\n"));
            for (int i = 0; i < 4; i++) {
                Thread.sleep(50);
                http.send("5\r\nabcde\r\n");
            }
            http.send("0\r\n\r\n");
            RawHttp.Response r = http.readResponse();
            Map<String, String> f = fields(r.bodyText());
            assertThat(f.get("bytes")).isEqualTo("20");
            assertThat(Integer.parseInt(f.get("pending"))).isPositive();
            int reads = Integer.parseInt(f.get("reads"));
            assertThat(reads).isGreaterThan(Integer.parseInt(f.get("chunks")));
            assertThat(reads).isEqualTo(count(EntityModules.READ_ENTITY, "sync"));
        }
    }

    /** R-UPLOAD: a chunked body growing past maxAllowedContentLength is cut off: 404.13, then the connection closes. */
    @Test
    void aChunkedBodyOverTheLimitIsCutOffWith404_13AndTheConnectionClosed() {
        try (WeirTestServer server = start(100_000L);
                RawHttp http = RawHttp.connect(server.port())) {
            http.send(post("/async", "chunked-over", "Transfer-Encoding: chunked\r\n"));
            String piece = "2000\r\n" + "y".repeat(0x2000) + "\r\n";
            try {
                for (int i = 0; i < 40; i++) {
                    http.send(piece);
                }
                http.send("0\r\n\r\n");
            } catch (UncheckedIOException closedWhileSending) {
                // the server may close before the whole body went out
            }
            RawHttp.Response r = http.readResponse();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.bodyText()).contains("HTTP Error 404.13").contains("maxAllowedContentLength");
            assertThat(r.header("Connection")).contains("close");
            assertThat(http.awaitClose()).isTrue();
            assertThat(count(EntityModules.HANDLED, "chunked-over")).isEqualTo(1);
        }
    }

    /** 404.13 for a Content-Length over the limit, in BEGIN_REQUEST: the handler never runs. */
    @Test
    void aContentLengthOverTheLimitIs404_13BeforeTheHandler() {
        try (WeirTestServer server = start(1_000L);
                RawHttp http = RawHttp.connect(server.port())) {
            http.send(post("/async", "cl-over", "Content-Length: 5000\r\n") + "z".repeat(5000));
            RawHttp.Response r = http.readResponse();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.bodyText()).contains("HTTP Error 404.13");
            assertThat(count(EntityModules.HANDLED, "cl-over")).isZero();
        }
    }

    /** maxAllowedContentLength is per URL: a folder's web.config lowers it for that folder only. */
    @Test
    void theLimitIsPerUrl() throws Exception {
        Files.createDirectories(root.resolve("small"));
        Files.writeString(
                root.resolve("small/web.config"),
                "<configuration><system.webServer><security><requestFiltering>"
                        + "<requestLimits maxAllowedContentLength=\"10\" /></requestFiltering></security></system.webServer></configuration>");
        try (WeirTestServer server = start(30_000_000L);
                RawHttp http = RawHttp.connect(server.port())) {
            http.send(post("/small/async", "small", "Transfer-Encoding: chunked\r\n") + "14\r\n" + "q".repeat(20)
                    + "\r\n0\r\n\r\n");
            RawHttp.Response small = http.readResponse();
            assertThat(small.status()).isEqualTo(404);
            assertThat(small.bodyText()).contains("HTTP Error 404.13");
        }
        try (WeirTestServer server = start(30_000_000L);
                RawHttp http = RawHttp.connect(server.port())) {
            http.send(post("/async", "big-ok", "Transfer-Encoding: chunked\r\n") + "14\r\n" + "q".repeat(20)
                    + "\r\n0\r\n\r\n");
            assertThat(http.readResponse().bodyText()).startsWith("bytes=20;");
        }
    }

    /**
     * RFC 9112 section 7.1, a malformed chunk after the request was dispatched to a handler that has
     * not answered and does not read the body: the transport answers 400 (the handler's later
     * answer is dropped) and closes, since no byte of the response had gone out.
     */
    @Test
    void aMalformedChunkBeforeTheResponseBeganIs400AndClose() throws Exception {
        try (WeirTestServer server = start(30_000_000L);
                RawHttp http = RawHttp.connect(server.port())) {
            http.timeout(Duration.ofSeconds(10));
            http.send(post("/later", "late400", "Transfer-Encoding: chunked\r\n") + "2\r\nhe\r\n");
            // wait until the handler has run and gone PENDING (it answers 1.5 s later)
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (count(EntityModules.HANDLED, "late400") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(count(EntityModules.HANDLED, "late400")).isEqualTo(1);
            http.send("3;;\r\nllo\r\n0\r\n\r\n");
            RawHttp.Response refused = http.readResponse();
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.header("Connection")).contains("close");
            assertThat(http.awaitClose())
                    .as("closed after the 400, nothing else sent")
                    .isTrue();
        }
    }

    /**
     * A malformed chunk after the handler answered (its response head and body have gone out): the
     * response stands as sent and the connection closes cleanly, with nothing after it.
     */
    @Test
    void aMalformedChunkAfterTheResponseBeganClosesCleanly() {
        try (WeirTestServer server = start(30_000_000L);
                RawHttp http = RawHttp.connect(server.port())) {
            http.timeout(Duration.ofSeconds(10));
            http.send(post("/ignore", "lateclose", "Transfer-Encoding: chunked\r\n") + "2\r\nhe\r\n");
            RawHttp.Response answered = http.readResponse();
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.bodyText()).isEqualTo("ignored");
            try {
                http.send("3;;\r\nllo\r\n0\r\n\r\n");
            } catch (UncheckedIOException closedAlready) {
                // the server may have closed already: the chunked body was not going to be drained
            }
            assertThat(answered.header("Connection")).contains("close");
            assertThat(http.awaitClose()).as("closed after the response").isTrue();
        }
    }

    /** R-UPLOAD "unread body drained": keep-alive after a fully read body and after an unread one. */
    @Test
    void keepAliveAfterAReadBodyAndAfterAnUnreadBody() {
        try (WeirTestServer server = start(30_000_000L);
                RawHttp http = RawHttp.connect(server.port())) {
            http.send(post("/async", "ka1", "Content-Length: 3000\r\n") + "a".repeat(3000));
            assertThat(http.readResponse().bodyText()).startsWith("bytes=3000;");
            http.send(post("/ignore", "ka2", "Content-Length: 200000\r\n") + "b".repeat(200_000));
            RawHttp.Response ignored = http.readResponse();
            assertThat(ignored.bodyText()).isEqualTo("ignored");
            assertThat(ignored.header("Connection")).isEmpty();
            http.send(post("/async", "ka3", "Content-Length: 4\r\n") + "cdef");
            assertThat(http.readResponse().bodyText()).startsWith("bytes=4;");
            assertThat(count(EntityModules.HANDLED, "ka3")).isEqualTo(1);
        }
    }

    /** IReadEntityProvider::SetEntity: a READ_ENTITY module replaces the chunk just read; the reader gets the replacement. */
    @Test
    void aReadEntityModuleReplacesTheChunkTheReaderGets() {
        try (WeirTestServer server = start(30_000_000L);
                RawHttp http = RawHttp.connect(server.port())) {
            http.send(post("/echo", "upper", "Content-Length: 11\r\nX-Upper: 1\r\n") + "hello world");
            assertThat(http.readResponse().bodyText()).isEqualTo("HELLO WORLD");
            http.send(post("/echo", "plain", "Content-Length: 11\r\n") + "hello world");
            assertThat(http.readResponse().bodyText()).isEqualTo("hello world");
        }
    }

    /** The bytes arrive unchanged and in order (CRC-32 of what the module read equals the sent body's). */
    @Test
    void theEntityArrivesIntact() {
        try (WeirTestServer server = start(30_000_000L);
                RawHttp http = RawHttp.connect(server.port())) {
            byte[] body = new byte[300_000];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) ('a' + i % 26);
            }
            http.send(post("/async", "intact", "Content-Length: " + body.length + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            http.send(body);
            CRC32 crc = new CRC32();
            crc.update(body);
            Map<String, String> f = fields(http.readResponse().bodyText());
            assertThat(f.get("bytes")).isEqualTo("300000");
            assertThat(f.get("crc")).isEqualTo(Long.toString(crc.getValue()));
        }
    }
}
