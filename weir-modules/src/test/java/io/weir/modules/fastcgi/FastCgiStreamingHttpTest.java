package io.weir.modules.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FastCgiModule's streaming with php-cgi over loopback HTTP: a chunked upload reaches PHP with its
 * {@code CONTENT_LENGTH}, a client that stops reading stops PHP's writing (back-pressure), and a
 * process keeps its connection across requests ({@code FCGI_KEEP_CONN}).
 */
class FastCgiStreamingHttpTest {

    @TempDir
    static Path root;

    @TempDir
    static Path scratch;

    private static PhpSite site;

    @BeforeAll
    static void start() throws Exception {
        PhpSite.require(PhpSite.PHP_CGI, "php-cgi");
        Files.writeString(root.resolve("upload.php"), """
                <?php
                $in = fopen('php://input', 'rb');
                $md5 = hash_init('md5');
                $n = 0;
                while (!feof($in)) { $b = fread($in, 65536); $n += strlen($b); hash_update($md5, $b); }
                echo $n, ' ', hash_final($md5), ' ', $_SERVER['CONTENT_LENGTH'] ?? '(unset)', ' ',
                     $_SERVER['HTTP_TRANSFER_ENCODING'] ?? '(unset)';
                """);
        Files.writeString(root.resolve("paced.php"), """
                <?php
                header('Content-Type: application/octet-stream');
                $chunk = str_repeat('0123456789abcdef', 4096);
                for ($i = 1; $i <= 1600; $i++) { echo $chunk; flush(); file_put_contents($_GET['progress'], $i); }
                """);
        Files.writeString(root.resolve("sockets.php"), """
                <?php
                $s = [];
                foreach (scandir('/proc/self/fd') as $fd) {
                    $l = @readlink("/proc/self/fd/$fd");
                    if ($l !== false && str_starts_with($l, 'socket:')) { $s[] = $l; }
                }
                sort($s);
                echo getmypid(), ' ', implode(',', $s);
                """);
        site = PhpSite.start(
                root,
                """
                <application fullPath="/usr/bin/php-cgi" arguments="-d post_max_size=64M" maxInstances="2" />
                <application fullPath="/usr/bin/php-cgi" arguments="-d precision=12" maxInstances="1" />
                """,
                PhpSite.handler("Sockets", "sockets.php", "/usr/bin/php-cgi|-d precision=12")
                        + PhpSite.handler("PHP", "*.php", "/usr/bin/php-cgi|-d post_max_size=64M"));
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    private static void chunkedUpload(int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        // a body publisher of unknown length: the JDK client sends it with chunked transfer coding
        HttpResponse<String> r = site.client.send(
                HttpRequest.newBuilder(site.uri("/upload.php"))
                        .header("Content-Type", "application/octet-stream")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(size + " " + md5 + " " + size + " (unset)");
    }

    @Test
    void aSmallChunkedUploadReachesPhpWithItsContentLength() throws Exception {
        chunkedUpload(5000);
    }

    @Test
    void aChunkedUploadLargerThanTheMemoryPartSpillsToAFileAndReachesPhpWhole() throws Exception {
        chunkedUpload(3 * 1024 * 1024 + 17);
    }

    @Test
    void aClientThatStopsReadingStopsPhpsWritingAndGetsEveryByteWhenItReadsAgain() throws Exception {
        Path progress = scratch.resolve("progress");
        Files.writeString(progress, "0");
        long expected = 1600L * 65536;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", site.server.port()), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /paced.php?progress=" + progress
                            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            while (read < 5L * 1024 * 1024) {
                int n = in.read(buffer);
                assertThat(n).isPositive();
                read += n;
            }
            // the client stops reading: PHP may fill the socket buffers on the way, not write 100 MB
            Thread.sleep(3000);
            int writtenWhilePaused = Integer.parseInt(Files.readString(progress).strip());
            assertThat(writtenWhilePaused).isLessThan(800);
            for (int n; (n = in.read(buffer)) > 0; ) {
                read += n;
            }
            // the body and its chunk framing (plus the head): at least every byte PHP wrote
            assertThat(read).isGreaterThan(expected);
        }
        assertThat(Files.readString(progress).strip()).isEqualTo("1600");
    }

    @Test
    void aProcessKeepsItsConnectionFromOneRequestToTheNext() throws Exception {
        HttpResponse<String> first = site.get("/sockets.php");
        HttpResponse<String> second = site.get("/sockets.php");
        assertThat(first.statusCode()).isEqualTo(200);
        // the same process, holding the same sockets: its listening socket and the one connection
        assertThat(first.body().split(" ")[1].split(",")).hasSize(2);
        assertThat(second.body()).isEqualTo(first.body());
    }
}
