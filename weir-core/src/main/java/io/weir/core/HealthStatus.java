package io.weir.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The engine's health, as modules reported it with {@code HttpServer.reportUnhealthy}: healthy
 * until the first report, then unhealthy with every reason reported, until the server restarts
 * (IIS's WAS recycles a worker process that reported itself unhealthy; Weir leaves that decision to
 * whoever reads this status: an orchestrator's probe, a later admin endpoint).
 *
 * @param healthy       true when no module has reported the server unhealthy
 * @param reasons       the reasons reported, oldest first (at most the 16 most recent)
 * @param unhealthySince when the first report arrived, empty while healthy
 * @param lastCheck     when GL_HEALTH_CHECK was last raised, empty before the first one
 */
public record HealthStatus(
        boolean healthy, List<String> reasons, Optional<Instant> unhealthySince, Optional<Instant> lastCheck) {

    /** Copies the list. */
    public HealthStatus {
        reasons = List.copyOf(reasons);
    }
}
