package io.weir.server.outbound;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS client settings of the outbound connections to {@code https://} backends: the JDK's
 * default trust store (the system's certificate authorities), plus the certificates of the PEM
 * file named by the system property {@value #TRUSTED_CERTIFICATES} (a test or company CA), and
 * host-name verification ({@code HTTPS} endpoint identification). Built once, on first use.
 */
final class OutboundTls {

    /** The system property naming a PEM file of further trusted certificates. */
    static final String TRUSTED_CERTIFICATES = "weir.outbound.trustedCertificates";

    /** The context and the property value it was built for. */
    private record Built(String extraPem, SslContext context) {}

    private static volatile Built built;

    private OutboundTls() {}

    /**
     * Returns the client context, building it on first use and again when the property changed.
     *
     * @return the context
     * @throws UncheckedIOException if the PEM file named by the property cannot be read
     * @throws IllegalStateException if the trust store cannot be built
     */
    static SslContext context() {
        String extraPem = System.getProperty(TRUSTED_CERTIFICATES, "");
        Built b = built;
        if (b == null || !b.extraPem().equals(extraPem)) {
            synchronized (OutboundTls.class) {
                b = built;
                if (b == null || !b.extraPem().equals(extraPem)) {
                    b = new Built(extraPem, build(extraPem));
                    built = b;
                }
            }
        }
        return b.context();
    }

    static SslContext build(String extraPem) {
        try {
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            SslContextBuilder builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
            if (extraPem.isBlank()) {
                return builder.trustManager(system).build();
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (TrustManager tm : system.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("system-" + n++, ca);
                    }
                }
            }
            try (InputStream in = Files.newInputStream(Path.of(extraPem.strip()))) {
                for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("trusted-" + n++, cert);
                }
            }
            TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            combined.init(store);
            return builder.trustManager(combined).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TRUSTED_CERTIFICATES + "=" + extraPem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the outbound TLS trust store", e);
        }
    }
}
