package io.weir.it.reload;

import io.weir.testkit.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Keep-alive load for the hot-reload tests: {@code connections} clients send {@code GET path} in a
 * loop, each on its own connection, and record every response that is not a complete 200 with the
 * expected body (or that closes a keep-alive connection) as a failure, and, for the ones that are,
 * whether they carried the header a reloaded configuration turns on and off. The latest send time
 * ({@link System#nanoTime()}) of a request answered with and without the header tells a test when
 * an edit became visible.
 */
final class HeaderWatchingLoad implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong withHeader = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final LongAccumulator lastWith = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final LongAccumulator lastWithout = new LongAccumulator(Math::max, Long.MIN_VALUE);

    private HeaderWatchingLoad() {}

    /**
     * Starts the clients.
     *
     * @param port        the server's port on 127.0.0.1
     * @param path        the request target
     * @param body        the body every response must have
     * @param header      the header whose presence is counted
     * @param connections how many clients
     * @return the running load; {@link #close()} stops it
     */
    static HeaderWatchingLoad start(int port, String path, String body, String header, int connections) {
        HeaderWatchingLoad load = new HeaderWatchingLoad();
        String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
        for (int i = 0; i < connections; i++) {
            load.clients.add(Thread.ofPlatform().name("load-" + i).start(() -> load.run(port, request, body, header)));
        }
        return load;
    }

    private void run(int port, String request, String body, String header) {
        RawHttp connection = null;
        while (running.get()) {
            try {
                if (connection == null) {
                    connection = RawHttp.connect(port).timeout(Duration.ofSeconds(10));
                }
                long sent = System.nanoTime();
                RawHttp.Response r = connection.send(request).readResponse();
                if (r.status() != 200 || !new String(r.body(), StandardCharsets.UTF_8).equals(body)) {
                    failures.add(r.statusLine() + " " + r.bodyText());
                    continue;
                }
                ok.incrementAndGet();
                if (r.header(header).isPresent()) {
                    withHeader.incrementAndGet();
                    lastWith.accumulate(sent);
                } else {
                    lastWithout.accumulate(sent);
                }
                if (r.header("Connection").map(v -> v.equalsIgnoreCase("close")).orElse(false)) {
                    failures.add("the server closed a keep-alive connection");
                    connection.close();
                    connection = null;
                }
            } catch (RuntimeException e) {
                if (running.get()) {
                    failures.add(e.toString());
                }
                if (connection != null) {
                    connection.close();
                }
                connection = null;
            }
        }
        if (connection != null) {
            connection.close();
        }
    }

    /** @return the latest send time of a request answered with the header, or Long.MIN_VALUE */
    long lastWith() {
        return lastWith.get();
    }

    /** @return the latest send time of a request answered without the header, or Long.MIN_VALUE */
    long lastWithout() {
        return lastWithout.get();
    }

    /** @return complete 200 responses so far */
    long ok() {
        return ok.get();
    }

    /** @return complete 200 responses that carried the header */
    long withHeader() {
        return withHeader.get();
    }

    /** @return what went wrong, one line per failed request */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops the clients and waits up to 15 s for each to finish its request. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : clients) {
            t.join(15_000);
        }
    }
}
