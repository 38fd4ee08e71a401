package io.weir.api.outbound;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an outbound connection goes: a TCP host and port, or a Unix-domain socket file.
 */
public sealed interface OutboundAddress permits OutboundAddress.Tcp, OutboundAddress.Tls, OutboundAddress.UnixDomain {

    /**
     * A TCP address; the host is resolved when the connection is opened.
     *
     * @param host a host name or a literal IPv4/IPv6 address (without brackets)
     * @param port the port, 1 to 65535
     */
    record Tcp(String host, int port) implements OutboundAddress {
        /**
         * Validates the address.
         *
         * @param host the host
         * @param port the port
         * @throws IllegalArgumentException if the host is empty or the port out of range
         */
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid TCP address " + host + ":" + port);
            }
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * A TCP address reached over TLS (an {@code https://} backend). The server's certificate must
     * chain to a trusted certificate (the JDK's default trust store, plus the PEM file named by
     * the system property {@code weir.outbound.trustedCertificates} when set) and name the host
     * (RFC 9110 section 4.3.4); the host is also sent as the TLS server name (SNI) when it is not
     * an IP literal. A failed handshake fails the exchange or stream like a failed connection.
     *
     * @param host a host name or a literal IPv4/IPv6 address (without brackets)
     * @param port the port, 1 to 65535
     */
    record Tls(String host, int port) implements OutboundAddress {
        /**
         * Validates the address.
         *
         * @param host the host
         * @param port the port
         * @throws IllegalArgumentException if the host is empty or the port out of range
         */
        public Tls {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid TLS address " + host + ":" + port);
            }
        }

        @Override
        public String toString() {
            return "tls:" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * A Unix-domain stream socket.
     *
     * @param path the socket file
     */
    record UnixDomain(Path path) implements OutboundAddress {
        /**
         * Validates the address.
         *
         * @param path the socket file
         */
        public UnixDomain {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }
}
