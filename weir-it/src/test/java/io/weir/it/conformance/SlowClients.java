package io.weir.it.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many attacking connections on loopback: each sends an opening and then one byte every period
 * (a slowloris trickles header lines, a slow body trickles its entity). A selector thread notes
 * when the server closes each one. Bounded: {@link #close()} closes every socket.
 */
final class SlowClients implements AutoCloseable {

    /** What an attacker sends: an opening, then one byte per period. */
    enum Kind {
        /** A request head that never ends: one more header byte per period. */
        SLOWLORIS("GET /index.txt HTTP/1.1\r\nHost: localhost\r\nX-a: ", (byte) 'a'),
        /** A POST with a 1000-byte Content-Length whose body comes one byte per period. */
        SLOW_BODY("POST /index.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nx", (byte) 'x');

        final byte[] opening;
        final byte trickle;

        Kind(String opening, byte trickle) {
            this.opening = opening.getBytes(StandardCharsets.US_ASCII);
            this.trickle = trickle;
        }
    }

    private final List<SocketChannel> channels = new ArrayList<>();
    private final ConcurrentLinkedQueue<SocketChannel> toWatch = new ConcurrentLinkedQueue<>();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final Selector selector;
    private final Thread watcher;
    private final Thread trickler;
    private volatile boolean stopped;

    /**
     * Opens the connections and starts trickling.
     *
     * @param port    the server's port
     * @param kind    what each sends
     * @param count   how many connections
     * @param period  milliseconds between two trickled bytes
     */
    SlowClients(int port, Kind kind, int count, long period) throws Exception {
        selector = Selector.open();
        watcher = Thread.ofPlatform().daemon().name("slow-clients-watch").start(this::watch);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        // one after the other: faster openers overflow the server's accept queue (backlog 1024),
        // and the kernel then delays every new connection, the normal client's too
        for (int i = 0; i < count; i++) {
            SocketChannel c = SocketChannel.open(address);
            c.write(ByteBuffer.wrap(kind.opening));
            c.configureBlocking(false);
            channels.add(c);
            toWatch.add(c);
            if ((i & 255) == 0) {
                selector.wakeup();
            }
        }
        selector.wakeup();
        trickler = Thread.ofPlatform().daemon().name("slow-clients-trickle").start(() -> trickle(kind.trickle, period));
    }

    private void trickle(byte b, long period) {
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!stopped) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            for (SocketChannel c : channels) {
                if (stopped) {
                    return;
                }
                if (!c.isOpen()) {
                    continue;
                }
                one.clear();
                one.put(b).flip();
                try {
                    c.write(one);
                } catch (IOException closed) {
                    // the server closed it; the watcher counts it
                }
            }
        }
    }

    private void watch() {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        try {
            while (!stopped) {
                SocketChannel c;
                while ((c = toWatch.poll()) != null) {
                    c.register(selector, SelectionKey.OP_READ);
                }
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    boolean ended;
                    try {
                        sink.clear();
                        ended = ch.read(sink) < 0;
                    } catch (IOException reset) {
                        ended = true;
                    }
                    if (ended) {
                        key.cancel();
                        closedByServer.incrementAndGet();
                        try {
                            ch.close();
                        } catch (IOException e) {
                            // closing
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClosedSelectorException done) {
            // closed by close()
        }
    }

    /** @return how many connections were opened */
    int opened() {
        return channels.size();
    }

    /** @return how many the server has closed so far */
    int closedByServer() {
        return closedByServer.get();
    }

    /**
     * Waits until the server has closed every connection, or the deadline passes.
     *
     * @return true when all were closed
     */
    boolean awaitAllClosed(long deadlineNanos) throws InterruptedException {
        while (closedByServer.get() < channels.size() && System.nanoTime() < deadlineNanos) {
            Thread.sleep(100);
        }
        return closedByServer.get() >= channels.size();
    }

    @Override
    public void close() throws Exception {
        stopped = true;
        if (trickler != null) {
            trickler.interrupt();
            trickler.join(5000);
        }
        selector.close();
        watcher.join(5000);
        for (SocketChannel c : channels) {
            c.close();
        }
    }

    /**
     * Raises this process's descriptor limit to at least {@code wanted} when it may (as root, with
     * {@code prlimit}); returns the limit in force afterwards.
     */
    static long raiseDescriptorLimit(long wanted) throws IOException, InterruptedException {
        long current = descriptorLimit();
        if (current >= wanted) {
            return current;
        }
        try {
            Process p = new ProcessBuilder(
                            "prlimit",
                            "--pid",
                            Long.toString(ProcessHandle.current().pid()),
                            "--nofile=" + wanted + ":" + wanted)
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException noPrlimit) {
            // keep the current limit
        }
        return descriptorLimit();
    }

    private static long descriptorLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(
                        line.substring("Max open files".length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no 'Max open files' in /proc/self/limits");
    }
}
