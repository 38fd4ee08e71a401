package io.weir.examples.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.examples.ExampleConfig;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The echo sample mapped for POST and PUT over loopback: Content-Length and chunked entities, an
 * entity sent in pieces with pauses (so reads go PENDING and complete later), an empty entity, a
 * GET that still reaches the static file handler, and keep-alive across echoes.
 */
class EchoModuleHttpTest {

    @TempDir
    Path siteRoot;

    private WeirTestServer start() {
        String xml = new ExampleConfig()
                .globalModule("EchoModule", "type=\"" + EchoModuleRegistration.class.getName() + "\"")
                .module("EchoModule")
                .handler("Echo", "POST,PUT", "EchoModule")
                .toXml();
        return WeirTestServer.start(xml, Map.of("WEIR_SITE_ROOT", siteRoot.toString()));
    }

    @Test
    void echoesAContentLengthBodyAndItsContentType() {
        try (WeirTestServer server = start();
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("POST /anything HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 13\r\n\r\n{\"echo\":true}");
            RawHttp.Response r = http.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("{\"echo\":true}");
            assertThat(r.header("Content-Type")).contains("application/json");
            assertThat(r.header("Content-Length")).contains("13");
        }
    }

    @Test
    void echoesAChunkedBodySentInPiecesAndKeepsTheConnection() throws Exception {
        try (WeirTestServer server = start();
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("PUT /x HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                Thread.sleep(40);
                String piece = "piece-" + i + ";";
                expected.append(piece);
                http.send(Integer.toHexString(piece.length()) + "\r\n" + piece + "\r\n");
            }
            http.send("0\r\n\r\n");
            RawHttp.Response r = http.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(expected.toString());
            assertThat(r.header("Content-Type")).contains("application/octet-stream");

            http.send("POST /again HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nok");
            assertThat(http.readResponse().bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void echoesAMegabyteUnchanged() {
        byte[] body = new byte[1024 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + (i >> 9));
        }
        try (WeirTestServer server = start();
                RawHttp http = RawHttp.connect(server.port())) {
            http.timeout(Duration.ofSeconds(30));
            http.send("POST /big HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length + "\r\n\r\n");
            http.send(body);
            RawHttp.Response r = http.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(Arrays.equals(r.body(), body))
                    .as("the echoed megabyte equals the one sent")
                    .isTrue();
        }
    }

    @Test
    void anEmptyEntityGivesAnEmpty200AndGetStillServesFiles() throws Exception {
        Files.writeString(siteRoot.resolve("page.txt"), "static");
        try (WeirTestServer server = start();
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("POST /empty HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
            RawHttp.Response empty = http.readResponse();
            assertThat(empty.status()).isEqualTo(200);
            assertThat(empty.body()).isEmpty();
            http.send("GET /page.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(new String(http.readResponse().body(), StandardCharsets.UTF_8))
                    .isEqualTo("static");
        }
    }
}
