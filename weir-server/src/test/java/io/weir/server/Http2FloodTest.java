package io.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.http.DataChunk;
import io.weir.config.ApplicationHostConfig;
import io.weir.core.ListenAddress;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.ResponseHead;
import io.weir.server.http2.Http2Connections;
import io.weir.server.netty.TransportSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP/2 attacks of 2019-2024, each reproduced over a real connection (h2c prior knowledge; TLS
 * connections get the same HTTP/2 handlers): each must end in GOAWAY or RST_STREAM (or the
 * connection closed) while another connection, and for stream-level limits the same connection's
 * other streams, keep being served.
 */
class Http2FloodTest {

    private static final int ENHANCE_YOUR_CALM = 0xb;
    private static final int REFUSED_STREAM = 0x7;

    @TempDir
    Path dir;

    private WeirServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        ApplicationHostConfig config = ApplicationHostConfig.parse(
                "test", new ByteArrayInputStream("""
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost">
                      <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites weirH2c="true" /></system.applicationHost>
                </configuration>
                """.getBytes(StandardCharsets.UTF_8)), dir, Map.of());
        server = WeirServer.startTransport(
                this::dispatch,
                config,
                List.of(new ListenAddress("http", "127.0.0.1", 0)),
                TransportSettings.defaults().withConnectionTimeout(Duration.ofSeconds(2)));
        port = server.boundAddresses().get(0).getPort();
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    private final List<Exchange> held = new CopyOnWriteArrayList<>();

    private void dispatch(Exchange exchange) {
        if (exchange.rawUri().startsWith("/hold")) {
            held.add(exchange); // answered by the test, or cut when the server stops
            return;
        }
        byte[] body = ("you asked for " + exchange.rawUri() + " over " + exchange.protocolVersion())
                .getBytes(StandardCharsets.UTF_8);
        if (exchange.rawUri().startsWith("/big")) {
            byte[] big = new byte[1 << 20];
            exchange.write(
                    new ResponseHead(200, "OK", List.of(), big.length, false), List.of(DataChunk.ofBytes(big)), true);
            return;
        }
        exchange.write(
                new ResponseHead(200, "OK", List.of(Map.entry("Content-Type", "text/plain")), body.length, false),
                List.of(DataChunk.ofBytes(body)),
                true);
    }

    /** A fresh connection is served: the attack did not take the server down. */
    private void anotherConnectionIsServed() throws Exception {
        try (RawH2 other = new RawH2(port)) {
            assertThat(other.get(1, "/after")).isEqualTo("200");
        }
    }

    @Test
    void servesHttp2ByPriorKnowledgeAndHttp11OnTheSamePort() throws Exception {
        try (RawH2 h2 = new RawH2(port)) {
            assertThat(h2.get(1, "/one")).isEqualTo("200");
            assertThat(h2.get(3, "/two")).isEqualTo("200");
            RawH2.Frame data = h2.await(RawH2.DATA, 3, 5000);
            assertThat(new String(data.payload(), StandardCharsets.UTF_8)).isEqualTo("you asked for /two over HTTP/2");
        }
        try (RawClient http1 = new RawClient(port)) {
            assertThat(http1.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n")
                            .read()
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void upgradeToH2cServesTheUpgradingRequestAsStreamOneThenMoreStreams() throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        // RFC 7540 section 3.2; HTTP2-Settings: SETTINGS_MAX_CONCURRENT_STREAMS = 100, base64url
        socket.getOutputStream()
                .write(("GET /upgraded HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        InputStream in = socket.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b)
                    .as("the connection ended before the 101 was complete: " + head)
                    .isNotNegative();
            head.append((char) b);
        }
        assertThat(head.toString())
                .startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                .containsIgnoringCase("upgrade: h2c");
        try (RawH2 h2 = new RawH2(socket)) {
            RawH2.Frame headers = h2.await(RawH2.HEADERS, 1, 10_000);
            assertThat(headers).isNotNull().isNotSameAs(RawH2.CLOSED);
            assertThat(h2.status(headers)).isEqualTo("200");
            RawH2.Frame data = h2.await(RawH2.DATA, 1, 5000);
            assertThat(new String(data.payload(), StandardCharsets.UTF_8))
                    .isEqualTo("you asked for /upgraded over HTTP/2");
            // the connection is HTTP/2 from now on
            assertThat(h2.get(3, "/next")).isEqualTo("200");
            RawH2.Frame next = h2.await(RawH2.DATA, 3, 5000);
            assertThat(new String(next.payload(), StandardCharsets.UTF_8)).isEqualTo("you asked for /next over HTTP/2");
        }
        // a plain HTTP/1.1 request on an h2c listener is still served as HTTP/1.1
        try (RawClient http1 = new RawClient(port)) {
            assertThat(http1.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n")
                            .read()
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void rapidResetEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        try (RawH2 attacker = new RawH2(port)) {
            for (int i = 0; i < Http2Connections.MAX_RST_PER_WINDOW + 50; i++) {
                int stream = 1 + 2 * i;
                attacker.request(stream, "GET", "/r" + i, true);
                attacker.rst(stream, 0x8);
            }
            attacker.flush();
            RawH2.Frame goAway = attacker.await(RawH2.GOAWAY, 0, 10_000);
            assertThat(goAway).isNotNull().isNotEqualTo(RawH2.CLOSED);
            assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(attacker.awaitClosed(10_000)).isTrue();
        }
        anotherConnectionIsServed();
    }

    @Test
    void continuationFloodIsCutOff() throws Exception {
        try (RawH2 attacker = new RawH2(port)) {
            attacker.frame(RawH2.HEADERS, 0, 1, attacker.block("GET", "/c"));
            byte[] junk = attacker.block("GET", "/c", "x-filler", "a".repeat(1000));
            boolean cut = false;
            try {
                for (int i = 0; i < 10_000; i++) {
                    attacker.frame(RawH2.CONTINUATION, 0, 1, junk);
                }
                attacker.flush();
            } catch (IOException e) {
                cut = true; // the server closed while we were still flooding
            }
            RawH2.Frame goAway = attacker.await(RawH2.GOAWAY, 0, 10_000);
            assertThat(cut || (goAway != null && goAway != RawH2.CLOSED)).isTrue();
            assertThat(attacker.awaitClosed(10_000)).isTrue();
        }
        anotherConnectionIsServed();
    }

    @Test
    void hpackBombAndOversizedHeaderListsAreRefusedWhileTheConnectionGoesOn() throws Exception {
        try (RawH2 client = new RawH2(port)) {
            // a 3,000-byte header is added to the HPACK table once, then referenced by one byte each time:
            // 40 copies decode to about 120 KB, far beyond the 16 KiB header list limit
            String[] extra = new String[80];
            for (int i = 0; i < 80; i += 2) {
                extra[i] = "x-bomb";
                extra[i + 1] = "b".repeat(3000);
            }
            byte[] bomb = client.block("GET", "/bomb", extra);
            assertThat(bomb.length).isLessThan(4_000);
            client.frame(RawH2.HEADERS, 0x5, 1, bomb);
            client.flush();
            RawH2.Frame answer = awaitRefusal(client, 1);
            assertThat(answer).isNotNull();
            if (answer.type() == RawH2.HEADERS) {
                assertThat(client.status(answer)).isEqualTo("431");
            }
            if (answer.type() != RawH2.GOAWAY && answer != RawH2.CLOSED) {
                assertThat(client.get(3, "/next")).isEqualTo("200");
            }
        }
        anotherConnectionIsServed();
    }

    /** The first answer about a stream: its RST_STREAM or HEADERS, or the connection's GOAWAY or end. */
    private static RawH2.Frame awaitRefusal(RawH2 client, int stream) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            RawH2.Frame f = client.next(200);
            if (f == null) {
                continue;
            }
            if (f == RawH2.CLOSED
                    || f.type() == RawH2.GOAWAY
                    || (f.stream() == stream && (f.type() == RawH2.RST_STREAM || f.type() == RawH2.HEADERS))) {
                return f;
            }
        }
        return null;
    }

    @Test
    void settingsFloodFromAClientThatDoesNotReadEndsTheConnection() throws Exception {
        flood(RawH2.SETTINGS, new byte[0]);
    }

    @Test
    void pingFloodFromAClientThatDoesNotReadEndsTheConnection() throws Exception {
        flood(RawH2.PING, new byte[8]);
    }

    private void flood(int type, byte[] payload) throws Exception {
        try (RawH2 attacker = new RawH2(port, 4096, false, new byte[0])) {
            boolean cut = false;
            try {
                for (int i = 0; i < 400_000; i++) {
                    attacker.frame(type, 0, 0, payload);
                }
                attacker.flush();
            } catch (IOException e) {
                cut = true;
            }
            attacker.startReading();
            assertThat(cut || attacker.awaitClosed(20_000))
                    .as("the server ended the flooding connection")
                    .isTrue();
        }
        anotherConnectionIsServed();
    }

    @Test
    void emptyDataFramesEndTheConnection() throws Exception {
        try (RawH2 attacker = new RawH2(port)) {
            attacker.request(1, "POST", "/hold-upload", false); // held open: the server waits for the body
            for (int i = 0; i < 50; i++) {
                attacker.frame(RawH2.DATA, 0, 1, new byte[0]);
            }
            attacker.flush();
            // The server sends GOAWAY and closes. Frames of the attacker it has not read yet make
            // the kernel answer the close with a reset, which can discard the GOAWAY before the
            // client reads it, so the connection's end is what is checked; a timeout (null) fails.
            RawH2.Frame goAway = attacker.await(RawH2.GOAWAY, 0, 10_000);
            assertThat(goAway).isNotNull();
            assertThat(attacker.awaitClosed(10_000)).isTrue();
        }
        anotherConnectionIsServed();
    }

    @Test
    void streamsBeyondTheConcurrentLimitAreRefusedAndTheOthersServed() throws Exception {
        try (RawH2 client = new RawH2(port)) {
            // open the limit's worth of streams the server holds unanswered
            for (int i = 0; i < Http2Connections.MAX_CONCURRENT_STREAMS; i++) {
                client.request(1 + 2 * i, "GET", "/hold" + i, true);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (held.size() < Http2Connections.MAX_CONCURRENT_STREAMS && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(held).hasSize(Http2Connections.MAX_CONCURRENT_STREAMS);
            int extra = 1 + 2 * Http2Connections.MAX_CONCURRENT_STREAMS;
            client.request(extra, "GET", "/one-too-many", true);
            RawH2.Frame refused = client.await(RawH2.RST_STREAM, extra, 10_000);
            assertThat(refused).isNotNull().isNotEqualTo(RawH2.CLOSED);
            assertThat(refused.errorCode()).isEqualTo(REFUSED_STREAM);
            // the held streams are still served: answer one, and a new stream fits again
            Exchange first = held.get(0);
            first.eventLoop()
                    .execute(() -> first.write(
                            new ResponseHead(200, "OK", List.of(), 2, false), List.of(DataChunk.ofUtf8("ok")), true));
            RawH2.Frame answered = client.await(RawH2.HEADERS, 1, 10_000);
            assertThat(answered).isNotNull().isNotEqualTo(RawH2.CLOSED);
            assertThat(client.status(answered)).isEqualTo("200");
            assertThat(client.get(extra + 2, "/after-refusal")).isEqualTo("200");
        }
        anotherConnectionIsServed();
    }

    @Test
    void zeroWindowStallIsClosedAfterTheConnectionTimeout() throws Exception {
        // SETTINGS_INITIAL_WINDOW_SIZE = 0: the server may not send one DATA byte until the client allows it
        byte[] zeroWindow = {0, 4, 0, 0, 0, 0};
        try (RawH2 staller = new RawH2(port, 0, true, zeroWindow)) {
            staller.request(1, "GET", "/big", true);
            long started = System.nanoTime();
            assertThat(staller.awaitClosed(15_000)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
        anotherConnectionIsServed();
    }
}
