package io.weir.it.requestmodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.core.WeirEngine;
import io.weir.examples.asyncdelay.AsyncDelayModuleRegistration;
import io.weir.testkit.WeirTestServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load proof, in Java: 64 keep-alive connections send requests back to back for a few
 * seconds to a module that returns PENDING and completes 10 ms later from another thread
 * (docs/reference/native-module-model.md, "Statuses": PostCompletion → OnAsyncCompletion). Every request must be answered
 * exactly once (one well-formed response per request, nothing extra on the connection; the module's
 * counts of requests begun, completions and responses sent and the engine's count of ended requests
 * all equal the client's count) and the event-loop overrun counter must stay 0. The wrk version is
 * weir-it/async-under-load.sh.
 */
class AsyncUnderLoadIT {

    private static final int CONNECTIONS = 64;
    private static final long RUN_MILLIS = 5_000;
    private static final String BODY = "done after 10 ms\n";

    @TempDir
    Path root;

    private static String config() {
        return """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" /><section name="modules" /><section name="handlers" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites>
                    <site name="Load" id="1">
                      <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                      <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                    </site>
                  </sites></system.applicationHost>
                  <system.webServer>
                    <globalModules><add name="AsyncLoadIT" type="@TYPE@" /></globalModules>
                    <modules><add name="AsyncLoadIT" /></modules>
                    <handlers accessPolicy="Read" />
                  </system.webServer>
                </configuration>
                """.replace("@TYPE@", AsyncDelayModuleRegistration.class.getName());
    }

    /** Sends requests on one connection until the deadline; returns how many were answered. */
    private static long client(int port, long deadline) throws IOException {
        long answered = 0;
        byte[] request = "GET /async HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (System.nanoTime() < deadline) {
                out.write(request);
                out.flush();
                String status = line(in);
                if (!status.equals("HTTP/1.1 200 OK")) {
                    throw new IOException("unexpected status line: " + status);
                }
                int length = -1;
                for (String h = line(in); !h.isEmpty(); h = line(in)) {
                    if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(15).trim());
                    }
                }
                byte[] body = in.readNBytes(length);
                if (!new String(body, StandardCharsets.UTF_8).equals(BODY)) {
                    throw new IOException("unexpected body: " + new String(body, StandardCharsets.UTF_8));
                }
                answered++;
            }
            socket.setSoTimeout(300);
            try {
                int extra = in.read();
                throw new IOException("bytes after the last response (a second answer?): " + extra);
            } catch (SocketTimeoutException expected) {
                // nothing more: each request got exactly one response
            }
        }
        return answered;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void everyRequestAnsweredExactlyOnceAndNoOverrun() throws Exception {
        try (WeirTestServer server = WeirTestServer.start(config(), Map.of("ROOT", root.toString()))) {
            WeirEngine engine = server.server().engine();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
            long total = 0;
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Long>> results = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    results.add(clients.submit(() -> client(server.port(), deadline)));
                }
                for (Future<Long> f : results) {
                    total += f.get();
                }
            }
            for (int i = 0; i < 500 && engine.requestsInFlight() > 0; i++) {
                Thread.sleep(10);
            }
            AsyncDelayModuleRegistration.Counts counts =
                    AsyncDelayModuleRegistration.counts("AsyncLoadIT").orElseThrow();
            System.out.printf(
                    "AsyncUnderLoadIT: %d connections, %d ms: client answered %d; module %s; engine ended %d;"
                            + " overruns %d%n",
                    CONNECTIONS, RUN_MILLIS, total, counts, engine.requestsEnded(), engine.eventLoopOverruns());
            // 64 connections, each at most one request per 10 ms: at least a few thousand in 5 s.
            assertThat(total).isGreaterThan(CONNECTIONS);
            assertThat(counts.begun()).isEqualTo(total);
            assertThat(counts.completed()).isEqualTo(total);
            assertThat(counts.responses()).isEqualTo(total);
            assertThat(engine.requestsEnded()).isEqualTo(total);
            assertThat(engine.requestsInFlight()).isZero();
            assertThat(engine.eventLoopOverruns()).isZero();
        }
    }

    /**
     * Clients that go away while their request is parked: the completion still runs the final send
     * (dropped), LOG_REQUEST and END_REQUEST, so every request ends and none stays in flight.
     */
    @Test
    void requestsWhoseClientLeftWhileParkedStillEnd() throws Exception {
        try (WeirTestServer server = WeirTestServer.start(config(), Map.of("ROOT", root.toString()))) {
            WeirEngine engine = server.server().engine();
            byte[] request = "GET /gone HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            int clients = 200;
            for (int i = 0; i < clients; i++) {
                try (Socket socket = new Socket("127.0.0.1", server.port())) {
                    socket.getOutputStream().write(request);
                    socket.getOutputStream().flush();
                }
            }
            AsyncDelayModuleRegistration.Counts counts =
                    AsyncDelayModuleRegistration.counts("AsyncLoadIT").orElseThrow();
            for (int i = 0; i < 500 && (engine.requestsInFlight() > 0 || counts.begun() < clients); i++) {
                Thread.sleep(10);
            }
            assertThat(engine.requestsInFlight()).isZero();
            assertThat(counts.completed()).isEqualTo(counts.begun());
            assertThat(engine.requestsEnded()).isEqualTo(counts.begun());
            assertThat(engine.executingRequests(Duration.ofSeconds(1))).isEmpty();
        }
    }
}
