package io.weir.modules.proxy;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live state of one server of a web farm, shared by every event loop: its settings from the
 * current configuration, whether health checks count it in, and its counters (what
 * {@code weir list farms} and ARR's monitoring page show). Thread-safe.
 */
public final class FarmServer {

    private final String address;
    private volatile int httpPort;
    private volatile int httpsPort;
    private volatile int weight;
    private volatile boolean enabled;
    private volatile boolean healthy = true;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder healthCheckFailures = new LongAdder();
    /** Exponentially weighted average response time, in microseconds. */
    private final AtomicLong averageMicros = new AtomicLong();
    /** Smooth weighted round robin's running weight; guarded by the farm. */
    int currentWeight;

    FarmServer(WebFarmsSection.Server server) {
        this.address = server.address();
        update(server);
    }

    void update(WebFarmsSection.Server server) {
        this.httpPort = server.httpPort();
        this.httpsPort = server.httpsPort();
        this.weight = server.weight();
        this.enabled = server.enabled();
    }

    /** @return the server's address as configured */
    public String address() {
        return address;
    }

    /** @return the HTTP port */
    public int httpPort() {
        return httpPort;
    }

    /** @return the HTTPS port, for an {@code https://} route to the farm */
    public int httpsPort() {
        return httpsPort;
    }

    /** @return the load-balancing weight */
    public int weight() {
        return weight;
    }

    /** @return false while the server is drained ({@code enabled="false"}) */
    public boolean enabled() {
        return enabled;
    }

    /** @return false while health checks (or a failed connection) have taken the server out */
    public boolean healthy() {
        return healthy;
    }

    void healthy(boolean value) {
        healthy = value;
    }

    /** @return true when new requests may go to the server */
    public boolean available() {
        return enabled && healthy;
    }

    /** @return requests in flight on the server now */
    public int inFlight() {
        return inFlight.get();
    }

    /** @return requests sent to the server since start */
    public long requests() {
        return requests.sum();
    }

    /** @return requests that failed on the server (no response) since start */
    public long failures() {
        return failures.sum();
    }

    /** @return failed health checks since start */
    public long healthCheckFailures() {
        return healthCheckFailures.sum();
    }

    /** @return the recent average response time in microseconds (0 before the first response) */
    public long averageResponseMicros() {
        return averageMicros.get();
    }

    void started() {
        inFlight.incrementAndGet();
        requests.increment();
    }

    void ended(long micros, boolean failed) {
        inFlight.decrementAndGet();
        if (failed) {
            failures.increment();
        } else {
            averageMicros.updateAndGet(avg -> avg == 0 ? micros : (avg * 7 + micros) / 8);
        }
    }

    /**
     * The server's state as {@code weir list farms} shows it, in the terms of ARR's monitoring
     * view: {@code disabled} (not enabled, no request left), {@code draining} (not enabled, its
     * requests still running), {@code unhealthy} (taken out by the health check) or
     * {@code healthy}.
     *
     * @return one of those four words
     */
    public String state() {
        if (!enabled) {
            return inFlight() > 0 ? "draining" : "disabled";
        }
        return healthy ? "healthy" : "unhealthy";
    }

    void healthCheckFailed() {
        healthCheckFailures.increment();
    }

    /** @return one line for {@code weir list farms} */
    @Override
    public String toString() {
        return address + ":" + httpPort + " weight=" + weight + " state=" + state()
                + " inFlight=" + inFlight() + " requests=" + requests() + " failures=" + failures()
                + " avgResponseMs=" + String.format(Locale.ROOT, "%.1f", averageResponseMicros() / 1000.0);
    }
}
