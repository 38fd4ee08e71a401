package io.weir.api.provider;

import java.time.Duration;
import java.util.List;

/**
 * The server's run-time state, as GL_RSCA_QUERY hands it to global modules; Weir's counterpart of
 * the data IIS's Run-time Status and Control API exposes about a worker process.
 *
 * @param generation        the configuration generation serving new requests (1 at start, one more
 *                          per reload)
 * @param requestsInFlight  requests started and not yet ended, over every live generation
 * @param healthy           false once a module called {@code HttpServer.reportUnhealthy}
 * @param unhealthyReasons  the reasons reported, oldest first; empty while healthy
 * @param uptime            time since the server started
 */
public record RuntimeStatus(
        int generation, int requestsInFlight, boolean healthy, List<String> unhealthyReasons, Duration uptime) {

    /** Copies the list. */
    public RuntimeStatus {
        unhealthyReasons = List.copyOf(unhealthyReasons);
    }
}
