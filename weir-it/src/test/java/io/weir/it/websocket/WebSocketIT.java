package io.weir.it.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket through a handler module (HttpContext.acceptWebSocket and the IWebSocketContext-style
 * WebSocketContext): echo checked with the JDK's java.net.http.WebSocket, and RFC 6455 cases
 * (control frames, fragmentation, close codes, invalid UTF-8, oversize and unmasked frames) with
 * frames written by hand on a raw socket.
 */
class WebSocketIT {

    @TempDir
    Path root;

    WeirTestServer weir;

    @AfterEach
    void stop() {
        if (weir != null) {
            weir.close();
        }
    }

    WeirTestServer start(String webSocketAttributes) {
        String xml = """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" /><section name="modules" /><section name="handlers" />
                      <section name="webSocket" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites>
                    <site name="Test" id="1">
                      <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                      <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                    </site>
                  </sites></system.applicationHost>
                  <system.webServer>
                    <globalModules><add name="Echo" type="io.weir.it.websocket.EchoWebSocketHandler" /></globalModules>
                    <modules><add name="Echo" /></modules>
                    <handlers>
                      <add name="Echo" path="*" verb="*" modules="Echo" resourceType="Unspecified" requireAccess="None" />
                    </handlers>
                    <webSocket @WS@ />
                  </system.webServer>
                </configuration>
                """.replace("@WS@", webSocketAttributes);
        weir = WeirTestServer.start(xml, Map.of("ROOT", root.toString()));
        return weir;
    }

    /** Collects what the JDK client receives. */
    static final class Collector implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add("text:" + text);
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                messages.add("binary:" + binary.size());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    @Test
    void theJdkClientGetsItsMessagesEchoedAndClosesCleanly() throws Exception {
        start("");
        Collector collector = new Collector();
        WebSocket ws = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + weir.port() + "/echo"), collector)
                .get(10, TimeUnit.SECONDS);
        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(collector.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("text:hello");
        ws.sendText("in ", false).get(5, TimeUnit.SECONDS);
        ws.sendText("three ", false).get(5, TimeUnit.SECONDS);
        ws.sendText("fragments é", true).get(5, TimeUnit.SECONDS);
        assertThat(collector.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("text:in three fragments é");
        byte[] big = new byte[200_000];
        ws.sendBinary(ByteBuffer.wrap(big), true).get(5, TimeUnit.SECONDS);
        assertThat(collector.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("binary:200000");
        ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        assertThat(collector.closed.get(5, TimeUnit.SECONDS)).startsWith("1000");
        // the request ended: a new one on a new connection is served
        RawHttp.Response plain = RawHttp.exchange(weir.port(), "GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(plain.status()).isEqualTo(400);
    }

    @Test
    void manyClientsAtOnceEachGetTheirOwnEcho() throws Exception {
        start("");
        List<WebSocket> sockets = new ArrayList<>();
        List<Collector> collectors = new ArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 20; i++) {
            Collector c = new Collector();
            collectors.add(c);
            sockets.add(client.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + weir.port() + "/e"), c)
                    .get(10, TimeUnit.SECONDS));
        }
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < sockets.size(); i++) {
                sockets.get(i).sendText("c" + i + "r" + round, true).get(5, TimeUnit.SECONDS);
            }
            for (int i = 0; i < sockets.size(); i++) {
                assertThat(collectors.get(i).messages.poll(5, TimeUnit.SECONDS)).isEqualTo("text:c" + i + "r" + round);
            }
        }
        for (WebSocket s : sockets) {
            s.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        }
    }

    // --- RFC 6455 cases on a raw socket ---------------------------------------------------------------

    /** A raw WebSocket client: writes masked frames, reads the server's frames. */
    static final class RawWs implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final DataInputStream in;

        RawWs(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
            String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
            out.write(("GET /raw HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String status = line(in);
            assertThat(status).startsWith("HTTP/1.1 101");
            boolean accept = false;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                // RFC 6455 section 1.3: base64(SHA-1(key + GUID)) for this key
                accept |= h.equalsIgnoreCase("Sec-WebSocket-Accept: " + acceptFor(key));
            }
            assertThat(accept).as("Sec-WebSocket-Accept").isTrue();
        }

        static String acceptFor(String key) {
            try {
                byte[] sha = MessageDigest.getInstance("SHA-1")
                        .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
                return Base64.getEncoder().encodeToString(sha);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        void send(boolean fin, int opcode, byte[] payload, boolean masked) throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write((fin ? 0x80 : 0) | opcode);
            int maskBit = masked ? 0x80 : 0;
            if (payload.length < 126) {
                frame.write(maskBit | payload.length);
            } else if (payload.length < 65536) {
                frame.write(maskBit | 126);
                frame.write(payload.length >> 8);
                frame.write(payload.length & 0xff);
            } else {
                frame.write(maskBit | 127);
                for (int i = 7; i >= 0; i--) {
                    frame.write((int) ((long) payload.length >> (8 * i)) & 0xff);
                }
            }
            byte[] mask = {0x11, 0x22, 0x33, 0x44};
            if (masked) {
                frame.write(mask);
            }
            for (int i = 0; i < payload.length; i++) {
                frame.write(masked ? payload[i] ^ mask[i % 4] : payload[i]);
            }
            out.write(frame.toByteArray());
            out.flush();
        }

        /** @return {opcode, fin, payload} of the next server frame */
        Object[] read() throws IOException {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            assertThat(b1 & 0x80).as("server frames are not masked").isZero();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            return new Object[] {b0 & 0x0f, (b0 & 0x80) != 0, payload};
        }

        int readCloseCode() throws IOException {
            Object[] f = read();
            while ((int) f[0] != 8) {
                f = read();
            }
            byte[] p = (byte[]) f[2];
            return p.length >= 2 ? ((p[0] & 0xff) << 8) | (p[1] & 0xff) : 1005;
        }

        boolean closedByServer() {
            try {
                return in.read() < 0;
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsPayload() throws Exception {
        start("");
        try (RawWs ws = new RawWs(weir.port())) {
            ws.send(true, 0x9, "are you there".getBytes(StandardCharsets.UTF_8), true);
            Object[] pong = ws.read();
            assertThat(pong[0]).isEqualTo(0xA);
            assertThat(new String((byte[]) pong[2], StandardCharsets.UTF_8)).isEqualTo("are you there");
        }
    }

    @Test
    void fragmentsWithControlFramesBetweenThemAreEchoedInOrder() throws Exception {
        start("");
        try (RawWs ws = new RawWs(weir.port())) {
            ws.send(false, 0x1, "Hel".getBytes(StandardCharsets.UTF_8), true);
            ws.send(true, 0x9, new byte[0], true); // a ping between fragments (RFC 6455 section 5.4)
            ws.send(true, 0x0, "lo".getBytes(StandardCharsets.UTF_8), true);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Object[] f = ws.read();
                got.add(f[0] + ":" + f[1] + ":" + new String((byte[]) f[2], StandardCharsets.UTF_8));
            }
            assertThat(got).containsExactlyInAnyOrder("1:false:Hel", "10:true:", "0:true:lo");
            assertThat(got.indexOf("1:false:Hel")).isLessThan(got.indexOf("0:true:lo"));
        }
    }

    @Test
    void aCloseIsAnsweredWithTheSameCodeAndTheConnectionCloses() throws Exception {
        start("");
        try (RawWs ws = new RawWs(weir.port())) {
            ws.send(true, 0x8, new byte[] {0x03, (byte) 0xE8, 'o', 'k'}, true);
            assertThat(ws.readCloseCode()).isEqualTo(1000);
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    @Test
    void invalidUtf8TextClosesWith1007() throws Exception {
        start("");
        try (RawWs ws = new RawWs(weir.port())) {
            ws.send(true, 0x1, new byte[] {'a', (byte) 0xC3, 0x28}, true);
            assertThat(ws.readCloseCode()).isEqualTo(1007);
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    @Test
    void aFrameOverReceiveBufferLimitClosesWith1009() throws Exception {
        start("receiveBufferLimit=\"4096\"");
        try (RawWs ws = new RawWs(weir.port())) {
            ws.send(true, 0x2, new byte[4096], true);
            assertThat((int) ws.read()[0]).isEqualTo(0x2);
            ws.send(true, 0x2, new byte[5000], true);
            assertThat(ws.readCloseCode()).isEqualTo(1009);
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    @Test
    void protocolErrorsCloseWith1002() throws Exception {
        start("");
        // an unmasked client frame (RFC 6455 section 5.1)
        try (RawWs ws = new RawWs(weir.port())) {
            ws.send(true, 0x1, "x".getBytes(StandardCharsets.UTF_8), false);
            assertThat(ws.readCloseCode()).isEqualTo(1002);
        }
        // a continuation with no message started
        try (RawWs ws = new RawWs(weir.port())) {
            ws.send(true, 0x0, "x".getBytes(StandardCharsets.UTF_8), true);
            assertThat(ws.readCloseCode()).isEqualTo(1002);
        }
        // a fragmented control frame
        try (RawWs ws = new RawWs(weir.port())) {
            ws.send(false, 0x9, "x".getBytes(StandardCharsets.UTF_8), true);
            assertThat(ws.readCloseCode()).isEqualTo(1002);
        }
        // a close code that may not be sent (RFC 6455 section 7.4.1: 1005): the connection is failed;
        // Netty's codec closes it without a Close of its own once it has seen the client's Close
        try (RawWs ws = new RawWs(weir.port())) {
            ws.send(true, 0x8, new byte[] {0x03, (byte) 0xED}, true);
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    @Test
    void withWebSocketDisabledTheUpgradeIsRefused() throws Exception {
        start("enabled=\"false\"");
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        RawHttp.Response r = RawHttp.exchange(
                weir.port(),
                "GET /raw HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertThat(r.status()).isEqualTo(400);
    }
}
