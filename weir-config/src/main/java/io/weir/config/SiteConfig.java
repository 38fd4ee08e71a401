package io.weir.config;

import io.weir.api.config.ConfigSource;
import java.nio.file.Path;
import java.util.List;

/**
 * One {@code system.applicationHost/sites/site}.
 *
 * @param name            the site's name
 * @param id              the site's id
 * @param serverAutoStart whether it starts with the server
 * @param bindings        its bindings, in order
 * @param applications    its applications, in order ("/" first when present)
 * @param hsts            its {@code hsts} element (HTTP Strict Transport Security, IIS 10 1709+)
 * @param source          where the site was written
 */
public record SiteConfig(
        String name,
        long id,
        boolean serverAutoStart,
        List<BindingConfig> bindings,
        List<ApplicationConfig> applications,
        Hsts hsts,
        ConfigSource source) {

    /**
     * A site without HSTS.
     *
     * @param name            the site's name
     * @param id              the site's id
     * @param serverAutoStart whether it starts with the server
     * @param bindings        its bindings, in order
     * @param applications    its applications, in order ("/" first when present)
     * @param source          where the site was written
     */
    public SiteConfig(
            String name,
            long id,
            boolean serverAutoStart,
            List<BindingConfig> bindings,
            List<ApplicationConfig> applications,
            ConfigSource source) {
        this(name, id, serverAutoStart, bindings, applications, Hsts.NONE, source);
    }

    /**
     * A site's {@code hsts} element, as IIS 10 version 1709 has it: with {@code enabled}, every
     * response on an https binding carries {@code Strict-Transport-Security} (RFC 6797) with
     * {@code max-age} and, when set, {@code includeSubDomains} and {@code preload}; with
     * {@code redirectHttpToHttps} as well, a request on an http binding is answered 301 with the
     * same URL on https.
     *
     * @param enabled             whether HSTS is on for the site
     * @param maxAge              {@code max-age}, in seconds
     * @param includeSubDomains   whether the header says {@code includeSubDomains}
     * @param preload             whether the header says {@code preload}
     * @param redirectHttpToHttps whether http requests are redirected to https
     */
    public record Hsts(
            boolean enabled, long maxAge, boolean includeSubDomains, boolean preload, boolean redirectHttpToHttps) {

        /** HSTS off (IIS's defaults). */
        public static final Hsts NONE = new Hsts(false, 0, false, false, false);

        /**
         * Returns the {@code Strict-Transport-Security} header value, for example
         * {@code max-age=31536000; includeSubDomains; preload}.
         *
         * @return the value; null when HSTS is not enabled
         */
        public String headerValue() {
            if (!enabled) {
                return null;
            }
            return "max-age=" + maxAge + (includeSubDomains ? "; includeSubDomains" : "")
                    + (preload ? "; preload" : "");
        }
    }

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
     * @param sslCtlStoreName      the certificate store whose authorities client certificates are
     *                             checked against ({@code weirSslCtlStoreName}, as netsh's
     *                             {@code sslctlstorename}; "Root" by default)
     * @param source               where it was written
     */
    public record BindingConfig(
            String protocol,
            String ip,
            int port,
            String host,
            long sslFlags,
            String certificateHash,
            String certificateStoreName,
            boolean negotiateClientCertificate,
            String sslCtlStoreName,
            ConfigSource source) {

        /**
         * A binding whose client certificates are checked against the "Root" store.
         *
         * @param protocol             "http" or "https"
         * @param ip                   "*" for all addresses, else a literal address
         * @param port                 the port, 0 for any free port
         * @param host                 the Host header to match, "" for any
         * @param sslFlags             IIS's {@code sslFlags} bits
         * @param certificateHash      the certificate's SHA-1 thumbprint, "" when none
         * @param certificateStoreName the certificate store
         * @param negotiateClientCertificate whether handshakes ask for a client certificate
         * @param source               where it was written
         */
        public BindingConfig(
                String protocol,
                String ip,
                int port,
                String host,
                long sslFlags,
                String certificateHash,
                String certificateStoreName,
                boolean negotiateClientCertificate,
                ConfigSource source) {
            this(
                    protocol,
                    ip,
                    port,
                    host,
                    sslFlags,
                    certificateHash,
                    certificateStoreName,
                    negotiateClientCertificate,
                    "Root",
                    source);
        }

        /** {@code sslFlags} bit: the binding's host name is matched against the TLS server name (SNI). */
        public static final long SSL_SNI = 1;
        /** {@code sslFlags} bit: the certificate comes from the central certificate store, by host name. */
        public static final long SSL_CENTRAL_CERTIFICATE_STORE = 2;
        /** {@code sslFlags} bit: HTTP/2 is not offered on this binding. */
        public static final long SSL_DISABLE_HTTP2 = 4;
        /** {@code sslFlags} bit: no OCSP response is stapled to this binding's handshakes. */
        public static final long SSL_DISABLE_OCSP_STAPLING = 8;
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
        public BindingConfig(
                String protocol,
                String ip,
                int port,
                String host,
                long sslFlags,
                String certificateHash,
                String certificateStoreName,
                ConfigSource source) {
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
            return new BindingConfig(
                    protocol,
                    newIp,
                    newPort,
                    host,
                    sslFlags,
                    certificateHash,
                    certificateStoreName,
                    negotiateClientCertificate,
                    sslCtlStoreName,
                    source);
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
    public record ApplicationConfig(
            String path,
            String applicationPool,
            List<VirtualDirectoryConfig> virtualDirectories,
            ConfigSource source) {}

    /**
     * One {@code virtualDirectory}.
     *
     * @param path         relative to its application, "/" for the application root
     * @param physicalPath absolute, expanded and normalized
     * @param source       where it was written
     */
    public record VirtualDirectoryConfig(String path, Path physicalPath, ConfigSource source) {}
}
