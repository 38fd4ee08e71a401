package io.weir.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads certificate files: PEM (the certificate, its issuers and the private key in one file, in
 * any order; PKCS#8, PKCS#1 or SEC1 keys, encrypted ones with the password) and PKCS#12
 * ({@code .pfx}, {@code .p12}: the first entry with a private key). Every certificate is checked
 * before it is served: in its validity period, and its private key matches its public key; a
 * failure is an {@link IOException} naming the file and the reason. Stateless.
 */
public final class CertificateFiles {

    private CertificateFiles() {}

    /**
     * @param file a file name
     * @return true for {@code .pfx} and {@code .p12}
     */
    public static boolean isPkcs12(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".pfx") || name.endsWith(".p12");
    }

    /**
     * @param file a file name
     * @return true for the extensions a certificate store holds: {@code .pem}, {@code .pfx}, {@code .p12}
     */
    public static boolean isCertificateFile(Path file) {
        return isPkcs12(file)
                || file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pem");
    }

    /**
     * Reads and checks a certificate file. Blocking (file I/O).
     *
     * @param file     a PEM or PKCS#12 file
     * @param password the password of a PKCS#12 file or of an encrypted PEM key; empty for none
     * @param now      the time the validity period is checked against
     * @return the certificate
     * @throws IOException naming the file: unreadable, no certificate or no key, wrong password,
     *                     expired or not yet valid, or a key that does not belong to the certificate
     */
    public static ServerCertificate read(Path file, char[] password, Instant now) throws IOException {
        ServerCertificate read = parse(file, password);
        X509Certificate certificate = read.certificate();
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new IOException(file + ": the certificate for " + read.subject() + " expired on "
                    + certificate.getNotAfter().toInstant());
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new IOException(file + ": the certificate for " + read.subject() + " is not valid before "
                    + certificate.getNotBefore().toInstant());
        }
        if (!keyMatches(read.key(), certificate.getPublicKey())) {
            throw new IOException(file + ": the private key does not belong to the certificate for " + read.subject());
        }
        return read;
    }

    /**
     * Reads a certificate file without checking it (for listings and thumbprint look-ups).
     * Blocking (file I/O).
     *
     * @param file     a PEM or PKCS#12 file
     * @param password the password of a PKCS#12 file or of an encrypted PEM key; empty for none
     * @return the certificate
     * @throws IOException naming the file when it cannot be read or holds no key and certificate
     */
    public static ServerCertificate parse(Path file, char[] password) throws IOException {
        try {
            return isPkcs12(file) ? readPkcs12(file, password) : readPem(file, password);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException | RuntimeException e) {
            throw new IOException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Returns a certificate's SHA-1 thumbprint as IIS shows it.
     *
     * @param certificate a certificate
     * @return 40 upper-case hexadecimal digits
     */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of()
                    .withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    /**
     * @param certificate a certificate
     * @return the DNS names of its subject alternative name extension, in order; empty when none
     */
    public static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> entry : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(entry.get(0))) {
                        names.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return List.copyOf(names);
    }

    private static ServerCertificate readPkcs12(Path file, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password")) {
                throw new IOException("wrong password for the PKCS#12 file", e);
            }
            throw e;
        }
        for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
            String alias = aliases.nextElement();
            if (!store.isKeyEntry(alias)) {
                continue;
            }
            PrivateKey key = (PrivateKey) store.getKey(alias, password);
            Certificate[] chain = store.getCertificateChain(alias);
            if (key == null || chain == null || chain.length == 0) {
                continue;
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : chain) {
                certificates.add((X509Certificate) c);
            }
            return new ServerCertificate(file, key, List.copyOf(certificates), thumbprint(certificates.get(0)));
        }
        throw new IOException("the PKCS#12 file holds no private key with a certificate");
    }

    private static ServerCertificate readPem(Path file, char[] password)
            throws IOException, CertificateException, OperatorCreationException, PKCSException {
        List<X509Certificate> certificates = new ArrayList<>();
        PrivateKey key = null;
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(certs.getCertificate(holder));
                } else if (item instanceof PrivateKeyInfo info) {
                    key = keys.getPrivateKey(info);
                } else if (item instanceof PEMKeyPair pair) {
                    key = keys.getKeyPair(pair).getPrivate();
                } else if (item instanceof PEMEncryptedKeyPair encrypted) {
                    key = keys.getKeyPair(
                                    encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().build(password)))
                            .getPrivate();
                } else if (item instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    key = keys.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().build(password)));
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException("the PEM file holds no certificate");
        }
        if (key == null) {
            throw new IOException("the PEM file holds no private key (put the key and the certificate in one file)");
        }
        // the leaf is the certificate the key belongs to, wherever the file put it
        for (int i = 0; i < certificates.size(); i++) {
            if (keyMatches(key, certificates.get(i).getPublicKey())) {
                certificates.add(0, certificates.remove(i));
                break;
            }
        }
        return new ServerCertificate(file, key, List.copyOf(certificates), thumbprint(certificates.get(0)));
    }

    private static boolean keyMatches(PrivateKey key, PublicKey publicKey) {
        String algorithm =
                switch (key.getAlgorithm()) {
                    case "RSA" -> "SHA256withRSA";
                    case "EC" -> "SHA256withECDSA";
                    case "Ed25519" -> "Ed25519";
                    default -> null;
                };
        if (algorithm == null || !publicKey.getAlgorithm().equals(key.getAlgorithm())) {
            return algorithm == null && publicKey.getAlgorithm().equals(key.getAlgorithm());
        }
        try {
            byte[] probe = "weir key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
