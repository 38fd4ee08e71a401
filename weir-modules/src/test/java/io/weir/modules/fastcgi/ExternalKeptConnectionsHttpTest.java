package io.weir.modules.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kept connections ({@code FCGI_KEEP_CONN}) to a php-fpm the test starts (Debian's php-fpm8.2): an
 * external {@code scriptProcessor} with a {@code fastCgi} entry of the same {@code fullPath} reuses
 * its connections across requests within the entry's {@code maxInstances} and
 * {@code queueLength}, and replaces a connection php-fpm closed (a worker recycled after
 * {@code pm.max_requests}, or killed). A forwarder between Weir and php-fpm counts the TCP
 * connections Weir opens.
 */
class ExternalKeptConnectionsHttpTest {

    private static final String PHP_FPM = "/usr/sbin/php-fpm8.2";

    @TempDir
    static Path root;

    @TempDir
    static Path run;

    private static final ExecutorService CONCURRENT = Executors.newVirtualThreadPerTaskExecutor();

    private static Process fpm;
    private static PhpSite site;
    private static Forwarder forwarder;

    /** A TCP forwarder that counts the connections it accepts and how many were open at once. */
    static final class Forwarder implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger mostOpen = new AtomicInteger();
        private final int target;

        Forwarder(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::acceptLoop);
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    accepted.incrementAndGet();
                    mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    AtomicInteger ends = new AtomicInteger();
                    Runnable ended = () -> {
                        if (ends.incrementAndGet() == 1) {
                            open.decrementAndGet();
                        }
                        close(client);
                        close(upstream);
                    };
                    Thread.ofVirtual().start(() -> pipe(client, upstream, ended));
                    Thread.ofVirtual().start(() -> pipe(upstream, client, ended));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pipe(Socket from, Socket to, Runnable ended) {
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                byte[] buffer = new byte[16384];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                ended.run();
            }
        }

        private static void close(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        PhpSite.require(PHP_FPM, "php-fpm");
        int keptPort = freePort();
        int queuePort = freePort();
        Files.writeString(run.resolve("fpm.conf"), """
                [global]
                pid = %1$s/fpm.pid
                error_log = %1$s/fpm.log
                daemonize = no
                [kept]
                listen = 127.0.0.1:%2$d
                pm = static
                pm.max_children = 2
                [recycled]
                listen = %1$s/recycled.sock
                pm = static
                pm.max_children = 1
                pm.max_requests = 3
                [single]
                listen = %1$s/single.sock
                pm = static
                pm.max_children = 1
                pm.max_requests = 1
                [queue]
                listen = 127.0.0.1:%3$d
                pm = static
                pm.max_children = 1
                """.formatted(run, keptPort, queuePort));
        fpm = new ProcessBuilder(
                        PHP_FPM, "-n", "-F", "-R", "-y", run.resolve("fpm.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(run.resolve("fpm.out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!(Files.exists(run.resolve("recycled.sock")) && Files.exists(run.resolve("single.sock")))
                && System.nanoTime() < deadline
                && fpm.isAlive()) {
            Thread.sleep(20);
        }
        assertThat(run.resolve("recycled.sock"))
                .as("php-fpm socket (log: %s)", run.resolve("fpm.out"))
                .exists();
        forwarder = new Forwarder(keptPort);
        Files.writeString(root.resolve("pid.php"), "<?php echo getmypid();");
        Files.writeString(root.resolve("slow.php"), "<?php usleep(300000); echo 'slow ', getmypid();");
        Files.copy(root.resolve("pid.php"), root.resolve("recycled.php"));
        Files.copy(root.resolve("pid.php"), root.resolve("single.php"));
        Files.copy(root.resolve("slow.php"), root.resolve("queued.php"));
        String kept = "tcp://127.0.0.1:" + forwarder.port();
        String recycled = "unix:" + run.resolve("recycled.sock");
        String queue = "tcp://127.0.0.1:" + queuePort;
        String single = "unix:" + run.resolve("single.sock");
        site = PhpSite.start(
                root,
                """
                <application fullPath="%s" maxInstances="2" />
                <application fullPath="%s" maxInstances="1" />
                <application fullPath="%s" maxInstances="1" queueLength="1" />
                <application fullPath="%s" maxInstances="1" />
                """.formatted(kept, recycled, queue, single),
                PhpSite.handler("FPM-recycled", "recycled.php", recycled)
                        + PhpSite.handler("FPM-single", "single.php", single)
                        + PhpSite.handler("FPM-queue", "queued.php", queue)
                        + PhpSite.handler("FPM", "*.php", kept));
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
        if (forwarder != null) {
            forwarder.close();
        }
        if (fpm != null) {
            fpm.destroy();
            if (!fpm.waitFor(10, TimeUnit.SECONDS)) {
                fpm.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void requestsReuseOneConnectionAndConcurrentOnesStayWithinMaxInstances() throws Exception {
        int before = forwarder.accepted.get();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = site.get("/pid.php");
            assertThat(r.statusCode()).isEqualTo(200);
        }
        // one connection carried the ten requests (at most one more if another test's left idle)
        assertThat(forwarder.accepted.get() - before).isLessThanOrEqualTo(1);

        List<CompletableFuture<HttpResponse<String>>> concurrent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            concurrent.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return site.get("/slow.php");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    CONCURRENT));
        }
        for (var f : concurrent) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("slow ");
        }
        // two connections served the six requests: php-fpm has two workers, and Weir opens no more
        assertThat(forwarder.mostOpen.get()).isEqualTo(2);
        assertThat(forwarder.accepted.get()).isLessThanOrEqualTo(2);
        assertThat(forwarder.open.get()).isBetween(1, 2);
    }

    @Test
    void aConnectionPhpFpmClosedIsReplaced() throws Exception {
        // pm.max_requests = 3: the worker exits after three requests and its connection closes
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 9; i++) {
            HttpResponse<String> r = site.get("/recycled.php");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            pids.add(r.body());
        }
        assertThat(pids).hasSize(3);

        // a worker killed while its connection is kept: the next request gets a new one
        HttpResponse<String> first = site.get("/recycled.php");
        long pid = Long.parseLong(first.body());
        ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
        worker.destroyForcibly();
        worker.onExit().get(10, TimeUnit.SECONDS);
        HttpResponse<String> after = site.get("/recycled.php");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(after.body()).isNotEqualTo(first.body());
    }

    @Test
    void aRequestSentOnAConnectionTheWorkerClosedJustAfterItsPreviousRequestIsSentAgain() throws Exception {
        // pm.max_requests = 1: each worker exits right after its END_REQUEST, so the next request
        // often finds its kept connection open still and sees it close only after sending
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = site.get("/single.php");
            assertThat(r.statusCode()).as("request %d: %s", i, r.body()).isEqualTo(200);
            pids.add(r.body());
        }
        assertThat(pids).hasSize(20);
    }

    @Test
    void requestsBeyondMaxInstancesAndQueueLengthGet503Point2() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> concurrent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            concurrent.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return site.get("/queued.php");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    CONCURRENT));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var f : concurrent) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            statuses.add(r.statusCode());
            if (r.statusCode() == 503) {
                assertThat(r.body()).contains("503.2");
            }
        }
        assertThat(statuses).contains(200, 503);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isGreaterThanOrEqualTo(2);
    }
}
