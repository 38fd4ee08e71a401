package io.weir.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy in front of Python's {@code http.server}, started by the test in its own process. */
class PythonBackendIT {

    @TempDir
    Path root;

    @TempDir
    Path pythonRoot;

    static boolean pythonAvailable() {
        try {
            return new ProcessBuilder("python3", "--version")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void awaitListening(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive())
                    .as("python3 -m http.server is running")
                    .isTrue();
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("python3 -m http.server did not listen on " + port);
    }

    @Test
    void filesServedByPythonsHttpServerComeThroughTheProxy() throws Exception {
        boolean python = pythonAvailable();
        if ("true".equals(System.getenv("CI"))) {
            assertThat(python).as("python3 on the PATH (CI installs it)").isTrue();
        }
        assumeTrue(python, "python3 is not on the PATH");
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        Files.write(pythonRoot.resolve("big.txt"), big);
        Files.writeString(pythonRoot.resolve("hello.txt"), "hello from python\n");
        int port = freePort();
        Process python3 = new ProcessBuilder(
                        "python3", "-m", "http.server", String.valueOf(port), "--bind", "127.0.0.1")
                .directory(pythonRoot.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            awaitListening(port, python3);
            try (WeirTestServer weir = WeirTestServer.start(
                    ProxyConfig.xml(
                            "enabled=\"true\"", ProxyConfig.direct("Python", "/py/*", "http://127.0.0.1:" + port), ""),
                    Map.of("ROOT", root.toString()))) {
                // the backend sees /py/hello.txt: map it back with a rewrite-style URL instead
                RawHttp.Response hello = RawHttp.exchange(
                        weir.port(),
                        "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n" + "X-Test-Proxy-To: http://127.0.0.1:" + port
                                + "\r\n\r\n");
                assertThat(hello.status()).isEqualTo(200);
                assertThat(hello.bodyText()).isEqualTo("hello from python\n");
                assertThat(hello.header("Server"))
                        .hasValueSatisfying(v -> assertThat(v).contains("Python"));
                RawHttp.Response large = RawHttp.exchange(
                        weir.port(),
                        "GET /big.txt HTTP/1.1\r\nHost: localhost\r\n" + "X-Test-Proxy-To: http://127.0.0.1:" + port
                                + "\r\n\r\n");
                assertThat(large.body()).isEqualTo(big);
                RawHttp.Response missing =
                        RawHttp.exchange(weir.port(), "GET /py/none.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(missing.status()).isEqualTo(404);
                assertThat(new String(missing.body(), StandardCharsets.UTF_8)).contains("File not found");
            }
        } finally {
            python3.destroy();
            python3.waitFor();
        }
    }
}
