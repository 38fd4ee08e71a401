package io.weir.api.http;

import java.util.Map;

/**
 * Values a module publishes for the server's monitoring, the way an IIS module publishes Windows
 * performance counters: a module stores an implementation in the server's
 * {@link HttpModuleContextContainer} ({@code HttpServer.moduleContextContainer()}, under its
 * module id), and the server's metrics (the admin endpoint's {@code /metrics}, see
 * {@code docs/operations.md}) read it each time they are scraped, as gauges named
 * {@code weir_<name>}.
 *
 * <p>{@link #counters()} is called on the admin endpoint's thread, never on an event loop,
 * concurrently with requests: it must be thread-safe, fast and must not block.
 */
public interface PerformanceCounters extends StoredContext {

    /**
     * Reads the current values.
     *
     * @return each counter's value by name; a name is lower case with underscores and carries its
     *         unit as Prometheus names do (for example {@code access_log_queue_lines}); an empty map
     *         when the module has nothing to report
     */
    Map<String, Double> counters();
}
