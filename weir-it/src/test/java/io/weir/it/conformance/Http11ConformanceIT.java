package io.weir.it.conformance;

import static io.weir.it.conformance.ConformanceServer.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.it.conformance.ConformanceServer.Outcome;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/1.1 conformance over raw sockets against a real server: one test per rule, each naming the
 * RFC 9110 / RFC 9112 section or the IIS / http.sys behaviour it checks. Requests with bodies go to
 * {@code *.echo} (the EchoModule example, which reads them) or to a static file (whose handler
 * does not read them: the transport must still check their framing). "400 and close" means the
 * status and then the end of the connection, with nothing else parsed from what followed.
 */
class Http11ConformanceIT {

    @TempDir
    static Path root;

    static WeirTestServer server;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(root.resolve("index.txt"), "hello\n");
        server = ConformanceServer.start(root, "");
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final String HOST = "Host: localhost\r\n";

    static Outcome send(String request) {
        return exchange(port, request, 1);
    }

    static void assertRefused(Outcome outcome, int status) {
        assertThat(outcome.statuses()).as(outcome.toString()).containsExactly(status);
        assertThat(outcome.closed()).as("connection closed after " + outcome).isTrue();
    }

    static String post(String path, String framing, String body) {
        return "POST " + path + " HTTP/1.1\r\n" + HOST + framing + "\r\n" + body;
    }

    /** Message framing: RFC 9112 section 6 and section 7, checked whether or not a module reads the body. */
    @Nested
    class Framing {

        @Test
        void rfc9110_8_6_contentLengthWithASignIs400() {
            assertRefused(send(post("/index.txt", "Content-Length: +5\r\n", "hello")), 400);
            assertRefused(send(post("/x.echo", "Content-Length: -5\r\n", "hello")), 400);
        }

        @Test
        void rfc9110_8_6_contentLengthListIs400() {
            assertRefused(send(post("/index.txt", "Content-Length: 5, 5\r\n", "hello")), 400);
        }

        @Test
        void rfc9112_6_3_duplicateContentLengthsAre400() {
            assertRefused(send(post("/index.txt", "Content-Length: 5\r\nContent-Length: 6\r\n", "hello!")), 400);
        }

        @Test
        void rfc9110_8_6_contentLengthWithInnerSpaceOrHexIs400() {
            assertRefused(send(post("/index.txt", "Content-Length: 5 5\r\n", "hello")), 400);
            assertRefused(send(post("/index.txt", "Content-Length: 0x5\r\n", "hello")), 400);
        }

        @Test
        void rfc9112_6_3_contentLengthOverflowIs400() {
            assertRefused(send(post("/index.txt", "Content-Length: 99999999999999999999999\r\n", "hello")), 400);
        }

        @Test
        void rfc9112_6_3_transferEncodingWithContentLengthIs400() {
            assertRefused(
                    send(post("/index.txt", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")), 400);
        }

        @Test
        void rfc9112_6_1_transferEncodingInHttp10Is400() {
            assertRefused(
                    send("POST /echo/x HTTP/1.0\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400);
        }

        @Test
        void rfc9112_6_1_aCodingOtherThanChunkedLastIs400() {
            assertRefused(send(post("/x.echo", "Transfer-Encoding: chunked, gzip\r\n", "")), 400);
            assertRefused(send(post("/x.echo", "Transfer-Encoding: identity\r\n", "")), 400);
        }

        @Test
        void rfc9112_7_1_chunkSizeWith0xPrefixIs400EvenForAHandlerThatDoesNotRead() {
            assertRefused(send(post("/index.txt", "Transfer-Encoding: chunked\r\n", "0x5\r\nhello\r\n0\r\n\r\n")), 400);
        }

        @Test
        void rfc9112_7_1_chunkSizeWithASignIs400() {
            assertRefused(send(post("/index.txt", "Transfer-Encoding: chunked\r\n", "+5\r\nhello\r\n0\r\n\r\n")), 400);
        }

        @Test
        void rfc9112_7_1_chunkSizeWithTrailingSpaceIs400() {
            assertRefused(send(post("/index.txt", "Transfer-Encoding: chunked\r\n", "5 \r\nhello\r\n0\r\n\r\n")), 400);
        }

        @Test
        void rfc9112_7_1_chunkSizeOverflowIs400() {
            assertRefused(
                    send(post(
                            "/index.txt",
                            "Transfer-Encoding: chunked\r\n",
                            "FFFFFFFFFFFFFFFFF5\r\nhello\r\n0\r\n\r\n")),
                    400);
        }

        @Test
        void rfc9112_7_1_bareLfChunkLinesAre400() {
            assertRefused(send(post("/index.txt", "Transfer-Encoding: chunked\r\n", "5\nhello\n0\n\n")), 400);
        }

        @Test
        void rfc9112_7_1_chunkDataNotFollowedByCrLfIs400() {
            assertRefused(send(post("/index.txt", "Transfer-Encoding: chunked\r\n", "5\r\nhelloXX0\r\n\r\n")), 400);
        }

        @Test
        void rfc9112_7_1_2_malformedTrailerFieldIs400() {
            assertRefused(
                    send(post(
                            "/index.txt", "Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nbad trailer\r\n\r\n")),
                    400);
        }

        @Test
        void rfc9112_7_1_malformedChunkToAReadingHandlerIs400BeforeItRuns() {
            assertRefused(send(post("/x.echo", "Transfer-Encoding: chunked\r\n", "5\r\nhelloXX0\r\n\r\n")), 400);
        }

        @Test
        void rfc9112_7_1_1_chunkExtensionsAreAcceptedAndIgnored() {
            Outcome o = send(post("/x.echo", "Transfer-Encoding: chunked\r\n", "5;name=value\r\nhello\r\n0\r\n\r\n"));
            assertThat(o.statuses()).containsExactly(200);
            assertThat(o.responses().get(0).bodyText()).isEqualTo("hello");
        }

        @Test
        void rfc9112_7_1_1_quotedAndSpacedChunkExtensionsAreAccepted() {
            Outcome o = send(post(
                    "/x.echo", "Transfer-Encoding: chunked\r\n", "5 ; a = \"b;\\\" c\";d\r\nhello\r\n0;last\r\n\r\n"));
            assertThat(o.statuses()).as(o.toString()).containsExactly(200);
            assertThat(o.responses().get(0).bodyText()).isEqualTo("hello");
        }

        @Test
        void rfc9112_7_1_1_aChunkExtensionWithoutANameIs400EvenForAHandlerThatDoesNotRead() {
            assertRefused(send(post("/index.txt", "Transfer-Encoding: chunked\r\n", "5;\r\nhello\r\n0\r\n\r\n")), 400);
            assertRefused(send(post("/x.echo", "Transfer-Encoding: chunked\r\n", "5;=v\r\nhello\r\n0\r\n\r\n")), 400);
        }

        @Test
        void rfc9112_7_1_1_aChunkExtensionWithAnEmptyValueIs400() {
            assertRefused(send(post("/x.echo", "Transfer-Encoding: chunked\r\n", "5;a=\r\nhello\r\n0\r\n\r\n")), 400);
        }

        @Test
        void rfc9112_7_1_1_aChunkExtensionWithANonTokenCharacterIs400() {
            assertRefused(send(post("/x.echo", "Transfer-Encoding: chunked\r\n", "5;a@b\r\nhello\r\n0\r\n\r\n")), 400);
            assertRefused(
                    send(post("/x.echo", "Transfer-Encoding: chunked\r\n", "5;a=b c\r\nhello\r\n0\r\n\r\n")), 400);
            assertRefused(
                    send(post("/index.txt", "Transfer-Encoding: chunked\r\n", "5;a\u0000\r\nhello\r\n0\r\n\r\n")), 400);
        }

        @Test
        void rfc9112_7_1_1_anUnterminatedQuotedChunkExtensionIs400() {
            assertRefused(
                    send(post("/x.echo", "Transfer-Encoding: chunked\r\n", "5;a=\"b\r\nhello\r\n0\r\n\r\n")), 400);
        }

        @Test
        void rfc9112_7_1_1_aBareCrOrLfInAChunkExtensionIs400() {
            assertRefused(send(post("/x.echo", "Transfer-Encoding: chunked\r\n", "5;a=b\nhello\r\n0\r\n\r\n")), 400);
            assertRefused(
                    send(post("/index.txt", "Transfer-Encoding: chunked\r\n", "5;a\rb\r\nhello\r\n0\r\n\r\n")), 400);
        }

        @Test
        void httpSys_aChunkLineLongerThanMaxFieldLengthIs400() {
            // the line never ends: only the length limit can refuse it
            try (RawHttp http = RawHttp.connect(port)) {
                http.timeout(Duration.ofSeconds(5));
                http.send(post("/x.echo", "Transfer-Encoding: chunked\r\n", "5;a=" + "b".repeat(64 * 1024)));
                assertThat(http.readResponse().status()).isEqualTo(400);
                assertThat(http.awaitClose()).isTrue();
            }
        }

        @Test
        void rfc9112_7_1_aMalformedChunkInALaterChunkIs400() {
            assertRefused(
                    send(post("/x.echo", "Transfer-Encoding: chunked\r\n", "2\r\nhe\r\n3;;\r\nllo\r\n0\r\n\r\n")), 400);
        }

        @Test
        void rfc9112_6_3_anUnreadChunkedBodyIsDiscardedNeverParsedAsARequest() {
            String smuggled = "GET /smuggled HTTP/1.1\r\n" + HOST + "\r\n";
            String body = Integer.toHexString(smuggled.length()) + "\r\n" + smuggled + "\r\n0\r\n\r\n";
            Outcome o = exchange(
                    port,
                    post("/index.txt", "Transfer-Encoding: chunked\r\n", body) + "GET /index.txt HTTP/1.1\r\n" + HOST
                            + "\r\n",
                    2);
            assertThat(o.statuses()).as(o.toString()).containsExactly(405, 200);
            assertThat(o.closed()).as("nothing more was parsed").isFalse();
            assertThat(o.responses().get(1).bodyText()).isEqualTo("hello\n");
        }

        @Test
        void rfc9110_9_3_1_aBodyOnGetIsFramedAndDiscarded() {
            String smuggled = "GET /smuggled HTTP/1.1\r\n" + HOST + "\r\n";
            Outcome o = exchange(
                    port,
                    "GET /index.txt HTTP/1.1\r\n" + HOST + "Content-Length: " + smuggled.length() + "\r\n\r\n"
                            + smuggled + "GET /index.txt HTTP/1.1\r\n" + HOST + "\r\n",
                    2);
            assertThat(o.statuses()).as(o.toString()).containsExactly(200, 200);
            assertThat(o.closed()).isFalse();
        }

        @Test
        void rfc9110_9_3_2_aBodyOnHeadIsFramedAndDiscarded() {
            String smuggled = "GET /smuggled HTTP/1.1\r\n" + HOST + "\r\n";
            headThenGet("HEAD /index.txt HTTP/1.1\r\n" + HOST + "Content-Length: " + smuggled.length() + "\r\n\r\n"
                    + smuggled);
            String body = Integer.toHexString(smuggled.length()) + "\r\n" + smuggled + "\r\n0\r\n\r\n";
            headThenGet("HEAD /index.txt HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n" + body);
        }

        /** Sends a HEAD with a body and a GET on one connection: both are answered, the body never parsed. */
        private void headThenGet(String head) {
            try (RawHttp http = RawHttp.connect(port)) {
                http.timeout(Duration.ofSeconds(5));
                http.send(head + "GET /index.txt HTTP/1.1\r\n" + HOST + "\r\n");
                assertThat(http.readResponse(true).status()).isEqualTo(200);
                RawHttp.Response get = http.readResponse();
                assertThat(get.status()).isEqualTo(200);
                assertThat(get.bodyText()).isEqualTo("hello\n");
            }
        }

        @Test
        void rfc9110_9_3_7_aBodyOnOptionsIsFramedAndDiscarded() {
            String smuggled = "GET /smuggled HTTP/1.1\r\n" + HOST + "\r\n";
            // answered by the transport, which does not drain: the body ends the connection
            Outcome o = exchange(
                    port,
                    "OPTIONS * HTTP/1.1\r\n" + HOST + "Content-Length: " + smuggled.length() + "\r\n\r\n" + smuggled
                            + "GET /index.txt HTTP/1.1\r\n" + HOST + "\r\n",
                    2);
            assertRefused(o, 200);
        }

        @Test
        void rfc9112_7_1_aMalformedChunkedBodyOnGetIs400() {
            assertRefused(
                    send("GET /index.txt HTTP/1.1\r\n" + HOST
                            + "Transfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n"),
                    400);
        }

        @Test
        void rfc9112_9_3_echoKeepsTheConnectionAcrossBodies() {
            Outcome o = exchange(
                    port,
                    post("/a.echo", "Content-Length: 3\r\n", "abc")
                            + post("/b.echo", "Transfer-Encoding: chunked\r\n", "2\r\nde\r\n0\r\n\r\n"),
                    2);
            assertThat(o.statuses()).containsExactly(200, 200);
            assertThat(o.responses().get(0).bodyText()).isEqualTo("abc");
            assertThat(o.responses().get(1).bodyText()).isEqualTo("de");
            assertThat(o.closed()).isFalse();
        }
    }

    /** The request line and header fields: RFC 9112 section 2 – section 5, RFC 9110 section 5, section 7.2. */
    @Nested
    class Head {

        @Test
        void rfc9112_5_2_obsoleteLineFoldingIs400() {
            assertRefused(send("GET /index.txt HTTP/1.1\r\n" + HOST + "X-A: a\r\n b\r\n\r\n"), 400);
        }

        @Test
        void rfc9112_5_1_whitespaceBeforeTheColonIs400() {
            assertRefused(send("GET /index.txt HTTP/1.1\r\n" + HOST + "X-A : b\r\n\r\n"), 400);
        }

        @Test
        void rfc9110_5_1_invalidTokenCharacterInAFieldNameIs400() {
            assertRefused(send("GET /index.txt HTTP/1.1\r\n" + HOST + "X(A): b\r\n\r\n"), 400);
        }

        @Test
        void rfc9110_9_1_invalidTokenCharacterInTheMethodIs400() {
            assertRefused(send("G(T /index.txt HTTP/1.1\r\n" + HOST + "\r\n"), 400);
        }

        @Test
        void rfc9112_2_2_bareCrIs400() {
            assertRefused(send("GET /index.txt HTTP/1.1\r\n" + HOST + "X-A: a\rb\r\n\r\n"), 400);
        }

        @Test
        void rfc9110_5_5_nulInAFieldValueIs400() {
            assertRefused(send("GET /index.txt HTTP/1.1\r\n" + HOST + "X-A: a\u0000b\r\n\r\n"), 400);
        }

        @Test
        void rfc9112_3_2_missingHostOnHttp11Is400() {
            assertRefused(send("GET /index.txt HTTP/1.1\r\n\r\n"), 400);
        }

        @Test
        void rfc9112_3_2_twoHostFieldsAre400() {
            assertRefused(send("GET /index.txt HTTP/1.1\r\n" + HOST + HOST + "\r\n"), 400);
        }

        @Test
        void rfc9110_7_2_hostWithUserinfoIs400() {
            assertRefused(send("GET /index.txt HTTP/1.1\r\nHost: user@localhost\r\n\r\n"), 400);
        }

        @Test
        void rfc9110_7_2_hostWithAPathIs400() {
            assertRefused(send("GET /index.txt HTTP/1.1\r\nHost: localhost/x\r\n\r\n"), 400);
        }

        @Test
        void httpSys_anEmptyHostIs400OnHttp11AndHttp10() {
            assertRefused(send("GET /index.txt HTTP/1.1\r\nHost: \r\n\r\n"), 400);
            assertRefused(send("GET /index.txt HTTP/1.0\r\nHost: \r\n\r\n"), 400);
        }

        @Test
        void rfc9110_7_2_aCommaListOfHostsIs400() {
            assertRefused(send("GET /index.txt HTTP/1.1\r\nHost: localhost, other.example\r\n\r\n"), 400);
        }

        @Test
        void rfc9110_7_2_aHostWithANonNumericPortIs400() {
            assertRefused(send("GET /index.txt HTTP/1.1\r\nHost: localhost:http\r\n\r\n"), 400);
        }

        @Test
        void rfc9112_3_2_2_theAbsoluteFormTargetWinsOverHost() {
            Outcome o = send("GET http://localhost/index.txt HTTP/1.1\r\nHost: other.example\r\n\r\n");
            assertThat(o.statuses()).containsExactly(200);
            assertThat(o.responses().get(0).bodyText()).isEqualTo("hello\n");
            assertRefused(send("GET http://user@localhost/index.txt HTTP/1.1\r\n" + HOST + "\r\n"), 400);
        }

        @Test
        void rfc9112_2_3_theVersionIsCaseSensitive() {
            assertRefused(send("GET /index.txt http/1.1\r\n" + HOST + "\r\n"), 400);
        }

        @Test
        void rfc9112_2_3_aMalformedVersionIs400AndAnUnsupportedOne505() {
            assertRefused(send("GET /index.txt HTTP/1.11\r\n" + HOST + "\r\n"), 400);
            assertRefused(send("GET /index.txt HTTP/01.1\r\n" + HOST + "\r\n"), 400);
            assertRefused(send("GET /index.txt HTTP/1.2\r\n" + HOST + "\r\n"), 505);
        }

        @Test
        void rfc9112_3_2_rawNonAsciiInTheTargetIs400() {
            byte[] request =
                    ("GET /ind\u00c3\u00a9x.txt HTTP/1.1\r\n" + HOST + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            assertRefused(exchange(port, request, 1), 400);
        }

        @Test
        void rfc3986_2_1_invalidPercentEncodingIs400() {
            assertRefused(send("GET /ind%zzx.txt HTTP/1.1\r\n" + HOST + "\r\n"), 400);
            assertRefused(send("GET /index.txt% HTTP/1.1\r\n" + HOST + "\r\n"), 400);
        }

        @Test
        void rfc3629_3_overlongUtf8IsRefused400() {
            assertRefused(send("GET /%c0%afindex.txt HTTP/1.1\r\n" + HOST + "\r\n"), 400);
            assertRefused(send("GET /%c0%ae%c0%ae/index.txt HTTP/1.1\r\n" + HOST + "\r\n"), 400);
        }

        @Test
        void rfc9112_3_2_aFragmentInTheTargetIs400() {
            assertRefused(send("GET /index.txt#top HTTP/1.1\r\n" + HOST + "\r\n"), 400);
        }

        @Test
        void httpSys_aMethodLongerThanMaxRequestBytesIs400Not414() {
            assertRefused(send("G".repeat(17_000) + " / HTTP/1.1\r\n" + HOST + "\r\n"), 400);
        }

        @Test
        void httpSys_aRequestLineLongerThanMaxRequestBytesIs414() {
            assertRefused(send("GET /" + "a".repeat(17_000) + " HTTP/1.1\r\n" + HOST + "\r\n"), 414);
        }

        @Test
        void httpSys_aHeaderLineLongerThanMaxFieldLengthIs400() {
            assertRefused(
                    send("GET /index.txt HTTP/1.1\r\n" + HOST + "X-Long: " + "v".repeat(16_400) + "\r\n\r\n"), 400);
        }

        @Test
        void httpSys_aHeadLargerThanMaxRequestBytesIs431() {
            StringBuilder head = new StringBuilder("GET /index.txt HTTP/1.1\r\n" + HOST);
            for (int i = 0; i < 20; i++) {
                head.append("X-Field-")
                        .append(i)
                        .append(": ")
                        .append("v".repeat(1000))
                        .append("\r\n");
            }
            assertRefused(send(head + "\r\n"), 431);
        }

        @Test
        void weir_moreThan100HeaderFieldsIs431() {
            StringBuilder head = new StringBuilder("GET /index.txt HTTP/1.1\r\n" + HOST);
            for (int i = 0; i < 101; i++) {
                head.append("X-F").append(i).append(": v\r\n");
            }
            assertRefused(send(head + "\r\n"), 431);
        }

        @Test
        void headsSplitAcrossPacketsAreCheckedAsAWhole() throws Exception {
            try (RawHttp http = RawHttp.connect(port)) {
                http.timeout(Duration.ofSeconds(5));
                http.send("GET /index.txt HTTP/1.1\r\n" + HOST + "X-A: a\r\n");
                Thread.sleep(100);
                http.send(" folded\r\n\r\n");
                assertThat(http.readResponse().status()).isEqualTo(400);
                assertThat(http.awaitClose()).isTrue();
            }
        }
    }

    /** Methods and expectations: RFC 9110 section 9 and section 10.1.1, as IIS answers them. */
    @Nested
    class Methods {

        @Test
        void iis_optionsAsteriskIsAnswered200WithAllowAndPublic() {
            Outcome o = exchange(
                    port, "OPTIONS * HTTP/1.1\r\n" + HOST + "\r\n" + "GET /index.txt HTTP/1.1\r\n" + HOST + "\r\n", 2);
            assertThat(o.statuses()).containsExactly(200, 200);
            RawHttp.Response options = o.responses().get(0);
            assertThat(options.header("Allow")).contains("OPTIONS, TRACE, GET, HEAD, POST");
            assertThat(options.header("Public")).contains("OPTIONS, TRACE, GET, HEAD, POST");
            assertThat(options.header("Content-Length")).contains("0");
            assertThat(o.closed()).isFalse();
        }

        @Test
        void rfc9112_3_2_4_theAsteriskFormIsOnlyForOptions() {
            assertRefused(send("GET * HTTP/1.1\r\n" + HOST + "\r\n"), 400);
        }

        @Test
        void httpSys_connectWithAnAuthorityFormTargetIs400() {
            assertRefused(send("CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n"), 400);
        }

        @Test
        void rfc9110_10_1_1_noContinueWhenTheHandlerDoesNotReadTheBody() {
            try (RawHttp http = RawHttp.connect(port)) {
                http.timeout(Duration.ofSeconds(5));
                http.send(post("/index.txt", "Content-Length: 5\r\nExpect: 100-continue\r\n", ""));
                RawHttp.Response r = http.readResponse();
                assertThat(r.status()).isEqualTo(405);
                assertThat(r.header("Connection")).contains("close");
                assertThat(http.awaitClose()).isTrue();
            }
        }

        @Test
        void iis_aContentLengthOverMaxAllowedContentLengthIsRefusedBeforeAnyContinue() {
            try (RawHttp http = RawHttp.connect(port)) {
                http.timeout(Duration.ofSeconds(5));
                http.send(post("/x.echo", "Content-Length: 40000000\r\nExpect: 100-continue\r\n", ""));
                RawHttp.Response r = http.readResponse();
                assertThat(r.status()).isEqualTo(404);
                assertThat(r.bodyText()).contains("404.13");
                assertThat(r.header("Connection")).contains("close");
                assertThat(http.awaitClose()).isTrue();
            }
        }

        @Test
        void rfc9110_10_1_1_continueOnlyOnceTheHandlerReads() {
            try (RawHttp http = RawHttp.connect(port)) {
                http.timeout(Duration.ofSeconds(5));
                http.send(post("/x.echo", "Content-Length: 5\r\nExpect: 100-continue\r\n", ""));
                assertThat(http.readResponse().status()).isEqualTo(100);
                http.send("hello");
                RawHttp.Response r = http.readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("hello");
            }
        }
    }
}
