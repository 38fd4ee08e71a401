package io.weir.modules.httplogging;

import io.weir.api.http.PerformanceCounters;
import java.util.Map;

/**
 * The access log's performance counters, kept in the server's module context container:
 * {@code access_log_queue_lines}, the lines formatted by requests and not yet written by the
 * writer thread (requests are held back in LOG_REQUEST when it reaches the capacity), and
 * {@code access_log_queue_capacity_lines}, that capacity.
 */
final class AccessLogCounters implements PerformanceCounters {

    private final LogWriter writer;

    AccessLogCounters(LogWriter writer) {
        this.writer = writer;
    }

    @Override
    public Map<String, Double> counters() {
        return Map.of(
                "access_log_queue_lines", (double) writer.queuedLines(),
                "access_log_queue_capacity_lines", (double) writer.capacity());
    }

    @Override
    public void cleanupStoredContext() {
        // the writer is closed by the module factory's terminate()
    }
}
