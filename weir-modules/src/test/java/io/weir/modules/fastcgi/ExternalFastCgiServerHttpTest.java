package io.weir.modules.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weir's external mode: {@code scriptProcessor="unix:/path"} and {@code "tcp://host:port"} send
 * requests to a php-fpm the test starts (Debian's php-fpm8.2), with no pool of Weir's.
 */
class ExternalFastCgiServerHttpTest {

    private static final String PHP_FPM = "/usr/sbin/php-fpm8.2";

    @TempDir
    static Path root;

    @TempDir
    static Path run;

    private static Process fpm;
    private static PhpSite site;
    private static int tcpPort;

    @BeforeAll
    static void start() throws Exception {
        PhpSite.require(PHP_FPM, "php-fpm");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tcpPort = s.getLocalPort();
        }
        Files.writeString(run.resolve("fpm.conf"), """
                [global]
                pid = %1$s/fpm.pid
                error_log = %1$s/fpm.log
                daemonize = no
                [unix]
                listen = %1$s/fpm.sock
                pm = static
                pm.max_children = 2
                [tcp]
                listen = 127.0.0.1:%2$d
                pm = static
                pm.max_children = 1
                """.formatted(run, tcpPort));
        fpm = new ProcessBuilder(
                        PHP_FPM, "-n", "-F", "-R", "-y", run.resolve("fpm.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(run.resolve("fpm.out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!Files.exists(run.resolve("fpm.sock")) && System.nanoTime() < deadline && fpm.isAlive()) {
            Thread.sleep(20);
        }
        assertThat(run.resolve("fpm.sock"))
                .as("php-fpm socket (log: %s)", run.resolve("fpm.out"))
                .exists();
        Files.writeString(root.resolve("who.php"), """
                <?php
                echo PHP_SAPI, ' ', $_SERVER['SCRIPT_FILENAME'], ' ', $_SERVER['REQUEST_URI'], ' ', $_SERVER['SCRIPT_NAME'], ' ',
                     file_get_contents('php://input');
                """);
        Files.writeString(root.resolve("tcp.php"), "<?php echo 'over tcp ', PHP_SAPI, ' ', $_GET['q'] ?? '';");
        Files.writeString(root.resolve("gone.php"), "<?php echo 'never';");
        Files.writeString(root.resolve("status.php"), """
                <?php
                header('Status: 404 Not Found');
                header('X-From: fpm');
                echo 'missing';
                """);
        // 6 MiB: past the default responseBufferLimit (4 MiB), so the response is streamed
        Files.writeString(root.resolve("big.php"), """
                <?php
                $line = str_repeat('0123456789abcdef', 4) . "\n";
                for ($i = 0; $i < 98304; $i++) { echo $line; }
                """);
        site = PhpSite.start(
                root,
                "",
                PhpSite.handler("FPM-tcp", "tcp.php", "tcp://127.0.0.1:" + tcpPort)
                        + PhpSite.handler("FPM-gone", "gone.php", "unix:" + run.resolve("nobody-listens.sock"))
                        + PhpSite.handler("FPM", "*.php", "unix:" + run.resolve("fpm.sock")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
        if (fpm != null) {
            fpm.destroy();
            if (!fpm.waitFor(10, TimeUnit.SECONDS)) {
                fpm.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void requestsGoToPhpFpmOverItsUnixSocket() throws Exception {
        HttpResponse<String> r = site.client.send(
                HttpRequest.newBuilder(site.uri("/who.php?x=1"))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString("posted"))
                        .header("Content-Type", "text/plain")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("fpm-fcgi " + root.resolve("who.php") + " /who.php?x=1 /who.php posted");
    }

    @Test
    void requestsGoToPhpFpmOverTcp() throws Exception {
        HttpResponse<String> r = site.get("/tcp.php?q=yes");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("over tcp fpm-fcgi yes");
    }

    @Test
    void theScriptsStatusAndHeadersComeBackOnAGetWithoutEntity() throws Exception {
        HttpResponse<String> r = site.get("/status.php");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("X-From")).hasValue("fpm");
        assertThat(r.body()).isEqualTo("missing");
    }

    @Test
    void aResponsePastTheBufferLimitIsStreamedWhole() throws Exception {
        HttpResponse<byte[]> r = site.client.send(
                HttpRequest.newBuilder(site.uri("/big.php"))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        String line = "0123456789abcdef".repeat(4) + "\n";
        assertThat(r.body()).hasSize(line.length() * 98304);
        assertThat(new String(r.body(), 0, line.length() * 2, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo(line + line);
        assertThat(r.headers().firstValue("Content-Length")).isEmpty();
    }

    @Test
    void concurrentRequestsBeyondTheWorkersAllGetTheirOwnAnswer() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            sent.add(site.client.sendAsync(
                    HttpRequest.newBuilder(site.uri("/tcp.php?q=" + i))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < sent.size(); i++) {
            HttpResponse<String> r = sent.get(i).get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("over tcp fpm-fcgi " + i);
        }
    }

    @Test
    void anExternalServerThatDoesNotListenGives502Point3() throws Exception {
        HttpResponse<String> r = site.get("/gone.php");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("502.3");
        assertThat(site.get("/who.php").statusCode()).isEqualTo(200);
    }
}
