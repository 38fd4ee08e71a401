package io.weir.bench;

import com.sun.management.ThreadMXBean;
import io.weir.server.WeirServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The server's allocation and CPU time per request through the real Netty transport: a
 * {@link WeirServer} on the configuration of {@link BenchConfig} (the embedded default, access log
 * on, Hello World under {@code /hello}) on a loopback port, and keep-alive clients in this JVM
 * sending wrk's request ({@code GET <path> HTTP/1.1} with a Host header) and reading each response
 * before sending the next.
 *
 * <p>Counted over the measured requests, for every thread of the JVM except the clients': the bytes
 * the JVM allocated ({@code ThreadMXBean.getThreadAllocatedBytes}, exact) and the CPU time
 * ({@code getThreadCpuTime}). Both are per thread and do not depend on how busy the machine's
 * other cores are, unlike a request rate; CPU time still varies a little with cache contention.
 *
 * <pre>{@code java -cp "weir-bench/target/classes:$(deps)" io.weir.bench.TransportPerRequest [REQUESTS] [CONNECTIONS] [PATHS]}</pre>
 *
 * With {@code --serve} it only serves, until standard input closes, for a client in another process.
 * With {@code -Dweir.bench.proxy=http://host:port} the server is Weir's reverse proxy in front of
 * that backend (every URL forwarded, as {@code weir-bench/proxy-peers.sh} configures it; the
 * backend runs in another process, so its cost is not counted) and the default path is
 * {@code /hello} only.
 *
 * Prints one line per case ({@code /hello}, {@code /1k.bin}): bytes per request and server CPU
 * microseconds per request. The defaults are 100,000 measured requests after as many for warm-up,
 * on 4 connections.
 */
public final class TransportPerRequest {

    private static final String[] PATHS = {"/hello", "/1k.bin"};

    private TransportPerRequest() {}

    /**
     * Runs the cases.
     *
     * @param args measured requests per case (default 100,000), connections (default 4), the paths
     *             separated by commas (default {@code /hello,/1k.bin})
     * @throws Exception if the server does not start or a response is malformed
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--serve")) {
            serve();
            return;
        }
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        String backend = System.getProperty("weir.bench.proxy", "");
        String[] paths = args.length > 2 ? args[2].split(",") : backend.isEmpty() ? PATHS : new String[] {"/hello"};
        Path siteRoot = Files.createTempDirectory("weir-bench");
        Files.write(siteRoot.resolve("1k.bin"), new byte[1024]);
        try (WeirServer server = WeirServer.start(
                backend.isEmpty() ? BenchConfig.parse(siteRoot) : BenchConfig.parseProxy(siteRoot, backend))) {
            InetSocketAddress address = server.boundAddresses().get(0);
            for (String path : paths) {
                run(address, path, requests, connections); // warm-up
                double[] figures = run(address, path, requests, connections);
                System.out.printf(
                        "%-8s %8.1f B/request %8.2f us CPU/request (server threads, %d requests, %d connections)%n",
                        path, figures[0], figures[1] / 1000, requests, connections);
            }
        } finally {
            try (Stream<Path> files = Files.walk(siteRoot)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /**
     * Serves the benchmark configuration until standard input closes, for a client in another
     * process (weir-bench/instructions-per-request.sh counts the instructions under callgrind):
     * prints {@code port N} when listening.
     */
    private static void serve() throws Exception {
        Path siteRoot = Files.createTempDirectory("weir-bench");
        Files.write(siteRoot.resolve("1k.bin"), new byte[1024]);
        try (WeirServer server = WeirServer.start(BenchConfig.parse(siteRoot))) {
            System.out.println("port " + server.boundAddresses().get(0).getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the script closes standard input
            }
        } finally {
            try (Stream<Path> files = Files.walk(siteRoot)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** @return bytes and CPU nanoseconds per request of the threads other than the clients' */
    private static double[] run(InetSocketAddress address, String path, int requests, int connections)
            throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket socket = new Socket(address.getAddress(), address.getPort());
            socket.setTcpNoDelay(true);
            sockets.add(socket);
        }
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        CountDownLatch ready = new CountDownLatch(connections);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Socket socket = sockets.get(c);
            int share = requests / connections + (c < requests % connections ? 1 : 0);
            Thread client = Thread.ofPlatform().name("bench-client-" + c).unstarted(() -> {
                try {
                    ready.countDown();
                    go.await();
                    exchange(socket, request, share);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            clients.add(client);
            client.start();
        }
        ready.await();
        Set<Long> excluded = new HashSet<>();
        excluded.add(Thread.currentThread().threadId());
        for (Thread client : clients) {
            excluded.add(client.threadId());
        }
        long[] ids = serverThreads(threads, excluded);
        long[] bytesBefore = threads.getThreadAllocatedBytes(ids);
        long[] cpuBefore = cpu(threads, ids);
        go.countDown();
        for (Thread client : clients) {
            client.join();
        }
        // the access log's writer may still hold the last lines: let it finish them
        Thread.sleep(200);
        long[] bytesAfter = threads.getThreadAllocatedBytes(ids);
        long[] cpuAfter = cpu(threads, ids);
        for (Socket socket : sockets) {
            socket.close();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a client failed", failure.get());
        }
        long bytes = 0;
        long nanos = 0;
        for (int i = 0; i < ids.length; i++) {
            if (bytesBefore[i] >= 0 && bytesAfter[i] >= 0) {
                bytes += bytesAfter[i] - bytesBefore[i];
            }
            if (cpuBefore[i] >= 0 && cpuAfter[i] >= 0) {
                nanos += cpuAfter[i] - cpuBefore[i];
            }
        }
        return new double[] {(double) bytes / requests, (double) nanos / requests};
    }

    private static long[] serverThreads(ThreadMXBean threads, Set<Long> excluded) {
        return Arrays.stream(threads.getAllThreadIds())
                .filter(id -> !excluded.contains(id))
                .toArray();
    }

    private static long[] cpu(ThreadMXBean threads, long[] ids) {
        long[] nanos = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            nanos[i] = threads.getThreadCpuTime(ids[i]);
        }
        return nanos;
    }

    /** Sends the request {@code count} times on the connection, reading each response to its end. */
    private static void exchange(Socket socket, byte[] request, int count) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[16 * 1024];
        int filled = 0;
        for (int n = 0; n < count; n++) {
            out.write(request);
            int headEnd;
            while ((headEnd = headEnd(buffer, filled)) < 0) {
                filled = read(in, buffer, filled);
            }
            int length = contentLength(buffer, headEnd);
            int total = headEnd + length;
            while (filled < total) {
                filled = read(in, buffer, filled);
            }
            if (buffer[9] != '2') {
                throw new IOException(
                        "not a 2xx response: " + new String(buffer, 0, headEnd, StandardCharsets.US_ASCII));
            }
            System.arraycopy(buffer, total, buffer, 0, filled - total);
            filled -= total;
        }
    }

    private static int read(InputStream in, byte[] buffer, int filled) throws IOException {
        int r = in.read(buffer, filled, buffer.length - filled);
        if (r < 0) {
            throw new IOException("the server closed the connection");
        }
        return filled + r;
    }

    /** @return the index after the head's empty line, or -1 */
    private static int headEnd(byte[] b, int filled) {
        for (int i = 3; i < filled; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private static int contentLength(byte[] b, int headEnd) throws IOException {
        String head = new String(b, 0, headEnd, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        int at = head.indexOf("\r\ncontent-length:");
        if (at < 0) {
            throw new IOException("no Content-Length: " + head);
        }
        int end = head.indexOf('\r', at + 2);
        return Integer.parseInt(
                head.substring(at + "\r\ncontent-length:".length(), end).trim());
    }
}
