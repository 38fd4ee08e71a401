package io.weir.api.http;

import java.net.InetSocketAddress;

/**
 * The client connection that carries a request; mirrors IIS's {@code IHttpConnection}.
 * Thread-safe.
 */
public interface HttpConnection {

    /**
     * Tells whether the client is still connected; a module doing long work can stop early when
     * it is not. Mirrors {@code IsConnected}.
     *
     * @return true while the connection is open
     */
    boolean isConnected();

    /**
     * Returns the client's address.
     *
     * @return the remote address and port
     */
    InetSocketAddress remoteAddress();

    /**
     * Returns the server's address the client connected to.
     *
     * @return the local address and port
     */
    InetSocketAddress localAddress();

    /**
     * Tells whether the connection is protected by TLS.
     *
     * @return true for https
     */
    boolean isSecure();

    /**
     * Returns the per-connection store.
     *
     * @return the container, never null
     */
    HttpModuleContextContainer moduleContextContainer();
}
