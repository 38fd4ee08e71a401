package io.weir.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.WeirTestServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gigabyte up and a gigabyte down through the proxy, with the slow side pausing for two seconds
 * mid-way: back-pressure must keep what the server holds small. The server runs in this JVM, so
 * the heap retained (measured after a collection, every 250 ms) must not grow by more than 64 MiB.
 */
class ProxyStreamingIT {

    static final long GIGABYTE = 1L << 30;
    static final long HEAP_GROWTH_LIMIT = 64L << 20;

    @TempDir
    Path root;

    Backends.JdkBackend backend;
    WeirTestServer weir;

    @BeforeEach
    void start() {
        backend = new Backends.JdkBackend("stream");
        weir = WeirTestServer.start(
                ProxyConfig.xml(
                        "enabled=\"true\"",
                        ProxyConfig.direct("Direct", "/direct/*", "http://127.0.0.1:" + backend.port()),
                        ""),
                Map.of("ROOT", root.toString()));
    }

    @AfterEach
    void stop() {
        weir.close();
        backend.close();
    }

    /** Samples the heap retained after a collection while a transfer runs. */
    static final class HeapWatch implements AutoCloseable {
        final long baseline;
        final AtomicLong peak = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread;

        HeapWatch() {
            baseline = retained();
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(retained(), Math::max);
                    Backends.sleep(250);
                }
            });
        }

        static long retained() {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        long growth() {
            return Math.max(0, peak.get() - baseline);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void aGigabyteDownloadThroughASlowClientKeepsTheHeapSmall() throws Exception {
        HeapWatch watch = new HeapWatch();
        long received;
        try (watch;
                Socket socket = new Socket("127.0.0.1", weir.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /direct/big?n=" + GIGABYTE + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            String status = line(in);
            assertThat(status).startsWith("HTTP/1.1 200");
            boolean chunked = false;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                chunked |= h.equalsIgnoreCase("Transfer-Encoding: chunked");
            }
            assertThat(chunked)
                    .as("a response over responseBufferLimit is streamed")
                    .isTrue();
            received = readChunked(in, 256L << 20, 2000);
        }
        System.out.println("download: heap growth " + (watch.growth() >> 20) + " MiB over a baseline of "
                + (watch.baseline >> 20) + " MiB");
        assertThat(received).isEqualTo(GIGABYTE);
        assertThat(watch.growth()).as("heap growth in bytes").isLessThan(HEAP_GROWTH_LIMIT);
    }

    @Test
    void aGigabyteUploadToASlowBackendKeepsTheHeapSmall() throws Exception {
        backend.uploadPauseMillis = 2000;
        HeapWatch watch = new HeapWatch();
        String answer;
        try (watch;
                Socket socket = new Socket("127.0.0.1", weir.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /direct/up HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + GIGABYTE + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] block = new byte[64 * 1024];
            Arrays.fill(block, (byte) 'u');
            for (long sent = 0; sent < GIGABYTE; sent += block.length) {
                out.write(block);
            }
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String status = line(in);
            assertThat(status).startsWith("HTTP/1.1 200");
            long length = -1;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Long.parseLong(h.substring(15).strip());
                }
            }
            answer = new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
        }
        System.out.println("upload: heap growth " + (watch.growth() >> 20) + " MiB over a baseline of "
                + (watch.baseline >> 20) + " MiB");
        assertThat(answer).contains("length=" + GIGABYTE);
        assertThat(watch.growth()).as("heap growth in bytes").isLessThan(HEAP_GROWTH_LIMIT);
    }

    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("the connection closed before the end of a line; read so far: \"" + sb + "\"");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** Reads a chunked entity, counting its bytes; pauses once after {@code pauseAfter} bytes. */
    static long readChunked(InputStream in, long pauseAfter, long pauseMillis) throws IOException {
        long total = 0;
        byte[] skip = new byte[64 * 1024];
        boolean paused = false;
        while (true) {
            String size = line(in);
            int semi = size.indexOf(';');
            long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
            if (n == 0) {
                while (!line(in).isEmpty()) {
                    // trailers
                }
                return total;
            }
            long left = n;
            while (left > 0) {
                int r = in.read(skip, 0, (int) Math.min(skip.length, left));
                if (r < 0) {
                    throw new IOException("connection closed inside a chunk after " + total + " bytes");
                }
                left -= r;
                total += r;
            }
            line(in);
            if (!paused && total >= pauseAfter) {
                paused = true;
                Backends.sleep(pauseMillis);
            }
        }
    }
}
