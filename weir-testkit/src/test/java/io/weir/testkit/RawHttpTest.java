package io.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RawHttp against a canned peer that sends fixed bytes after reading the request head. */
class RawHttpTest {

    private ServerSocket peer;

    private int serve(String bytes, boolean closeAfter) throws IOException {
        peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CompletableFuture.runAsync(() -> {
            try (Socket s = peer.accept()) {
                byte[] buf = new byte[4096];
                s.getInputStream().read(buf);
                s.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                if (!closeAfter) {
                    Thread.sleep(2000);
                }
            } catch (IOException | InterruptedException ignored) {
                // test over
            }
        });
        return peer.getLocalPort();
    }

    @AfterEach
    void closePeer() throws IOException {
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void readsContentLengthThenChunkedResponsesOffOneConnection() throws IOException {
        int port = serve(
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-A: 1\r\nX-A: 2\r\n\r\nabc"
                        + "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=1\r\nde\r\n1\r\nf\r\n0\r\nT: v\r\n\r\n",
                false);
        try (RawHttp http = RawHttp.connect(port)) {
            http.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response first = http.readResponse();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(first.headers("x-a")).containsExactly("1", "2");
            assertThat(first.bodyText()).isEqualTo("abc");
            RawHttp.Response second = http.readResponse();
            assertThat(second.status()).isEqualTo(404);
            assertThat(second.bodyText()).isEqualTo("def");
            assertThat(http.timeout(Duration.ofMillis(200)).awaitClose()).isFalse();
        }
    }

    @Test
    void readsABodyDelimitedByClose() throws IOException {
        int port = serve("HTTP/1.0 200 OK\r\n\r\nuntil the end", true);
        try (RawHttp http = RawHttp.connect(port)) {
            RawHttp.Response response = http.send("GET / HTTP/1.0\r\n\r\n").readResponse();
            assertThat(response.bodyText()).isEqualTo("until the end");
            assertThat(http.awaitClose()).isTrue();
        }
    }

    @Test
    void failsOnATruncatedBody() throws IOException {
        int port = serve("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true);
        try (RawHttp http = RawHttp.connect(port)) {
            http.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThatThrownBy(http::readResponse)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("3 of 10");
        }
    }
}
