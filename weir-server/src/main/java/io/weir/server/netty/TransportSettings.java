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
 * @param maxEntityBytes      the server-wide cap on one request entity, in bytes: a Content-Length
 *                            over it is answered 413 and the connection closed before the pipeline
 *                            runs; a chunked body growing past it fails (see
 *                            {@link io.weir.core.spi.RequestBody.EntityTooLargeException}). The
 *                            per-URL limit is IIS's {@code requestLimits@maxAllowedContentLength},
 *                            enforced by RequestFilteringModule; as bodies are streamed, not
 *                            buffered, this cap only bounds what a URL's configuration may allow
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
     * Returns the defaults: 120 s connection timeout (IIS's), 4,294,967,295 bytes entity cap (the
     * largest {@code maxAllowedContentLength} IIS's schema accepts, a {@code uint}; the per-URL
     * limit, 30,000,000 by default, is RequestFilteringModule's), 8 KiB request line, 16 KiB head,
     * 8 queued pipelined requests.
     *
     * @return the defaults
     */
    public static TransportSettings defaults() {
        return new TransportSettings(Duration.ofSeconds(120), 4_294_967_295L, 8192, 16384, 8);
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
