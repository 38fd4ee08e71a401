package io.weir.api.websocket;

import java.nio.ByteBuffer;

/**
 * An accepted WebSocket connection (RFC 6455), as a handler module sees it after
 * {@link io.weir.api.http.HttpContext#acceptWebSocket()}; mirrors IIS's {@code IWebSocketContext}:
 * fragments are read and written asynchronously, each operation completing through a callback,
 * and the request stays PENDING until the module has finished with the connection and calls
 * {@link io.weir.api.http.HttpContext#indicateCompletion}.
 *
 * <p>Every method must be called on the request's event loop (from a notification method or from
 * a completion of this context), and every callback runs there. The server owns the framing:
 * masking, control frames (a ping is answered with a pong; with {@code pingInterval} the server
 * pings an idle client), fragment order, UTF-8 validation of text messages (invalid text closes
 * with 1007), the size limit {@code receiveBufferLimit} (a larger frame closes with 1009) and
 * protocol errors (1002).
 */
public interface WebSocketContext {

    /**
     * Reads the next data fragment; mirrors {@code IWebSocketContext::ReadFragment} with
     * {@code fAsync = TRUE}. One read may be outstanding at a time; the server reads from the
     * socket only while a read is outstanding (back-pressure).
     *
     * @param handler receives the fragment, or the close, or the failure
     * @throws IllegalStateException if a read is already outstanding
     */
    void readFragment(WebSocketFragmentHandler handler);

    /**
     * Writes a data fragment; mirrors {@code IWebSocketContext::WriteFragment}. Fragments of one
     * message must be written in order, the first saying whether the message is text
     * ({@code utf8}), the last with {@code finalFragment}.
     *
     * @param data          the payload between position and limit, sent by reference
     * @param utf8          true for a text message, false for binary (taken from the first fragment)
     * @param finalFragment true for the message's last fragment
     * @param completion    called once the fragment has been written to the socket (or failed)
     */
    void writeFragment(ByteBuffer data, boolean utf8, boolean finalFragment, WebSocketCompletion completion);

    /**
     * Starts the closing handshake by sending a Close frame; mirrors
     * {@code IWebSocketContext::SendConnectionClose}. When the client answers with its Close, the
     * outstanding read (if any) reports it and the server closes the TCP connection.
     *
     * @param status     the close code (RFC 6455 section 7.4), for example 1000
     * @param reason     a short reason, may be empty
     * @param completion called once the Close frame has been written
     */
    void sendConnectionClose(int status, String reason, WebSocketCompletion completion);

    /**
     * Returns the close code the client sent; mirrors {@code GetCloseStatus}.
     *
     * @return the code, or -1 while the client has not sent a Close (1005 when its Close had none)
     */
    int closeStatus();

    /**
     * Returns the reason the client sent with its Close.
     *
     * @return the reason; empty when none
     */
    String closeReason();

    /** Drops the TCP connection at once, without a closing handshake; mirrors {@code CloseTcpConnection}. */
    void closeTcpConnection();
}
