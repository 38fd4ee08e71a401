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
     * one, while the {@code URL} server variable keeps the original. Call it in
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
     * Returns the number of entity bytes not yet read. Mirrors {@code GetRemainingEntityBytes}.
     *
     * @return the count in bytes
     */
    long remainingEntityBytes();

    /**
     * Reads request-entity bytes into {@code destination}, raising
     * {@link io.weir.api.RequestNotification#READ_ENTITY}. In this version the entity has been
     * received whole before the pipeline starts (up to 30,000,000 bytes, IIS's default
     * {@code maxAllowedContentLength}), so this never blocks. Mirrors {@code ReadEntityBody}.
     *
     * @param destination where to put the bytes; filled from its position
     * @return the number of bytes read, or -1 when the entity is exhausted
     */
    int readEntityBody(ByteBuffer destination);

    /**
     * Puts bytes in front of the entity's unread part, for example after a module read it.
     * Does not change {@code Content-Length}. Mirrors {@code InsertEntityBody}.
     *
     * @param bytes the bytes to insert, kept by reference
     */
    void insertEntityBody(ByteBuffer bytes);
}
