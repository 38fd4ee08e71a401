package io.weir.modules.fastcgi;

import java.time.Duration;

/**
 * A FastCGI request in flight as the pool's timer sees it: when it started, when the application
 * last sent something, and what to do when {@code requestTimeout} or {@code activityTimeout} has
 * passed (close the connection and stop the process, so that the request's blocked read fails).
 */
final class RequestWatch {

    private final long started = System.nanoTime();
    private final long requestTimeout;
    private final long activityTimeout;
    private final Runnable onExpiry;
    private volatile long lastActivity = started;
    private volatile String expired;
    private volatile boolean waitingForClient;

    /**
     * @param requestTimeout  the whole request's limit
     * @param activityTimeout the limit between two reads from the application
     * @param onExpiry        closes the connection and stops the process; runs on the timer thread
     */
    RequestWatch(Duration requestTimeout, Duration activityTimeout, Runnable onExpiry) {
        this.requestTimeout = requestTimeout.toNanos();
        this.activityTimeout = activityTimeout.toNanos();
        this.onExpiry = onExpiry;
    }

    /** Notes that the application sent something (or accepted request data). */
    void touch() {
        lastActivity = System.nanoTime();
    }

    /**
     * Notes that the request waits for the client to take the output sent so far (or no longer
     * does): the activity timeout does not count that time.
     *
     * @param waiting true while waiting
     */
    void waitingForClient(boolean waiting) {
        waitingForClient = waiting;
        lastActivity = System.nanoTime();
    }

    /** @return why the request was ended by the timer, or null */
    String expired() {
        return expired;
    }

    void check(long now) {
        if (expired != null) {
            return;
        }
        if (now - started > requestTimeout) {
            abort("The FastCGI process exceeded configured request timeout");
        } else if (!waitingForClient && now - lastActivity > activityTimeout) {
            abort("The FastCGI process exceeded configured activity timeout");
        }
    }

    void abort(String reason) {
        if (expired == null) {
            expired = reason;
            onExpiry.run();
        }
    }
}
