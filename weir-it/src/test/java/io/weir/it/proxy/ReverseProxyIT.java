package io.weir.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reverse proxy (ApplicationRequestRouting) against real backends on loopback: the JDK's HTTP
 * server and a raw socket that answers with malformed responses. Requests reach the proxy both
 * ways: through the {@code WEIR_PROXY_URL} server variable (what URL Rewrite sets) and through a
 * handler mapping's {@code scriptProcessor} (the direct configuration).
 */
class ReverseProxyIT {

    @TempDir
    Path root;

    Backends.JdkBackend backend;
    WeirTestServer weir;

    @BeforeEach
    void startBackend() {
        backend = new Backends.JdkBackend("one");
    }

    @AfterEach
    void stop() {
        if (weir != null) {
            weir.close();
        }
        backend.close();
    }

    WeirTestServer start(String proxyAttributes) {
        weir = WeirTestServer.start(
                ProxyConfig.xml(
                        proxyAttributes,
                        ProxyConfig.direct("Direct", "/direct/*", "http://127.0.0.1:" + backend.port()),
                        ""),
                Map.of("ROOT", root.toString()));
        return weir;
    }

    static Map<String, String> fields(RawHttp.Response r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : r.bodyText().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    String viaRewrite(String method, String path, String extra) {
        return method + " " + path + " HTTP/1.1\r\nHost: front.example:8080\r\nX-Test-Proxy-To: http://127.0.0.1:"
                + backend.port() + "\r\n" + extra + "\r\n";
    }

    @Test
    void aRewriteToAnAbsoluteUrlIsProxiedWithArrsForwardingHeaders() {
        start("enabled=\"true\"");
        try (RawHttp http = RawHttp.connect(weir.port())) {
            http.send(viaRewrite(
                    "GET",
                    "/app/page?x=1&y=%20",
                    "X-Forwarded-For: 203.0.113.7\r\nConnection: keep-alive, X-Hop\r\nX-Hop: secret\r\n"));
            RawHttp.Response r = http.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Backend")).contains("one");
            Map<String, String> f = fields(r);
            assertThat(f.get("method")).isEqualTo("GET");
            assertThat(f.get("target")).isEqualTo("/app/page?x=1&y=%20");
            assertThat(f.get("h.host")).isEqualTo("127.0.0.1:" + backend.port());
            assertThat(f.get("h.x-forwarded-for")).matches("203\\.0\\.113\\.7, 127\\.0\\.0\\.1:\\d+");
            assertThat(f.get("h.x-forwarded-proto")).isEqualTo("http");
            assertThat(f.get("h.x-forwarded-host")).isEqualTo("front.example:8080");
            assertThat(f.get("h.x-original-url")).isEqualTo("/app/page?x=1&y=%20");
            assertThat(f.get("h.x-arr-log-id")).matches("[0-9a-f-]{36}");
            assertThat(f).doesNotContainKey("h.x-hop");
            // the client's connection stays usable, and a second request goes through too
            http.send(viaRewrite("GET", "/again", ""));
            assertThat(fields(http.readResponse()).get("target")).isEqualTo("/again");
        }
    }

    @Test
    void proxyAttributesChangeWhatTheBackendGets() {
        start(
                "enabled=\"true\" preserveHostHeader=\"true\" xForwardedForHeaderName=\"X-Client-IP\" includePortInXForwardedFor=\"false\" logGuidName=\"\"");
        RawHttp.Response r = RawHttp.exchange(weir.port(), viaRewrite("GET", "/p", ""));
        Map<String, String> f = fields(r);
        assertThat(f.get("h.host")).isEqualTo("front.example:8080");
        assertThat(f.get("h.x-client-ip")).isEqualTo("127.0.0.1");
        assertThat(f).doesNotContainKey("h.x-forwarded-for").doesNotContainKey("h.x-arr-log-id");
    }

    @Test
    void withTheProxyDisabledARewriteToAnAbsoluteUrlIsNotProxied() {
        start("enabled=\"false\"");
        RawHttp.Response r = RawHttp.exchange(weir.port(), viaRewrite("GET", "/p", ""));
        assertThat(r.status()).isEqualTo(404);
        assertThat(backend.requests.get()).isZero();
    }

    @Test
    void theDirectConfigurationProxiesTheUrlsItsHandlerMaps() {
        start("enabled=\"true\"");
        RawHttp.Response r = RawHttp.exchange(weir.port(), "GET /direct/item?id=3 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(fields(r).get("target")).isEqualTo("/direct/item?id=3");
    }

    @Test
    void requestEntitiesGoThroughWithContentLengthAndChunked() {
        start("enabled=\"true\"");
        byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        CRC32 crc = new CRC32();
        crc.update(body);
        try (RawHttp http = RawHttp.connect(weir.port())) {
            http.send("POST /direct/upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length + "\r\n\r\n");
            http.send(body);
            Map<String, String> f = fields(http.readResponse());
            assertThat(f.get("length")).isEqualTo(String.valueOf(body.length));
            assertThat(f.get("crc")).isEqualTo(String.valueOf(crc.getValue()));
            assertThat(f.get("h.content-length")).isEqualTo(String.valueOf(body.length));

            http.send("PUT /direct/chunked-upload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
            http.send("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            f = fields(http.readResponse());
            assertThat(f.get("method")).isEqualTo("PUT");
            assertThat(f.get("length")).isEqualTo("11");
            assertThat(f.get("h.transfer-encoding")).isEqualTo("chunked");
        }
    }

    @Test
    void expect100ContinueIsAnsweredAndTheBodyForwarded() {
        start("enabled=\"true\"");
        try (RawHttp http = RawHttp.connect(weir.port())) {
            http.send(
                    "POST /direct/e HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response interim = http.readResponse();
            assertThat(interim.status()).isEqualTo(100);
            http.send("data");
            RawHttp.Response r = http.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(fields(r).get("length")).isEqualTo("4");
            assertThat(fields(r)).doesNotContainKey("h.expect");
        }
    }

    @Test
    void responsesComeBackBufferedChunkedAndWithBackendErrorsPassedThrough() {
        start("enabled=\"true\"");
        RawHttp.Response chunked =
                RawHttp.exchange(weir.port(), "GET /direct/chunked HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(chunked.bodyText()).isEqualTo("part0;part1;part2;part3;part4;");
        assertThat(chunked.header("Content-Length")).contains("30");
        RawHttp.Response missing =
                RawHttp.exchange(weir.port(), "GET /direct/missing HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.bodyText()).isEqualTo("backend one has no such thing");
        RawHttp.Response head = RawHttp.exchange(weir.port(), "HEAD /direct/x HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aLocationNamingTheBackendIsRewrittenToTheClientsHost() {
        start("enabled=\"true\"");
        RawHttp.Response r =
                RawHttp.exchange(weir.port(), "GET /direct/redirect HTTP/1.1\r\nHost: front.example\r\n\r\n");
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).contains("http://front.example/elsewhere?x=1");
        weir.close();
        weir = null;
        start("enabled=\"true\" reverseRewriteHostInResponseHeaders=\"false\"");
        r = RawHttp.exchange(weir.port(), "GET /direct/redirect HTTP/1.1\r\nHost: front.example\r\n\r\n");
        assertThat(r.header("Location")).contains("http://127.0.0.1:" + backend.port() + "/elsewhere?x=1");
    }

    @Test
    void anUnreachableBackendGives502Point3() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        start("enabled=\"true\"");
        RawHttp.Response r = RawHttp.exchange(
                weir.port(),
                "GET /x HTTP/1.1\r\nHost: localhost\r\nX-Test-Proxy-To: http://127.0.0.1:" + dead + "\r\n\r\n");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.bodyText()).contains("502.3");
    }

    @Test
    void aBackendSilentPastTheTimeoutGives502Point3() {
        start("enabled=\"true\" timeout=\"00:00:01\"");
        long t0 = System.nanoTime();
        RawHttp.Response r =
                RawHttp.exchange(weir.port(), "GET /direct/slow?t=4000 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.bodyText()).contains("502.3");
        assertThat(millis).isBetween(900L, 3500L);
    }

    @Test
    void aHostileBackendGetsTheClientA502AndNeverADesynchronisedConnection() {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put(
                "both",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil");
        answers.put("twolengths", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
        answers.put("barecr", "HTTP/1.1 200 OK\r\nX-Bad: a\rb\r\nContent-Length: 2\r\n\r\nok");
        answers.put("status", "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok");
        answers.put("garbage", "this is not http\r\n\r\n");
        answers.put("nulheader", "HTTP/1.1 200 OK\r\nX-Bad: a\0b\r\nContent-Length: 2\r\n\r\nok");
        answers.put("badchunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        answers.put("gzipnotchunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nokok");
        answers.put("split", "HTTP/1.1 200 OK\r\nX-A: 1\nX-Injected: yes\r\nContent-Length: 2\r\n\r\nok");
        try (Backends.RawBackend hostile = new Backends.RawBackend(answers)) {
            start("enabled=\"true\"");
            try (RawHttp http = RawHttp.connect(weir.port())) {
                http.timeout(Duration.ofSeconds(10));
                for (String key : answers.keySet()) {
                    http.send("GET /" + key + " HTTP/1.1\r\nHost: localhost\r\nX-Test-Proxy-To: http://127.0.0.1:"
                            + hostile.port() + "\r\n\r\n");
                    RawHttp.Response r = http.readResponse();
                    if (key.equals("split")) {
                        // a bare LF is a line ending (RFC 9112 section 2.2): the header arrives as its own field,
                        // nothing more
                        assertThat(r.status()).as(key).isIn(200, 502);
                    } else {
                        assertThat(r.status()).as(key).isEqualTo(502);
                        assertThat(r.bodyText()).as(key).contains("502.3");
                    }
                    assertThat(r.bodyText()).as(key).doesNotContain("evil");
                    // after each, the same client connection answers a good request correctly
                    http.send(viaRewrite("GET", "/after-" + key, ""));
                    RawHttp.Response good = http.readResponse();
                    assertThat(good.status()).as(key).isEqualTo(200);
                    assertThat(fields(good).get("target")).as(key).isEqualTo("/after-" + key);
                }
            }
        }
    }

    /**
     * The framing rules the transport applies to requests (RFC 9110 section 8.6, RFC 9112
     * sections 2.2, 2.3, 5, 6.3 and 7.1) applied to a backend's response: each malformed one gives
     * the client 502.3, as ARR answers a response WinHTTP cannot parse, and the backend
     * connection is never reused.
     */
    @Test
    void aBackendResponseBreakingTheFramingRulesGives502Point3() {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("signlength", "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok");
        answers.put("hexlength", "HTTP/1.1 200 OK\r\nContent-Length: 0x2\r\n\r\nok");
        answers.put("spacelength", "HTTP/1.1 200 OK\r\nContent-Length: 2 2\r\n\r\nok");
        answers.put("listlength", "HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nok");
        answers.put("overflowlength", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\nok");
        // over maxResponseHeaderSize (96 KiB by default, as ARR)
        answers.put(
                "hugeheader",
                "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(100 * 1024) + "\r\nContent-Length: 2\r\n\r\nok");
        answers.put("barelf", "HTTP/1.1 200 OK\nContent-Length: 4\n\nevil");
        answers.put("lowerversion", "http/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        answers.put("chunksign", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+2\r\nok\r\n0\r\n\r\n");
        answers.put("chunkext", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;\r\nok\r\n0\r\n\r\n");
        answers.put("chunkbarelf", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\n0\n\n");
        answers.put("spacecolonte", "HTTP/1.1 200 OK\r\nTransfer-Encoding : chunked\r\nContent-Length: 4\r\n\r\nevil");
        try (Backends.RawBackend hostile = new Backends.RawBackend(answers)) {
            start("enabled=\"true\"");
            List<String> wrong = new ArrayList<>();
            for (String key : answers.keySet()) {
                try (RawHttp http = RawHttp.connect(weir.port())) {
                    http.timeout(Duration.ofSeconds(10));
                    http.send("GET /" + key + " HTTP/1.1\r\nHost: localhost\r\nX-Test-Proxy-To: http://127.0.0.1:"
                            + hostile.port() + "\r\n\r\n");
                    RawHttp.Response r;
                    try {
                        r = http.readResponse();
                    } catch (UncheckedIOException dropped) {
                        wrong.add(key + ": connection dropped");
                        continue;
                    }
                    if (r.status() != 502
                            || !r.bodyText().contains("502.3")
                            || r.bodyText().contains("evil")) {
                        wrong.add(key + ": " + r.status() + " "
                                + r.bodyText().lines().findFirst().orElse(""));
                    }
                }
            }
            assertThat(wrong).isEmpty();
        }
    }

    @Test
    void whitespaceBeforeAResponseFieldsColonIsRemovedAsRfc9112AsksOfAProxy() {
        Map<String, String> answers = Map.of("spacecolon", "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok");
        try (Backends.RawBackend hostile = new Backends.RawBackend(answers)) {
            start("enabled=\"true\"");
            RawHttp.Response r = RawHttp.exchange(
                    weir.port(),
                    "GET /spacecolon HTTP/1.1\r\nHost: localhost\r\nX-Test-Proxy-To: http://127.0.0.1:" + hostile.port()
                            + "\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("ok");
            assertThat(r.header("Content-Length")).contains("2");
        }
    }

    @Test
    void aSmuggledSecondResponseNeverReachesAnotherRequest() {
        Map<String, String> answers = Map.of(
                "smuggle",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil");
        try (Backends.RawBackend hostile = new Backends.RawBackend(answers)) {
            start("enabled=\"true\"");
            for (int i = 0; i < 20; i++) {
                RawHttp.Response r = RawHttp.exchange(
                        weir.port(),
                        "GET /smuggle HTTP/1.1\r\nHost: localhost\r\nX-Test-Proxy-To: http://127.0.0.1:"
                                + hostile.port() + "\r\n\r\n");
                assertThat(r.bodyText()).isEqualTo("ok");
                RawHttp.Response other = RawHttp.exchange(
                        weir.port(),
                        "GET /other HTTP/1.1\r\nHost: localhost\r\nX-Test-Proxy-To: http://127.0.0.1:" + hostile.port()
                                + "\r\n\r\n");
                assertThat(other.bodyText()).doesNotContain("evil");
                assertThat(other.status()).isEqualTo(404);
            }
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
