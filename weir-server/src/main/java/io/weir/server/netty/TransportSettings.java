package io.weir.server.netty;

import java.time.Duration;
import java.util.Objects;

/**
 * The transport's limits. Internal to weir-server: public only so that {@code io.weir.server} can
 * pass it across packages.
 *
 * @param connectionTimeout   how long a connection may sit without a request in flight (idle
 *                            keep-alive, or a client that never finishes its request head) before
 *                            it is closed; IIS's {@code connectionTimeout}, 120 s by default
 * @param maxEntityBytes      the largest request entity accepted, in bytes; bigger is answered 413
 *                            and the connection closed (IIS's {@code maxAllowedContentLength})
 * @param maxInitialLineBytes the longest request line, in bytes; longer is answered 414
 * @param maxHeaderBytes      the largest request head (all header lines), in bytes; larger is
 *                            answered 431
 * @param maxQueuedRequests   how many decoded requests a connection may queue behind the one in
 *                            flight (pipelining) before the transport stops reading from it
 */
public record TransportSettings(Duration connectionTimeout, long maxEntityBytes, int maxInitialLineBytes,
        int maxHeaderBytes, int maxQueuedRequests) {

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException if a limit is not positive
     * @throws NullPointerException     if {@code connectionTimeout} is null
     */
    public TransportSettings {
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        if (connectionTimeout.isNegative() || connectionTimeout.isZero() || maxEntityBytes < 0
                || maxInitialLineBytes <= 0 || maxHeaderBytes <= 0 || maxQueuedRequests <= 0) {
            throw new IllegalArgumentException("transport limits must be positive");
        }
    }

    /**
     * Returns IIS's defaults: 120 s connection timeout, 30,000,000 bytes entity, 8 KiB request
     * line, 16 KiB head, 8 queued pipelined requests.
     *
     * @return the defaults
     */
    public static TransportSettings defaults() {
        return new TransportSettings(Duration.ofSeconds(120), 30_000_000L, 8192, 16384, 8);
    }

    /**
     * Returns a copy with another connection timeout.
     *
     * @param timeout the new timeout, positive
     * @return the copy
     */
    public TransportSettings withConnectionTimeout(Duration timeout) {
        return new TransportSettings(timeout, maxEntityBytes, maxInitialLineBytes, maxHeaderBytes, maxQueuedRequests);
    }

    /**
     * Returns a copy with another entity limit.
     *
     * @param bytes the new limit in bytes
     * @return the copy
     */
    public TransportSettings withMaxEntityBytes(long bytes) {
        return new TransportSettings(connectionTimeout, bytes, maxInitialLineBytes, maxHeaderBytes, maxQueuedRequests);
    }
}
