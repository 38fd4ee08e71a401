package io.weir.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket pass-through in the reverse proxy: the JDK's WebSocket client talks to Weir, which
 * relays the upgrade and the frames to an echo server written with Netty's WebSocket codec.
 */
class ProxyWebSocketIT {

    @TempDir
    Path root;

    /** Collects what the client receives: messages (text as is, binary as "bytes:N"), then "close CODE REASON". */
    static final class Received implements WebSocket.Listener {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private int binary;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            binary += data.remaining();
            if (last) {
                events.add("bytes:" + binary);
                binary = 0;
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            events.add("close " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            events.add("error " + error);
        }

        String next() throws InterruptedException {
            String e = events.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("an event within 20 s").isNotNull();
            return e;
        }
    }

    private WeirTestServer weir(int backendPort) {
        return WeirTestServer.start(
                ProxyConfig.xml(
                        "enabled=\"true\"", ProxyConfig.direct("Ws", "/ws/*", "http://127.0.0.1:" + backendPort), ""),
                Map.of("ROOT", root.toString()));
    }

    private static WebSocket connect(HttpClient client, int port, String path, Received listener)
            throws InterruptedException, ExecutionException {
        return client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), listener)
                .get();
    }

    @Test
    void messagesAreRelayedBothWaysAndTheClientsCloseReachesTheBackend() throws Exception {
        try (NettyWebSocketBackend backend = new NettyWebSocketBackend();
                WeirTestServer weir = weir(backend.port());
                HttpClient client = HttpClient.newHttpClient()) {
            Received received = new Received();
            WebSocket ws = connect(client, weir.port(), "/ws/echo?room=1", received);
            ws.sendText("hello through the proxy", true).get();
            assertThat(received.next()).isEqualTo("hello through the proxy");
            ws.sendText("fragmented ", false).get();
            ws.sendText("message", true).get();
            assertThat(received.next()).isEqualTo("fragmented message");
            byte[] big = new byte[300_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) i;
            }
            ws.sendBinary(ByteBuffer.wrap(big), true).get();
            assertThat(received.next()).isEqualTo("bytes:300000");
            List<CompletableFuture<WebSocket>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add(ws.sendText("m" + i, true));
                sent.get(i).get();
            }
            for (int i = 0; i < 200; i++) {
                assertThat(received.next()).isEqualTo("m" + i);
            }
            ws.sendClose(1000, "bye").get();
            // Weir answers the client's Close itself (same code); the backend gets the client's Close
            assertThat(received.next()).isEqualTo("close 1000 ");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (backend.closes.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(backend.closes).containsExactly("1000 bye");
            // the backend saw the upgrade with the proxy's headers
            assertThat(backend.upgradeHeaders)
                    .anySatisfy(h -> assertThat(h).startsWith("X-Forwarded-For: 127.0.0.1:"))
                    .anySatisfy(h -> assertThat(h).isEqualTo("X-Original-URL: /ws/echo?room=1"))
                    .anySatisfy(h -> assertThat(h).isEqualToIgnoringCase("upgrade: websocket"));
        }
    }

    @Test
    void theClientGetsTheSubprotocolTheBackendChoseFromItsOffer() throws Exception {
        try (NettyWebSocketBackend backend = new NettyWebSocketBackend("chat.v2, chat.v3");
                WeirTestServer weir = weir(backend.port());
                HttpClient client = HttpClient.newHttpClient()) {
            Received received = new Received();
            WebSocket ws = client.newWebSocketBuilder()
                    .subprotocols("chat.v1", "chat.v2", "chat.v3")
                    .buildAsync(URI.create("ws://127.0.0.1:" + weir.port() + "/ws/echo"), received)
                    .get();
            // the backend's choice (the first of the offer it supports), not the client's first
            assertThat(ws.getSubprotocol()).isEqualTo("chat.v2");
            assertThat(backend.upgradeHeaders).anySatisfy(h -> assertThat(h)
                    .isEqualToIgnoringCase("sec-websocket-protocol: chat.v1, chat.v2, chat.v3"));
            ws.sendText("with a subprotocol", true).get();
            assertThat(received.next()).isEqualTo("with a subprotocol");
            ws.sendClose(1000, "").get();
            assertThat(received.next()).startsWith("close 1000");
        }
    }

    @Test
    void noSubprotocolReachesTheClientWhenTheBackendSupportsNoneOfTheOffer() throws Exception {
        try (NettyWebSocketBackend backend = new NettyWebSocketBackend("other");
                WeirTestServer weir = weir(backend.port());
                HttpClient client = HttpClient.newHttpClient()) {
            Received received = new Received();
            WebSocket ws = client.newWebSocketBuilder()
                    .subprotocols("chat.v1")
                    .buildAsync(URI.create("ws://127.0.0.1:" + weir.port() + "/ws/echo"), received)
                    .get();
            assertThat(ws.getSubprotocol()).isEmpty();
            ws.sendText("without one", true).get();
            assertThat(received.next()).isEqualTo("without one");
            ws.sendClose(1000, "").get();
            assertThat(received.next()).startsWith("close 1000");
        }
    }

    @Test
    void aBackendChoosingASubprotocolTheClientDidNotOfferGives502Point3() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                WeirTestServer weir = weir(backend.getLocalPort())) {
            Thread answer = Thread.ofVirtual().start(() -> {
                try (Socket s = backend.accept()) {
                    String head = readHead(s.getInputStream());
                    String key = head.lines()
                            .filter(l -> l.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18))
                            .map(l -> l.substring(18).strip())
                            .findFirst()
                            .orElseThrow();
                    String accept = Base64.getEncoder()
                            .encodeToString(MessageDigest.getInstance("SHA-1")
                                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                                            .getBytes(StandardCharsets.ISO_8859_1)));
                    s.getOutputStream()
                            .write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                            + "Sec-WebSocket-Accept: " + accept
                                            + "\r\nSec-WebSocket-Protocol: evil\r\n\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    s.getInputStream().read();
                } catch (Exception e) {
                    // the test's assertions tell
                }
            });
            RawHttp.Response r = RawHttp.exchange(
                    weir.port(),
                    "GET /ws/echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                            + "Sec-WebSocket-Protocol: chat.v1\r\n\r\n");
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).contains("502.3");
            answer.join(10_000);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    @Test
    void aCloseFromTheBackendReachesTheClient() throws Exception {
        try (NettyWebSocketBackend backend = new NettyWebSocketBackend();
                WeirTestServer weir = weir(backend.port());
                HttpClient client = HttpClient.newHttpClient()) {
            Received received = new Received();
            WebSocket ws = connect(client, weir.port(), "/ws/echo", received);
            ws.sendText("close-me", true).get();
            assertThat(received.next()).isEqualTo("close 4000 backend closing");
        }
    }

    @Test
    void aBackendThatRefusesTheUpgradeGivesItsStatus() throws Exception {
        try (NettyWebSocketBackend backend = new NettyWebSocketBackend();
                WeirTestServer weir = WeirTestServer.start(
                        ProxyConfig.xml(
                                "enabled=\"true\"",
                                ProxyConfig.direct("Ws", "/other/*", "http://127.0.0.1:" + backend.port()),
                                ""),
                        Map.of("ROOT", root.toString()));
                HttpClient client = HttpClient.newHttpClient()) {
            assertThatThrownBy(() -> connect(client, weir.port(), "/other/x", new Received()))
                    .hasCauseInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause())
                                    .getResponse()
                                    .statusCode())
                            .isEqualTo(404));
        }
    }

    @Test
    void anUnreachableBackendGives502Point3() throws Exception {
        int port = PythonBackendIT.freePort();
        try (WeirTestServer weir = weir(port)) {
            RawHttp.Response r = RawHttp.exchange(
                    weir.port(),
                    "GET /ws/echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).contains("502.3");
        }
    }
}
