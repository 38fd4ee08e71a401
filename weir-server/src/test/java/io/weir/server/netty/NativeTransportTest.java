package io.weir.server.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.http.DataChunk;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.ResponseHead;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each socket transport that loads on this machine serves memory and file bodies over loopback. */
class NativeTransportTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(NativeTransport.PROPERTY);
    }

    @Test
    void theDefaultIsTheFirstAvailableOfTheDefaultOrder() {
        NativeTransport expected = NativeTransport.NIO;
        for (NativeTransport t : NativeTransport.DEFAULT_ORDER) {
            if (t.isAvailable()) {
                expected = t;
                break;
            }
        }
        assertThat(NativeTransport.select(null)).isEqualTo(expected);
        assertThat(NativeTransport.select(" ")).isEqualTo(expected);
        assertThat(NativeTransport.select("NIO")).isEqualTo(NativeTransport.NIO);
    }

    @Test
    void aNamedTransportIsTakenOrRefusedWithTheReason() {
        for (NativeTransport t : NativeTransport.values()) {
            if (t.isAvailable()) {
                assertThat(NativeTransport.select(t.label())).isEqualTo(t);
            } else {
                assertThatThrownBy(() -> NativeTransport.select(t.label()))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("cannot run on this machine");
            }
        }
        assertThatThrownBy(() -> NativeTransport.select("kqueue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no transport; use io_uring, epoll or nio");
    }

    @Test
    void theServerReadsTheProperty() {
        System.setProperty(NativeTransport.PROPERTY, "carrier-pigeon");
        assertThatThrownBy(() -> new NettyTransport(e -> {}, TransportSettings.defaults()))
                .hasMessageContaining("carrier-pigeon");
    }

    @Test
    void everyAvailableTransportServesMemoryAndFileBodies() throws Exception {
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("data.bin"), bytes);
        List<String> served = new ArrayList<>();
        for (NativeTransport t : NativeTransport.values()) {
            if (!t.isAvailable()) {
                continue;
            }
            System.setProperty(NativeTransport.PROPERTY, t.label());
            NettyTransport transport = new NettyTransport(e -> dispatch(e, file), TransportSettings.defaults());
            try {
                int port = transport.bind("127.0.0.1", 0).getPort();
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> hello = client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(hello.body()).as(t.label()).isEqualTo("Hello World");
                    HttpResponse<byte[]> whole = client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/file"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(whole.body()).as(t.label()).isEqualTo(bytes);
                }
                served.add(t.label());
            } finally {
                transport.closeConnections(1000);
                transport.shutdown();
            }
        }
        assertThat(served).contains("nio");
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(served).as("Netty's native epoll loads on Linux x86_64").contains("epoll");
        }
    }

    private static void dispatch(Exchange exchange, Path file) {
        List<Map.Entry<String, String>> headers = List.of(Map.entry("Content-Type", "application/octet-stream"));
        if (exchange.rawUri().equals("/file")) {
            long length = file.toFile().length();
            exchange.write(
                    new ResponseHead(200, "OK", headers, length, false), List.of(DataChunk.ofFile(file, length)), true);
        } else {
            byte[] body = "Hello World".getBytes(StandardCharsets.US_ASCII);
            exchange.write(
                    new ResponseHead(200, "OK", headers, body.length, false), List.of(DataChunk.ofBytes(body)), true);
        }
    }
}
