package io.weir.server.netty;

import java.time.Duration;
import java.util.Objects;

/**
 * The transport's limits, with the IIS and http.sys names they mirror. Internal to weir-server:
 * public only so that {@code io.weir.server} can pass it across packages.
 *
 * @param connectionTimeout   how long a connection may sit without a request in flight (idle
 *                            keep-alive, or a client that never finishes its request head) before
 *                            it is closed; IIS's {@code limits@connectionTimeout} (http.sys's
 *                            IdleConnection timer), 120 s by default
 * @param headerWaitTimeout   how long a request head may take to arrive once its first byte has;
 *                            IIS's {@code webLimits@headerWaitTimeout} (http.sys's HeaderWait
 *                            timer), 120 s by default
 * @param minBytesPerSecond   the slowest rate, in bytes per second, a client may send a request
 *                            entity at (measured after a 5 s grace, whether a module reads the entity
 *                            or the transport drains it) or take a response at; slower connections
 *                            are closed. IIS's {@code webLimits@minBytesPerSecond}, 240 by default;
 *                            0 turns the check off
 * @param maxEntityBytes      the server-wide cap on one request entity, in bytes: a Content-Length
 *                            over it is answered 413 and the connection closed before the pipeline
 *                            runs; a chunked body growing past it fails (see
 *                            {@link io.weir.core.spi.RequestBody.EntityTooLargeException}). The
 *                            per-URL limit is IIS's {@code requestLimits@maxAllowedContentLength},
 *                            enforced by RequestFilteringModule; as bodies are streamed, not
 *                            buffered, this cap only bounds what a URL's configuration may allow
 * @param maxRequestBytes     the largest request head (request line plus header lines), in bytes;
 *                            a longer request line is answered 414, a larger head 431. http.sys's
 *                            {@code MaxRequestBytes}, 16 KiB by default
 * @param maxFieldLength      the longest header line, in bytes; longer is answered 400. http.sys's
 *                            {@code MaxFieldLength}, 16 KiB by default
 * @param maxHeaderCount      the most header fields one request may carry; more is answered 431.
 *                            100 by default (http.sys has no count limit of its own; 100 is Kestrel's
 *                            and Apache's default)
 * @param maxQueuedRequests   how many decoded requests a connection may queue behind the one in
 *                            flight (pipelining) before the transport stops reading from it
 * @param maxConnections      the most connections open at once on the whole server; a connection
 *                            accepted over it is closed at once. 0 means no cap (the default, as
 *                            http.sys's {@code MaxConnections})
 */
public record TransportSettings(
        Duration connectionTimeout,
        Duration headerWaitTimeout,
        long minBytesPerSecond,
        long maxEntityBytes,
        int maxRequestBytes,
        int maxFieldLength,
        int maxHeaderCount,
        int maxQueuedRequests,
        int maxConnections) {

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException if a limit is out of range
     * @throws NullPointerException     if a duration is null
     */
    public TransportSettings {
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(headerWaitTimeout, "headerWaitTimeout");
        if (connectionTimeout.isNegative()
                || connectionTimeout.isZero()
                || headerWaitTimeout.isNegative()
                || headerWaitTimeout.isZero()
                || minBytesPerSecond < 0
                || maxEntityBytes < 0
                || maxRequestBytes < 256
                || maxFieldLength < 64
                || maxHeaderCount <= 0
                || maxQueuedRequests <= 0
                || maxConnections < 0) {
            throw new IllegalArgumentException("transport limits out of range");
        }
    }

    /**
     * Returns the defaults: 120 s connection timeout and header wait (IIS's), 240 B/s minimum rate
     * (IIS's), 4,294,967,295 bytes entity cap (the largest {@code maxAllowedContentLength} IIS's schema
     * accepts, a {@code uint}; the per-URL limit, 30,000,000 by default, is RequestFilteringModule's),
     * 16 KiB request head and header line (http.sys's), 100 header fields, 8 queued pipelined
     * requests, no connection cap.
     *
     * @return the defaults
     */
    public static TransportSettings defaults() {
        return new TransportSettings(
                Duration.ofSeconds(120), Duration.ofSeconds(120), 240, 4_294_967_295L, 16 * 1024, 16 * 1024, 100, 8, 0);
    }

    /**
     * Returns a copy with another connection timeout.
     *
     * @param timeout the new timeout, positive
     * @return the copy
     */
    public TransportSettings withConnectionTimeout(Duration timeout) {
        return new TransportSettings(
                timeout,
                headerWaitTimeout,
                minBytesPerSecond,
                maxEntityBytes,
                maxRequestBytes,
                maxFieldLength,
                maxHeaderCount,
                maxQueuedRequests,
                maxConnections);
    }

    /**
     * Returns a copy with another header wait timeout.
     *
     * @param timeout the new timeout, positive
     * @return the copy
     */
    public TransportSettings withHeaderWaitTimeout(Duration timeout) {
        return new TransportSettings(
                connectionTimeout,
                timeout,
                minBytesPerSecond,
                maxEntityBytes,
                maxRequestBytes,
                maxFieldLength,
                maxHeaderCount,
                maxQueuedRequests,
                maxConnections);
    }

    /**
     * Returns a copy with another minimum rate.
     *
     * @param bytesPerSecond the new rate, 0 for none
     * @return the copy
     */
    public TransportSettings withMinBytesPerSecond(long bytesPerSecond) {
        return new TransportSettings(
                connectionTimeout,
                headerWaitTimeout,
                bytesPerSecond,
                maxEntityBytes,
                maxRequestBytes,
                maxFieldLength,
                maxHeaderCount,
                maxQueuedRequests,
                maxConnections);
    }

    /**
     * Returns a copy with another entity limit.
     *
     * @param bytes the new limit in bytes
     * @return the copy
     */
    public TransportSettings withMaxEntityBytes(long bytes) {
        return new TransportSettings(
                connectionTimeout,
                headerWaitTimeout,
                minBytesPerSecond,
                bytes,
                maxRequestBytes,
                maxFieldLength,
                maxHeaderCount,
                maxQueuedRequests,
                maxConnections);
    }

    /**
     * Returns a copy with other head limits.
     *
     * @param requestBytes the new {@code MaxRequestBytes}
     * @param fieldLength  the new {@code MaxFieldLength}
     * @param headerCount  the new header count limit
     * @return the copy
     */
    public TransportSettings withHeadLimits(int requestBytes, int fieldLength, int headerCount) {
        return new TransportSettings(
                connectionTimeout,
                headerWaitTimeout,
                minBytesPerSecond,
                maxEntityBytes,
                requestBytes,
                fieldLength,
                headerCount,
                maxQueuedRequests,
                maxConnections);
    }

    /**
     * Returns a copy with another server-wide connection cap.
     *
     * @param connections the cap, 0 for none
     * @return the copy
     */
    public TransportSettings withMaxConnections(int connections) {
        return new TransportSettings(
                connectionTimeout,
                headerWaitTimeout,
                minBytesPerSecond,
                maxEntityBytes,
                maxRequestBytes,
                maxFieldLength,
                maxHeaderCount,
                maxQueuedRequests,
                connections);
    }
}
