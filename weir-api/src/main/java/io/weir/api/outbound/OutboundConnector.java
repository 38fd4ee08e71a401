package io.weir.api.outbound;

import java.time.Duration;

/**
 * Opens connections from the server to backends; obtained from
 * {@link io.weir.api.HttpServer#outboundConnector()}. It plays the part of the WinHTTP client
 * that IIS's Application Request Routing and ASP.NET Core Module use, as a service of the server
 * rather than of each module.
 *
 * <p>Call it on a request's event loop (from a notification method): the connection then runs on
 * that loop and every listener method is called there. Called from another thread, it picks one
 * of the server's event loops. The methods never block.
 */
public interface OutboundConnector {

    /**
     * Starts an HTTP/1.1 exchange on a pooled connection to {@code address} (an idle connection
     * of this event loop's pool when there is one, else a new one). The request head is sent at
     * once (or when the connection opens); the entity follows with
     * {@link OutboundHttpExchange#writeBody} and {@link OutboundHttpExchange#endBody}. The
     * response is parsed strictly (RFC 9112): a malformed status line or header, conflicting
     * {@code Content-Length} values, {@code Content-Length} with {@code Transfer-Encoding}, or a
     * head over the limit fails the exchange with {@link OutboundFailure.Kind#PROTOCOL} and the
     * connection is closed, never returned to the pool.
     *
     * @param address  the backend
     * @param request  the request head and settings
     * @param listener receives the response
     * @return the exchange, to send the entity and to control reading
     * @throws IllegalStateException if the server is stopping
     */
    OutboundHttpExchange exchange(OutboundAddress address, OutboundHttpRequest request, OutboundHttpListener listener);

    /**
     * Opens a byte-stream connection, not pooled.
     *
     * @param address        the peer
     * @param connectTimeout how long opening may take
     * @param listener       receives the events
     * @throws IllegalStateException if the server is stopping
     */
    void openStream(OutboundAddress address, Duration connectTimeout, OutboundStreamListener listener);

    /**
     * Returns the limits of the connection pools.
     *
     * @return the settings in force
     */
    PoolSettings poolSettings();

    /**
     * The limits of the per-event-loop connection pools.
     *
     * @param maxConnectionsPerAddress the most connections one event loop keeps open to one
     *                                 address (busy and idle); an exchange beyond it waits for a
     *                                 connection to come back
     * @param maxIdlePerAddress        the most idle connections kept per event loop and address
     * @param idleTimeout              how long an idle connection is kept
     */
    record PoolSettings(int maxConnectionsPerAddress, int maxIdlePerAddress, Duration idleTimeout) {}
}
