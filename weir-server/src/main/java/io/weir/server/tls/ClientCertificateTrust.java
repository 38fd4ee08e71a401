package io.weir.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorities a listener's client certificates are checked against, as http.sys checks them
 * before IIS sees the request: the chain the client sent must lead, by PKIX path validation at the
 * time of the request, to one of them. The verdict does not fail the handshake (http.sys does not
 * either): it reaches the request as {@code CERT_FLAGS} bit 2 ("the issuer is not trusted"), on
 * which the web core answers 403.16 where {@code access@sslFlags} asks for client certificates.
 *
 * <p>The authorities are the certificates of a store folder ({@code weirSslCtlStoreName} of the
 * binding, "Root" by default, as Windows' trusted root store; a sub-folder of
 * {@code weirCertificateStorePath}): every {@code .pem}, {@code .crt} and {@code .cer} file in it
 * (PEM or DER, several certificates per file allowed). When that folder does not exist, the JDK's
 * trusted authorities are used, as http.sys uses the machine's. Revocation is not checked.
 * Immutable and thread-safe; a check costs one path validation and is kept in the TLS session.
 */
public final class ClientCertificateTrust {

    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificateTrust.class);

    private static final String SESSION_VALUE = "io.weir.clientCertificateTrusted";

    private final Set<TrustAnchor> anchors;
    private final String origin;

    private ClientCertificateTrust(Set<TrustAnchor> anchors, String origin) {
        this.anchors = anchors;
        this.origin = origin;
    }

    /**
     * Reads the authorities of a store folder, or the JDK's when the folder does not exist.
     * Blocking (file I/O).
     *
     * @param folder the store folder
     * @return the trust
     * @throws IOException naming the file when a file of the folder cannot be read as certificates
     */
    public static ClientCertificateTrust load(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return new ClientCertificateTrust(jdkAnchors(), "the JDK's trusted authorities (no folder " + folder + ")");
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(
                folder,
                p -> Files.isRegularFile(p)
                        && p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(pem|crt|cer)"))) {
            stream.forEach(files::add);
        }
        files.sort(null);
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    if (c instanceof X509Certificate x) {
                        anchors.add(new TrustAnchor(x, null));
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new IOException(file + ": cannot be read as certificates: " + e.getMessage(), e);
            }
        }
        if (anchors.isEmpty()) {
            LOG.warn(
                    "the client certificate authority store {} holds no certificate: no client certificate is trusted",
                    folder);
        }
        return new ClientCertificateTrust(Set.copyOf(anchors), "store " + folder);
    }

    private static Set<TrustAnchor> jdkAnchors() throws IOException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            Set<TrustAnchor> anchors = new HashSet<>();
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        anchors.add(new TrustAnchor(c, null));
                    }
                }
            }
            return Set.copyOf(anchors);
        } catch (GeneralSecurityException e) {
            throw new IOException("the JDK's trusted authorities cannot be read: " + e.getMessage(), e);
        }
    }

    /** @return where the authorities come from, for logs */
    public String origin() {
        return origin;
    }

    /**
     * Tells whether a client's chain leads to a trusted authority, at the current time.
     *
     * @param chain the chain the client sent, leaf first
     * @return true when PKIX path validation succeeds
     */
    public boolean trusts(List<X509Certificate> chain) {
        if (chain.isEmpty() || anchors.isEmpty()) {
            return false;
        }
        try {
            // the authority itself is the anchor, not part of the path
            List<X509Certificate> path = new ArrayList<>();
            path.add(chain.get(0));
            for (X509Certificate c : chain.subList(1, chain.size())) {
                if (anchors.stream().noneMatch(a -> a.getTrustedCert().equals(c))) {
                    path.add(c);
                }
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return true;
        } catch (CertPathValidatorException e) {
            return false;
        } catch (GeneralSecurityException e) {
            LOG.debug("client certificate path validation failed: {}", e.toString());
            return false;
        }
    }

    /**
     * Returns the verdict on a TLS session's client chain, computed once per session.
     *
     * @param session the session
     * @param chain   its client chain, leaf first
     * @return true when trusted
     */
    boolean trusts(SSLSession session, List<X509Certificate> chain) {
        Object known = session.getValue(SESSION_VALUE);
        if (known instanceof Boolean b) {
            return b;
        }
        boolean verdict = trusts(chain);
        try {
            session.putValue(SESSION_VALUE, verdict);
        } catch (RuntimeException e) {
            // a session that keeps no values: computed again next time
        }
        return verdict;
    }
}
