package io.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.http.DataChunk;
import io.weir.core.ListenAddress;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.RequestBody;
import io.weir.core.spi.ResponseHead;
import io.weir.server.netty.TransportSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the transport over loopback with a fake dispatcher in place of the engine. */
class TransportTest {

    @TempDir
    Path dir;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final CompletableFuture<Exchange> parked = new CompletableFuture<>();
    private Path file;
    private WeirServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        byte[] bytes = new byte[1_234_567];
        new Random(42).nextBytes(bytes);
        file = Files.write(dir.resolve("data.bin"), bytes);
        server = WeirServer.startTransport(
                this::dispatch,
                List.of(new ListenAddress("http", "127.0.0.1", 0)),
                TransportSettings.defaults().withMaxEntityBytes(1000));
        port = server.boundAddresses().get(0).getPort();
    }

    /** Replaces the server by one with a short connection timeout. */
    private void restartWithShortTimeout() throws IOException {
        server.stop(Duration.ofSeconds(1));
        server = WeirServer.startTransport(
                this::dispatch,
                List.of(new ListenAddress("http", "127.0.0.1", 0)),
                TransportSettings.defaults().withConnectionTimeout(Duration.ofMillis(300)));
        port = server.boundAddresses().get(0).getPort();
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(1));
        timer.shutdownNow();
    }

    private static ResponseHead head(int status, long length) {
        return new ResponseHead(
                status,
                status == 200 ? "OK" : "Status",
                List.of(Map.entry("Content-Type", "text/plain")),
                length,
                false);
    }

    private void dispatch(Exchange exchange) {
        String uri = exchange.rawUri();
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        byte[] echo = uri.getBytes(StandardCharsets.UTF_8);
        switch (path) {
            case "/slow" ->
                timer.schedule(
                        () -> exchange.eventLoop()
                                .execute(() ->
                                        exchange.write(head(200, echo.length), List.of(DataChunk.ofBytes(echo)), true)),
                        150,
                        TimeUnit.MILLISECONDS);
            case "/chunked" -> {
                exchange.write(head(200, -1), List.of(DataChunk.ofUtf8("first;")), false);
                exchange.eventLoop().execute(() -> exchange.write(null, List.of(DataChunk.ofUtf8("second")), true));
            }
            case "/file" ->
                exchange.write(
                        head(200, file.toFile().length()),
                        List.of(DataChunk.ofFile(file, file.toFile().length())),
                        true);
            case "/chunkedfile" ->
                exchange.write(
                        head(200, -1),
                        List.of(DataChunk.ofUtf8("<"), new DataChunk.File(file, 1000, 70_000), DataChunk.ofUtf8(">")),
                        true);
            case "/vanished" -> exchange.write(head(200, 10), List.of(DataChunk.ofFile(dir.resolve("nope"), 10)), true);
            case "/park" -> parked.complete(exchange);
            case "/echo" -> echo(exchange, exchange.requestBody(), new ByteArrayOutputStream());
            case "/headers" -> {
                String names = String.join(",", exchange.requestHeaders().names()) + "|"
                        + exchange.requestHeaders().get("x-test");
                byte[] b = names.getBytes(StandardCharsets.UTF_8);
                exchange.write(head(200, b.length), List.of(DataChunk.ofBytes(b)), true);
            }
            case "/throw" -> throw new IllegalStateException("boom");
            default -> {
                if (exchange.method().equals("HEAD")) {
                    exchange.write(head(200, echo.length), List.of(), true);
                } else {
                    exchange.write(head(200, echo.length), List.of(DataChunk.ofBytes(echo)), true);
                }
            }
        }
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    @Test
    void keepsTheConnectionAlive() throws IOException {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response first = client.send(get("/one")).read();
            RawClient.Response second = client.send(get("/two")).read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.text()).isEqualTo("/one");
            assertThat(first.header("connection")).isNull();
            assertThat(first.header("date")).endsWith(" GMT");
            assertThat(second.text()).isEqualTo("/two");
        }
    }

    @Test
    void keepsHttp10AliveOnlyWhenAsked() throws IOException {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response first = client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                    .read();
            assertThat(first.header("connection")).isEqualToIgnoringCase("keep-alive");
            RawClient.Response second = client.send("GET /b HTTP/1.0\r\n\r\n").read();
            assertThat(second.text()).isEqualTo("/b");
            assertThat(second.header("connection")).isEqualToIgnoringCase("close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void answersPipelinedRequestsInOrderEvenWhenOneCompletesLater() throws IOException {
        try (RawClient client = new RawClient(port)) {
            client.send(get("/fast?1") + get("/slow?2") + get("/fast?3"));
            assertThat(client.read().text()).isEqualTo("/fast?1");
            assertThat(client.read().text()).isEqualTo("/slow?2");
            assertThat(client.read().text()).isEqualTo("/fast?3");
        }
    }

    @Test
    void answersHeadWithoutBodyButWithContentLength() throws IOException {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response head =
                    client.send("HEAD /abc HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("4");
            // the next response starts right after the head: no body bytes were sent
            assertThat(client.send(get("/next")).read().text()).isEqualTo("/next");
        }
    }

    @Test
    void sendsChunkedResponsesWhenTheLengthIsUnknown() throws Exception {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response response = client.send(get("/chunked")).read();
            assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(response.text()).isEqualTo("first;second");
        }
        HttpResponse<String> viaClient = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chunked"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(viaClient.body()).isEqualTo("first;second");
    }

    @Test
    void servesFileChunksByteIdentical() throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/file"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void servesFileChunksInChunkedResponses() throws IOException {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response response = client.send(get("/chunkedfile")).read();
            assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
            byte[] expected = new byte[70_002];
            expected[0] = '<';
            System.arraycopy(Files.readAllBytes(file), 1000, expected, 1, 70_000);
            expected[70_001] = '>';
            assertThat(response.body()).isEqualTo(expected);
            assertThat(client.send(get("/after")).read().text()).isEqualTo("/after");
        }
    }

    @Test
    void closesTheConnectionWhenAFileVanished() throws IOException {
        try (RawClient client = new RawClient(port)) {
            client.send(get("/vanished"));
            client.timeout(5000);
            String received = new String(client.readAll(), StandardCharsets.ISO_8859_1);
            int endOfHead = received.indexOf("\r\n\r\n");
            assertThat(endOfHead < 0 ? "" : received.substring(endOfHead + 4)).hasSizeLessThan(10);
        }
    }

    /** Reads the streamed body as it arrives; answers it back, or 413 when it failed. */
    private static void echo(Exchange exchange, RequestBody body, ByteArrayOutputStream out) {
        for (ByteBuffer b; (b = body.poll()) != null; ) {
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.writeBytes(bytes);
        }
        if (body.failure() != null) {
            exchange.write(head(413, 0), List.of(), true);
        } else if (body.isComplete()) {
            byte[] bytes = out.toByteArray();
            exchange.write(head(200, bytes.length), List.of(DataChunk.ofBytes(bytes)), true);
        } else {
            body.onAvailable(() -> echo(exchange, body, out));
        }
    }

    @Test
    void drainsAnUnreadEntityBeforeTheNextRequest() throws IOException {
        try (RawClient client = new RawClient(port)) {
            String body = "y".repeat(900);
            RawClient.Response first = client.send(
                            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n" + body + get("/b"))
                    .read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.text()).isEqualTo("/a");
            assertThat(client.read().text()).isEqualTo("/b");
        }
    }

    @Test
    void closesAfterAResponseThatLeftAChunkedEntityUnread() throws IOException {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response first = client.send(
                            "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + "3\r\nabc\r\n")
                    .read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void streamsTheRequestEntity() throws IOException {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response fixed = client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
                    .read();
            assertThat(fixed.text()).isEqualTo("hello");
            RawClient.Response chunked = client.send(
                            "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
                    .read();
            assertThat(chunked.text()).isEqualTo("abcde");
        }
    }

    @Test
    void exposesRequestHeadersInArrivalOrder() throws IOException {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response response = client.send(
                            "GET /headers HTTP/1.1\r\nHost: x\r\nX-Test: 1\r\nx-test: 2\r\n\r\n")
                    .read();
            assertThat(response.text()).isEqualTo("Host,X-Test|1");
        }
    }

    @Test
    void answers413AndClosesForAnEntityOverTheLimit() throws IOException {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response response = client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
                    .read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(client.closedByServer()).isTrue();
        }
        try (RawClient client = new RawClient(port)) {
            String chunk = "x".repeat(600);
            RawClient.Response response = client.send(
                            "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + "258\r\n" + chunk
                                    + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n")
                    .read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void answers400AndClosesForAMalformedRequestLine() throws IOException {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response response = client.send("GARBAGE\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void answers400AndClosesForContentLengthWithTransferEncoding() throws IOException {
        for (String framing : List.of(
                "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")) {
            try (RawClient client = new RawClient(port)) {
                RawClient.Response response = client.send("POST /echo HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n"
                                + "0\r\n\r\n" + get("/smuggled"))
                        .read();
                assertThat(response.status()).isEqualTo(400);
                assertThat(client.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void answers400ForTransferEncodingInHttp10AndForTwoHosts() throws IOException {
        for (String request : List.of(
                "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")) {
            try (RawClient client = new RawClient(port)) {
                assertThat(client.send(request).read().status()).isEqualTo(400);
                assertThat(client.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void answers400ForDifferingContentLengths() throws IOException {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response response = client.send(
                            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nhello")
                    .read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void answers400ForHttp11WithoutHost() throws IOException {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response response = client.send("GET / HTTP/1.1\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void answers400ForALongFieldAnd431ForAnOversizedHeadAnd414ForALongRequestLine() throws IOException {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response response = client.send(
                            "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(17_000) + "\r\n\r\n")
                    .read();
            assertThat(response.status()).as("http.sys MaxFieldLength").isEqualTo(400);
            assertThat(client.closedByServer()).isTrue();
        }
        try (RawClient client = new RawClient(port)) {
            RawClient.Response response = client.send("GET / HTTP/1.1\r\nHost: x\r\nX-A: " + "a".repeat(9_000)
                            + "\r\nX-B: " + "b".repeat(9_000) + "\r\n\r\n")
                    .read();
            assertThat(response.status()).as("http.sys MaxRequestBytes").isEqualTo(431);
            assertThat(client.closedByServer()).isTrue();
        }
        try (RawClient client = new RawClient(port)) {
            RawClient.Response response =
                    client.send(get("/" + "a".repeat(17_000))).read();
            assertThat(response.status()).isEqualTo(414);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void answersTheFirstPipelinedRequestBeforeRejectingAMalformedOne() throws IOException {
        try (RawClient client = new RawClient(port)) {
            client.send(get("/slow?ok") + "NOT HTTP\r\n\r\n");
            assertThat(client.read().text()).isEqualTo("/slow?ok");
            assertThat(client.read().status()).isEqualTo(400);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void answers500WhenTheDispatcherThrows() throws IOException {
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send(get("/throw")).read().status()).isEqualTo(500);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void closesIdleKeepAliveConnections() throws IOException {
        restartWithShortTimeout();
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send(get("/x")).read().status()).isEqualTo(200);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void closesAClientThatNeverFinishesItsHead() throws Exception {
        restartWithShortTimeout();
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.1\r\n");
            for (int i = 0; i < 6; i++) {
                Thread.sleep(100);
                try {
                    client.send("X-Trickle-" + i + ": y\r\n");
                } catch (IOException closed) {
                    break;
                }
            }
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void gracefulStopLetsAParkedRequestFinish() throws Exception {
        try (RawClient client = new RawClient(port);
                RawClient idle = new RawClient(port)) {
            assertThat(idle.send(get("/warm")).read().status()).isEqualTo(200);
            client.send(get("/park"));
            Exchange exchange = parked.get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(10)));
            // the idle connection is closed at once; the parked one stays open
            assertThat(idle.closedByServer()).isTrue();
            assertThat(stopped).isNotDone();
            assertThat(exchange.isConnected()).isTrue();
            byte[] body = "late".getBytes(StandardCharsets.UTF_8);
            exchange.eventLoop()
                    .execute(() -> exchange.write(head(200, body.length), List.of(DataChunk.ofBytes(body)), true));
            RawClient.Response response = client.read();
            assertThat(response.text()).isEqualTo("late");
            assertThat(response.header("connection")).isEqualTo("close");
            stopped.get(10, TimeUnit.SECONDS);
            assertThat(client.closedByServer()).isTrue();
        }
    }
}
