package io.weir.core.spi;

import io.weir.api.http.DataChunk;
import io.weir.api.websocket.WebSocketContext;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * One HTTP request/response exchange, as the transport hands it to the engine. Implemented by
 * weir-server (Netty); the engine never sees Netty types. Every method is called on the
 * connection's event loop unless it says otherwise.
 */
public interface Exchange {

    /** @return the verb as received, for example {@code "GET"} */
    String method();

    /** @return the request-target as received, for example {@code "/a%20b?x=1"} */
    String rawUri();

    /** @return {@code "HTTP/1.1"}, {@code "HTTP/1.0"} or {@code "HTTP/2"} */
    String protocolVersion();

    /** @return the request headers, mutable (modules may set request headers) */
    HeaderStore requestHeaders();

    /**
     * Returns the request entity, streamed: chunks arrive as the client sends them, with
     * back-pressure (see {@link RequestBody}). Called once per exchange by the engine.
     *
     * @return the body; {@link RequestBody#EMPTY} when the request has none
     */
    RequestBody requestBody();

    /** @return the client's address */
    InetSocketAddress remoteAddress();

    /** @return the local address the connection was accepted on */
    InetSocketAddress localAddress();

    /** @return true for TLS connections */
    boolean isSecure();

    /**
     * Returns a server variable only the transport knows: the TLS facts of the connection
     * ({@code HTTPS_KEYSIZE}, {@code HTTPS_SECRETKEYSIZE}, {@code HTTPS_SERVER_SUBJECT},
     * {@code HTTPS_SERVER_ISSUER}, {@code CERT_*} of the client certificate, {@code SSL_PROTOCOL},
     * {@code SSL_CIPHER}) as IIS names them. The default knows none.
     *
     * @param upperCaseName the variable's name in upper case
     * @return the value, or null when the transport does not define it
     */
    default String transportVariable(String upperCaseName) {
        return null;
    }

    /**
     * Returns the certificate chain the client presented on this connection's TLS handshake, leaf
     * first. The default has none.
     *
     * @return the chain; empty when the connection is not TLS or the client sent no certificate
     */
    default List<X509Certificate> clientCertificates() {
        return List.of();
    }

    /** @return the connection's event loop; tasks run there in order. Callable from any thread. */
    Executor eventLoop();

    /**
     * Tells whether the calling thread is this exchange's event loop. The default (a transport
     * without its own threads) is true.
     *
     * @return true on the event loop. Callable from any thread.
     */
    default boolean inEventLoop() {
        return true;
    }

    /** @return true while the connection is open. Callable from any thread. */
    boolean isConnected();

    /** @return the state the engine attached to this exchange's connection, or null */
    ConnectionAttachment connectionAttachment();

    /** @param attachment the engine's per-connection state, kept for the connection's lifetime */
    void connectionAttachment(ConnectionAttachment attachment);

    /**
     * Writes (part of) the response. The first call carries the head; later calls pass
     * {@code head == null}. When {@code head.contentLength() >= 0} the transport sends exactly that
     * many entity bytes in total (the engine guarantees the chunks add up) and no chunked coding;
     * when it is -1 the transport uses chunked transfer coding (HTTP/1.1) or closes the connection
     * at the end (HTTP/1.0). For HEAD requests the engine passes no chunks but the real
     * Content-Length. {@code last} ends the response; after it the transport may read the next
     * pipelined request, and closes the connection when the head said so.
     *
     * @param head   the status line and headers, or null when already sent
     * @param chunks entity chunks to send in order; file chunks go out zero-copy where possible
     * @param last   true for the final write of this response
     */
    void write(ResponseHead head, List<DataChunk> chunks, boolean last);

    /**
     * Runs a task once when the exchange's connection closes (on the transport's thread), for the
     * per-connection module context container's cleanup. The default never runs it (a transport
     * without connections).
     *
     * @param task what to run
     */
    default void onConnectionClosed(Runnable task) {}

    /** Drops the connection at once without (further) response; ends the exchange. */
    void abort();

    /**
     * Resets the connection without (further) response, as IIS's {@code IHttpResponse::ResetConnection}
     * does: where the transport can, the peer sees a TCP reset (RST) rather than an orderly close;
     * ends the exchange. The default is {@link #abort()}.
     */
    default void reset() {
        abort();
    }

    /**
     * Tells whether the connection can take more response data without it queuing in memory.
     * The default (a transport without flow control) is always true.
     *
     * @return true when more may be written now
     */
    default boolean isWritable() {
        return true;
    }

    /**
     * Runs a task on the event loop once what was written so far has drained to the socket, or
     * the connection closed; at once when nothing is queued. The default runs it at once.
     *
     * @param task what to run, once
     */
    default void onWritable(Runnable task) {
        task.run();
    }

    /**
     * Runs a task once every write handed to the transport so far has been written to the socket
     * (or failed, or the connection closed): from then on the transport holds no reference to the
     * written chunks' memory. Unlike {@link #onWritable}, it does not run early while the outbound
     * buffer is merely below its high-water mark. May run the task at once, on the caller, when
     * nothing is in flight. The default runs it at once (a transport that writes synchronously).
     *
     * @param task what to run, once
     */
    default void onWritten(Runnable task) {
        task.run();
    }

    /**
     * Upgrades the connection to WebSocket: validates the request's upgrade headers, sends
     * {@code 101 Switching Protocols} and switches the connection to WebSocket framing; after it,
     * the exchange's final {@link #write} only ends the exchange (closing the connection). The
     * default (a transport without WebSocket) refuses.
     *
     * @param receiveBufferLimit the largest frame payload accepted, in bytes
     * @param pingInterval       how long the client may stay silent before a ping; zero for never
     * @param subprotocol        the subprotocol the 101 names in {@code Sec-WebSocket-Protocol}
     *                           when the client offered it (RFC 6455 section 4.2.2); empty for none
     * @return the WebSocket, or empty when the request is not a valid upgrade
     */
    default Optional<WebSocketContext> upgradeToWebSocket(
            int receiveBufferLimit, Duration pingInterval, String subprotocol) {
        return Optional.empty();
    }
}
