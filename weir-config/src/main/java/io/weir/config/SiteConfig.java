package io.weir.config;

import io.weir.api.config.ConfigSource;
import java.util.List;

/**
 * One {@code system.applicationHost/sites/site}.
 *
 * @param name            the site's name
 * @param id              the site's id
 * @param serverAutoStart whether it starts with the server
 * @param bindings        its bindings, in order
 * @param applications    its applications, in order ("/" first when present)
 * @param source          where the site was written
 */
public record SiteConfig(String name, long id, boolean serverAutoStart, List<BindingConfig> bindings,
        List<ApplicationConfig> applications, ConfigSource source) {

    /**
     * One {@code binding}: {@code protocol} and {@code bindingInformation} = {@code IP:port:host},
     * and for {@code https} where its certificate comes from.
     *
     * @param protocol             "http" or "https"
     * @param ip                   "*" for all addresses, else a literal address (IPv6 without brackets)
     * @param port                 the port, 0 for any free port
     * @param host                 the Host header to match, "" for any
     * @param sslFlags             IIS's {@code sslFlags} bits: 1 SNI, 2 central certificate store,
     *                             4 DisableHTTP2, 8 DisableOCSPStp, 16 DisableQUIC, 32 DisableTLS13,
     *                             64 DisableLegacyTLS; 0 when absent
     * @param certificateHash      the certificate's SHA-1 thumbprint (hex, as IIS shows it), "" when none
     * @param certificateStoreName the certificate store the thumbprint is looked up in ("My" by default)
     * @param negotiateClientCertificate whether TLS handshakes on this binding's address ask the
     *                             client for a certificate (optional for the client), as netsh's
     *                             {@code clientcertnegotiation=enable}
     * @param source               where it was written
     */
    public record BindingConfig(String protocol, String ip, int port, String host, long sslFlags,
            String certificateHash, String certificateStoreName, boolean negotiateClientCertificate,
            ConfigSource source) {

        /** {@code sslFlags} bit: the binding's host name is matched against the TLS server name (SNI). */
        public static final long SSL_SNI = 1;
        /** {@code sslFlags} bit: the certificate comes from the central certificate store, by host name. */
        public static final long SSL_CENTRAL_CERTIFICATE_STORE = 2;
        /** {@code sslFlags} bit: HTTP/2 is not offered on this binding. */
        public static final long SSL_DISABLE_HTTP2 = 4;
        /** {@code sslFlags} bit: HTTP/3 (QUIC) is not offered on this binding. */
        public static final long SSL_DISABLE_QUIC = 16;
        /** {@code sslFlags} bit: TLS 1.3 is not offered on this binding. */
        public static final long SSL_DISABLE_TLS13 = 32;
        /** {@code sslFlags} bit: only TLS 1.2 and newer (Weir's default in any case). */
        public static final long SSL_DISABLE_LEGACY_TLS = 64;

        /**
         * A binding without TLS settings.
         *
         * @param protocol "http" or "https"
         * @param ip       "*" for all addresses, else a literal address
         * @param port     the port, 0 for any free port
         * @param host     the Host header to match, "" for any
         * @param source   where it was written
         */
        public BindingConfig(String protocol, String ip, int port, String host, ConfigSource source) {
            this(protocol, ip, port, host, 0, "", "My", false, source);
        }

        /**
         * A binding with TLS settings and no client certificate negotiation.
         *
         * @param protocol             "http" or "https"
         * @param ip                   "*" for all addresses, else a literal address
         * @param port                 the port, 0 for any free port
         * @param host                 the Host header to match, "" for any
         * @param sslFlags             IIS's {@code sslFlags} bits
         * @param certificateHash      the certificate's SHA-1 thumbprint, "" when none
         * @param certificateStoreName the certificate store
         * @param source               where it was written
         */
        public BindingConfig(String protocol, String ip, int port, String host, long sslFlags,
                String certificateHash, String certificateStoreName, ConfigSource source) {
            this(protocol, ip, port, host, sslFlags, certificateHash, certificateStoreName, false, source);
        }

        /**
         * @param flag one of the {@code SSL_*} bits
         * @return true when {@link #sslFlags} has it
         */
        public boolean hasSslFlag(long flag) {
            return (sslFlags & flag) != 0;
        }

        /**
         * Returns a copy listening elsewhere, with the same TLS settings.
         *
         * @param newIp   the address
         * @param newPort the port
         * @return the copy
         */
        public BindingConfig withAddress(String newIp, int newPort) {
            return new BindingConfig(protocol, newIp, newPort, host, sslFlags, certificateHash, certificateStoreName,
                    negotiateClientCertificate, source);
        }
    }

    /**
     * One {@code application}.
     *
     * @param path               its virtual path, "/" for the root application
     * @param applicationPool    its pool's name, "" when none
     * @param virtualDirectories its virtual directories, paths relative to the application
     * @param source             where it was written
     */
    public record ApplicationConfig(String path, String applicationPool, List<VirtualDirectoryConfig> virtualDirectories,
            ConfigSource source) {
    }

    /**
     * One {@code virtualDirectory}.
     *
     * @param path         relative to its application, "/" for the application root
     * @param physicalPath absolute, expanded and normalized
     * @param source       where it was written
     */
    public record VirtualDirectoryConfig(String path, java.nio.file.Path physicalPath, ConfigSource source) {
    }
}
