package io.weir.server.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A certificate with its private key and chain, as read from one file. Immutable.
 *
 * @param file       the file it was read from
 * @param key        the private key
 * @param chain      the certificate first, then its issuers as the file gives them
 * @param thumbprint the SHA-1 thumbprint of the certificate, 40 upper-case hex digits, as IIS
 *                   shows it ({@code certificateHash})
 */
public record ServerCertificate(Path file, PrivateKey key, List<X509Certificate> chain, String thumbprint) {

    /** @return the certificate itself (the chain's first) */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** @return the subject's distinguished name, RFC 2253 */
    public String subject() {
        return certificate().getSubjectX500Principal().getName();
    }

    /** @return the issuer's distinguished name, RFC 2253 */
    public String issuer() {
        return certificate().getIssuerX500Principal().getName();
    }

    /** @return the end of the validity period */
    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** @return the DNS names of the subject alternative name extension; empty when none */
    public List<String> dnsNames() {
        return CertificateFiles.dnsNames(certificate());
    }
}
