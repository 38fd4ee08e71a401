package io.weir.examples.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestConfig;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The 1 GiB generated stream over loopback: every byte arrives in order, and the server (in this
 * JVM) holds no more than a few buffers while it streams: the live heap, measured after a
 * collection twice a second through the JVM's MemoryMXBean, grows by less than 64 MiB.
 */
class GeneratedStreamModuleHttpTest {

    private static final long LIMIT = 64L << 20;

    private static WeirTestServer start() {
        return WeirTestServer.start(
                WeirTestConfig.create().module("GeneratedStreamModule", GeneratedStreamModuleRegistration.class));
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void streamsOneGibibyteWithTheHeapGrowingLessThan64MiB() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (WeirTestServer server = start();
                Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(120_000);
            memory.gc();
            long baseline = memory.getHeapMemoryUsage().getUsed();
            AtomicLong peak = new AtomicLong(baseline);
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    memory.gc();
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long received;
            try {
                socket.getOutputStream()
                        .write("GET /data HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                received = readChunkedCheckingPattern(socket.getInputStream());
            } finally {
                sampler.interrupt();
                sampler.join(5_000);
            }
            System.out.printf(
                    "GeneratedStreamModuleHttpTest: %d bytes; live heap baseline %d MiB, peak growth %d KiB%n",
                    received, baseline >> 20, (peak.get() - baseline) >> 10);
            assertThat(received).isEqualTo(GeneratedStreamModule.DEFAULT_BYTES);
            assertThat(peak.get() - baseline)
                    .as("live heap growth while streaming, bytes")
                    .isLessThan(LIMIT);
        }
    }

    @Test
    void aSmallEntityArrivesWhole() {
        try (WeirTestServer server = start()) {
            RawHttp.Response r = RawHttp.exchange(
                    server.port(), "GET /data?bytes=100000 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).hasSize(100_000);
            for (int i = 0; i < r.body().length; i++) {
                assertThat(r.body()[i]).isEqualTo((byte) ('a' + i % 26));
            }
        }
    }

    /** Reads the head, then the chunked entity, checking byte i is 'a' + i % 26; returns the entity's length. */
    private static long readChunkedCheckingPattern(InputStream in) throws IOException {
        String status = line(in);
        assertThat(status).startsWith("HTTP/1.1 200");
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            chunked |= h.equalsIgnoreCase("Transfer-Encoding: chunked");
        }
        assertThat(chunked).isTrue();
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        while (true) {
            int size = Integer.parseInt(line(in).trim(), 16);
            if (size == 0) {
                return total;
            }
            int left = size;
            while (left > 0) {
                int n = in.read(buffer, 0, Math.min(left, buffer.length));
                if (n < 0) {
                    throw new IOException("connection closed inside a chunk after " + total + " bytes");
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != (byte) ('a' + (total + i) % 26)) {
                        throw new AssertionError("byte " + (total + i) + " is wrong");
                    }
                }
                total += n;
                left -= n;
            }
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
