package io.weir.api.http;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The client's request; mirrors IIS's {@code IHttpRequest}. Used on the request's event loop, from
 * notification methods only. Header names are case-insensitive.
 */
public interface HttpRequest {

    /**
     * Returns the verb.
     *
     * @return for example {@code "GET"}
     */
    String method();

    /**
     * Changes the verb; later stages see the new one as if the client had sent it. Mirrors
     * {@code SetHttpMethod}.
     *
     * @param method the new verb, a valid HTTP token
     * @throws IllegalArgumentException if {@code method} is not a valid token
     */
    void setMethod(String method);

    /**
     * Returns the request URL's absolute path, percent-decoded (UTF-8) and without the query
     * string; this is what handler mapping and configuration use.
     *
     * @return for example {@code "/docs/a b.html"}
     */
    String urlPath();

    /**
     * Returns the request target as the client sent it.
     *
     * @return for example {@code "/docs/a%20b.html?x=1"}
     */
    String rawUrl();

    /**
     * Returns the query string.
     *
     * @return the part after {@code '?'}, without it; empty when there is none
     */
    String queryString();

    /**
     * Rewrites the URL; later processing (handler mapping, configuration, logging) uses the new
     * one. {@code HTTP_URL}, {@code UNENCODED_URL} and {@code REQUEST_URI}, like
     * {@link #rawUrl()}, keep the request target as the client sent it; {@code URL},
     * {@code SCRIPT_NAME} and {@code PATH_INFO} follow the rewritten path. That is what IIS does
     * for URL Rewrite (its rules after a rewrite see the new path in {@code {URL}}, and IIS points
     * to {@code UNENCODED_URL} and {@code HTTP_X_ORIGINAL_URL} for the original), although the
     * {@code SetUrl} page says server variables such as {@code URL} keep the original: Weir
     * follows the behaviour modules rely on. Call it in
     * GL_PRE_BEGIN_REQUEST or BEGIN_REQUEST only, as IIS advises. Mirrors {@code SetUrl}.
     *
     * @param url              the new absolute path, optionally with {@code ?query}
     * @param resetQueryString true to drop the current query string when {@code url} has none
     * @throws IllegalArgumentException if {@code url} is not an absolute path
     * @throws IllegalStateException    if called after BEGIN_REQUEST
     */
    void setUrl(String url, boolean resetQueryString);

    /**
     * Tells whether {@link #setUrl} was called. Mirrors {@code GetUrlChanged}.
     *
     * @return true after a rewrite
     */
    boolean urlChanged();

    /**
     * Returns a request header; several values are joined with {@code ", "}.
     *
     * @param name the header name
     * @return the value, or empty when absent
     */
    Optional<String> header(String name);

    /**
     * Returns every value of a request header, in order.
     *
     * @param name the header name
     * @return the values; empty when absent
     */
    List<String> headers(String name);

    /**
     * Returns the names of the request headers.
     *
     * @return the names, each once, in arrival order
     */
    List<String> headerNames();

    /**
     * Sets a request header for later modules. Mirrors {@code SetHeader}.
     *
     * @param name    the header name
     * @param value   the value
     * @param replace true to replace existing values, false to append one
     * @throws IllegalArgumentException if {@code name} or {@code value} holds CR, LF or NUL
     */
    void setHeader(String name, String value, boolean replace);

    /**
     * Removes a request header. Mirrors {@code DeleteHeader}.
     *
     * @param name the header name
     */
    void deleteHeader(String name);

    /**
     * Returns the protocol version.
     *
     * @return {@code "HTTP/1.1"}, {@code "HTTP/1.0"} or {@code "HTTP/2.0"}
     */
    String httpVersion();

    /**
     * Returns the client's address. Mirrors {@code GetRemoteAddress}.
     *
     * @return the remote address
     */
    InetSocketAddress remoteAddress();

    /**
     * Returns the server address that received the request. Mirrors {@code GetLocalAddress}.
     *
     * @return the local address
     */
    InetSocketAddress localAddress();

    /**
     * {@link #readEntityBody(ByteBuffer, boolean)}'s answer when an asynchronous read will complete
     * later: return {@code PENDING}; {@code onAsyncCompletion} follows.
     */
    int READ_PENDING = -2;

    /**
     * Returns the number of entity bytes not yet read. Mirrors {@code GetRemainingEntityBytes}:
     * {@code Content-Length} minus the bytes read so far, plus bytes put back with
     * {@link #insertEntityBody}.
     *
     * @return the count in bytes; -1 while a chunked entity (length unknown) has not ended (Weir's
     *         choice; IIS does not document the chunked case); 0 when no body is left
     */
    long remainingEntityBytes();

    /**
     * Reads request-entity bytes into {@code destination}, synchronously. The entity is streamed:
     * the transport receives it as the client sends it, with back-pressure, and never holds it
     * whole. Raises {@link io.weir.api.RequestNotification#READ_ENTITY} on every completed call,
     * also when nothing is read (IIS does the same). Mirrors {@code ReadEntityBody} with
     * {@code fAsync = FALSE}:
     * <ul>
     *   <li>on a blocking thread (a notification declared blocking, or work on
     *       {@code HttpServer.blockingExecutor()}) it waits, as IIS's synchronous read does, until
     *       some bytes arrive or the entity ends or fails (READ_ENTITY then runs on the request's
     *       event loop while the caller waits);</li>
     *   <li>on the request's event loop, which must never wait for a client, it returns what has
     *       arrived, and throws {@link IllegalStateException} when it would have to wait (nothing
     *       has arrived, the entity has not ended): use the asynchronous form there. This is Weir's
     *       difference from IIS, whose worker threads may block.</li>
     * </ul>
     *
     * @param destination where to put the bytes; filled from its position
     * @return the number of bytes read; 0 only when {@code destination} has no room; -1 at the end
     *         of the entity (IIS's {@code ERROR_HANDLE_EOF})
     * @throws EntityReadException when the entity cannot be read: it grew past
     *                             {@code maxAllowedContentLength} (the status is then already set
     *                             to 404.13 / 413.1 and the connection will close after the
     *                             response), past the server-wide cap, or the client went away
     * @throws IllegalStateException on the event loop when the read would have to wait
     */
    default int readEntityBody(ByteBuffer destination) {
        return readEntityBody(destination, false);
    }

    /**
     * Reads request-entity bytes into {@code destination}, synchronously or asynchronously; mirrors
     * {@code ReadEntityBody(pvBuffer, cbBuffer, fAsync, &cbBytesReceived, &fCompletionPending)}.
     * With {@code async} false this is {@link #readEntityBody(ByteBuffer)}. With {@code async} true,
     * when bytes have arrived, the entity has ended or failed, the call completes at once exactly
     * like the synchronous form (IIS's {@code fCompletionPending = FALSE}: carry on and do not
     * return PENDING); otherwise it returns {@link #READ_PENDING}, the module returns
     * {@code PENDING}, and when data arrives the engine reads into {@code destination} (raising
     * READ_ENTITY) and calls the module's {@code onAsyncCompletion} on the request's event loop
     * with {@link CompletionInfo#completionBytes()} = the bytes read, or -1 at the end of the
     * entity, and {@link CompletionInfo#error()} = an {@link EntityReadException} when the read
     * failed. Keep {@code destination} untouched until then. An asynchronous read is only valid
     * from a notification method (or {@code onAsyncCompletion}) of the module that then returns
     * PENDING.
     *
     * @param destination where to put the bytes; filled from its position
     * @param async       true for IIS's {@code fAsync}
     * @return the bytes read, -1 (end of entity) or {@link #READ_PENDING}
     * @throws EntityReadException   as {@link #readEntityBody(ByteBuffer)}, when the failure is
     *                               already known
     * @throws IllegalStateException when an asynchronous read is already pending, or for a
     *                               synchronous read on the event loop that would have to wait
     */
    int readEntityBody(ByteBuffer destination, boolean async);

    /**
     * Puts bytes in front of the entity's unread part, for example after a module read it, so
     * that the handler reads them again (IIS: a module that consumes the body must put it back).
     * Does not change {@code Content-Length}. Mirrors {@code InsertEntityBody}.
     *
     * @param bytes the bytes to insert, kept by reference
     */
    void insertEntityBody(ByteBuffer bytes);
}
