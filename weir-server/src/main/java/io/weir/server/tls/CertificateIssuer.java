package io.weir.server.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes certificates with BouncyCastle: ECDSA P-256 keys, a certificate authority, server and
 * client certificates it signs, self-signed ones; and writes them as PEM or PKCS#12. For Weir's
 * development certificate and for tests. Stateless; thread-safe.
 */
public final class CertificateIssuer {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key and its certificate chain, leaf first. @param key the private key @param chain the chain */
    public record Issued(PrivateKey key, List<X509Certificate> chain) {
        /** @return the leaf certificate */
        public X509Certificate certificate() {
            return chain.get(0);
        }

        /** @return the leaf's public key pair, for signing further certificates */
        public KeyPair keyPair() {
            return new KeyPair(chain.get(0).getPublicKey(), key);
        }
    }

    private CertificateIssuer() {}

    /** @return a new ECDSA P-256 key pair */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    /**
     * Makes a self-signed certificate authority.
     *
     * @param commonName its CN
     * @param notBefore  start of validity
     * @param notAfter   end of validity
     * @return the authority
     */
    public static Issued authority(String commonName, Instant notBefore, Instant notAfter) {
        KeyPair pair = newKeyPair();
        X500Principal name = new X500Principal("CN=" + commonName);
        X509Certificate c =
                build(name, pair, name, pair.getPrivate(), null, notBefore, notAfter, true, List.of(), false);
        return new Issued(pair.getPrivate(), List.of(c));
    }

    /**
     * Makes a server certificate for DNS names (the first is also the CN), signed by an authority,
     * or self-signed when {@code issuer} is null.
     *
     * @param issuer    the authority, or null
     * @param dnsNames  the subject alternative names, at least one
     * @param notBefore start of validity
     * @param notAfter  end of validity
     * @return the certificate with its chain (the authority's certificate second)
     */
    public static Issued server(Issued issuer, List<String> dnsNames, Instant notBefore, Instant notAfter) {
        return leaf(issuer, dnsNames, notBefore, notAfter, false);
    }

    /**
     * Makes a client certificate (extended key usage clientAuth) with a CN, signed by an authority.
     *
     * @param issuer     the authority
     * @param commonName the CN
     * @param notBefore  start of validity
     * @param notAfter   end of validity
     * @return the certificate with its chain
     */
    public static Issued client(Issued issuer, String commonName, Instant notBefore, Instant notAfter) {
        KeyPair pair = newKeyPair();
        X509Certificate c = build(
                new X500Principal("CN=" + commonName),
                pair,
                issuer.certificate().getSubjectX500Principal(),
                issuer.key(),
                issuer.certificate(),
                notBefore,
                notAfter,
                false,
                List.of(),
                true);
        List<X509Certificate> chain = new ArrayList<>(List.of(c));
        chain.addAll(issuer.chain());
        return new Issued(pair.getPrivate(), List.copyOf(chain));
    }

    private static Issued leaf(
            Issued issuer, List<String> dnsNames, Instant notBefore, Instant notAfter, boolean client) {
        KeyPair pair = newKeyPair();
        X500Principal subject = new X500Principal("CN=" + dnsNames.get(0));
        X509Certificate c = issuer == null
                ? build(subject, pair, subject, pair.getPrivate(), null, notBefore, notAfter, false, dnsNames, client)
                : build(
                        subject,
                        pair,
                        issuer.certificate().getSubjectX500Principal(),
                        issuer.key(),
                        issuer.certificate(),
                        notBefore,
                        notAfter,
                        false,
                        dnsNames,
                        client);
        List<X509Certificate> chain = new ArrayList<>(List.of(c));
        if (issuer != null) {
            chain.addAll(issuer.chain());
        }
        return new Issued(pair.getPrivate(), List.copyOf(chain));
    }

    private static X509Certificate build(
            X500Principal subject,
            KeyPair subjectKeys,
            X500Principal issuer,
            PrivateKey issuerKey,
            X509Certificate issuerCertificate,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            List<String> dnsNames,
            boolean client) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer,
                    new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (issuerCertificate != null) {
                builder.addExtension(
                        Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerCertificate));
            }
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(
                        Extension.extendedKeyUsage,
                        false,
                        new ExtendedKeyUsage(client ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
            }
            if (!dnsNames.isEmpty()) {
                GeneralName[] names = dnsNames.stream()
                        .map(n -> new GeneralName(GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a key and its chain as one PEM file (PKCS#8 key first), readable by the owner only
     * where the file system allows.
     *
     * @param file   the file to write (replaced)
     * @param issued the key and chain
     * @throws IOException when it cannot be written
     */
    public static void writePem(Path file, Issued issued) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(new JcaPKCS8Generator(issued.key(), null));
            for (X509Certificate c : issued.chain()) {
                pem.writeObject(c);
            }
        }
        writeQuietly(file, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Writes certificates alone as PEM (for a trust store).
     *
     * @param file         the file to write (replaced)
     * @param certificates the certificates
     * @throws IOException when it cannot be written
     */
    public static void writeCertificatesPem(Path file, List<X509Certificate> certificates) throws IOException {
        StringWriter text = new StringWriter();
        try (Writer w = text;
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (X509Certificate c : certificates) {
                pem.writeObject(c);
            }
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
    }

    /**
     * Writes a key and its chain as a PKCS#12 file.
     *
     * @param file     the file to write (replaced)
     * @param issued   the key and chain
     * @param password the password
     * @throws IOException when it cannot be written
     */
    public static void writePkcs12(Path file, Issued issued, char[] password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("weir", issued.key(), password, issued.chain().toArray(Certificate[]::new));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = bytes) {
                store.store(out, password);
            }
            writeQuietly(file, bytes.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": cannot write PKCS#12: " + e.getMessage(), e);
        }
    }

    /** Writes to a temporary file and moves it in place, so that a watcher never reads half a file. */
    private static void writeQuietly(Path file, byte[] content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".weir-", ".tmp");
        try {
            Files.write(temp, content);
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's permissions apply
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
