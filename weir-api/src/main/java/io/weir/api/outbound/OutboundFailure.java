package io.weir.api.outbound;

import java.util.Objects;

/**
 * Why an outbound exchange or stream failed.
 *
 * @param kind    the class of failure
 * @param message a description for logs and detailed error pages
 * @param cause   the underlying exception, or null
 * @param reusedConnection true when the exchange ran on a connection taken from the pool
 * @param responseStarted  true when some of the response had arrived
 */
public record OutboundFailure(
        Kind kind, String message, Throwable cause, boolean reusedConnection, boolean responseStarted) {

    /**
     * Validates the components.
     *
     * @param kind    the class of failure
     * @param message the description
     * @param cause   the cause, or null
     * @param reusedConnection true on a pooled connection
     * @param responseStarted  true when some of the response had arrived
     */
    public OutboundFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Tells whether nothing of the request reached the backend, so that sending it again (to the
     * same or another server) cannot repeat its effect.
     *
     * @return true for {@link Kind#CONNECT}
     */
    public boolean nothingSent() {
        return kind == Kind.CONNECT;
    }

    /**
     * Tells whether an idempotent request (RFC 9110 section 9.2.2) may be sent again: the connection
     * could not be opened, or a pooled connection closed before any of the response arrived (the
     * backend closed an idle keep-alive connection as it was reused, or died).
     *
     * @return true when a retry of an idempotent request is safe
     */
    public boolean retryableIfIdempotent() {
        return kind == Kind.CONNECT || (kind == Kind.CLOSED && !responseStarted);
    }

    /** The classes of failure. */
    public enum Kind {
        /** The connection could not be opened (refused, unreachable, connect timeout): nothing was sent. */
        CONNECT,
        /** The backend did not answer (or stopped sending) within the exchange's response timeout. */
        TIMEOUT,
        /**
         * The backend's response broke HTTP/1.1 (malformed status line or header, conflicting or
         * invalid framing, a head over the size limit); the connection was closed, never reused.
         */
        PROTOCOL,
        /** The connection closed or failed before the response ended. */
        CLOSED,
        /** The exchange was aborted by its owner. */
        ABORTED
    }
}
