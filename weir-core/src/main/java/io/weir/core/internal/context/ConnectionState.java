package io.weir.core.internal.context;

import io.weir.api.http.HttpConnection;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.core.internal.stored.ContextContainer;
import io.weir.core.spi.ConnectionAttachment;
import io.weir.core.spi.Exchange;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/** Per-connection state kept on the transport's connection; mirrors {@code IHttpConnection}. */
final class ConnectionState implements HttpConnection, ConnectionAttachment {
    private final Exchange exchange;
    final ContextContainer container = new ContextContainer();

    /** @return the connection's state, created and attached on first use */
    static ConnectionState of(Exchange exchange) {
        if (exchange.connectionAttachment() instanceof ConnectionState state) {
            return state;
        }
        ConnectionState state = new ConnectionState(exchange);
        exchange.connectionAttachment(state);
        exchange.onConnectionClosed(state.container::cleanup);
        return state;
    }

    private ConnectionState(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public boolean isConnected() {
        return exchange.isConnected();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return exchange.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return exchange.localAddress();
    }

    @Override
    public boolean isSecure() {
        return exchange.isSecure();
    }

    @Override
    public List<X509Certificate> clientCertificates() {
        return exchange.clientCertificates();
    }

    /** @param name an upper-case TLS variable name @return the transport's value, or null when unknown */
    String transportVariable(String name) {
        return exchange.transportVariable(name);
    }

    @Override
    public HttpModuleContextContainer moduleContextContainer() {
        return container;
    }
}
