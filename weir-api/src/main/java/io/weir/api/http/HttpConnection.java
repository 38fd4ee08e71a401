package io.weir.api.http;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

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
     * Returns the certificate chain the client presented in the connection's TLS handshake, as
     * IIS's {@code IHttpRequest::GetClientCertificate} does. Callable in any request notification
     * from any thread. A client is asked for a certificate only on bindings whose site's
     * {@code system.webServer/security/access@sslFlags} has {@code SslNegotiateCert} or
     * {@code SslRequireCert}.
     *
     * @return the chain, leaf first; empty when the connection is not TLS or the client sent none
     */
    default List<X509Certificate> clientCertificates() {
        return List.of();
    }

    /**
     * Returns the per-connection store.
     *
     * @return the container, never null
     */
    HttpModuleContextContainer moduleContextContainer();
}
