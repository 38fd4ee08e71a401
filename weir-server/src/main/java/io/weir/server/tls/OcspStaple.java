package io.weir.server.tls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OCSP stapling (RFC 6066 section 8, "status_request") for one served certificate, as IIS does
 * unless {@code sslFlags} DisableOCSPStp is set: the OCSP response for the certificate is fetched
 * from the responder named in its Authority Information Access extension (RFC 6960, a POST with
 * BouncyCastle's OCSP request), checked (a successful response about this certificate, signed by
 * its issuer or by a responder the issuer certified, not past its nextUpdate), kept, and handed to
 * each new handshake, which sends it to a client that asks for it. It is fetched again halfway to
 * its nextUpdate (at most every hour); a failed fetch is retried every five minutes while the
 * previous response, if still current, keeps being stapled. A certificate without a responder or
 * without its issuer in the chain gets no stapling. The fetches run on one background thread;
 * {@link #current()} is called on event loops. Thread-safe.
 */
final class OcspStaple implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OcspStaple.class);
    private static final ScheduledExecutorService FETCHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weir-ocsp");
        t.setDaemon(true);
        return t;
    });
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration LONGEST_REFRESH = Duration.ofHours(1);
    private static final Duration RETRY = Duration.ofMinutes(5);

    private final X509Certificate certificate;
    private final X509Certificate issuer;
    private final URI responder;
    private volatile byte[] response;
    private volatile Instant expires = Instant.MIN;
    private volatile boolean closed;
    private ScheduledFuture<?> next;
    private boolean failing;

    private OcspStaple(X509Certificate certificate, X509Certificate issuer, URI responder) {
        this.certificate = certificate;
        this.issuer = issuer;
        this.responder = responder;
    }

    /**
     * Starts stapling for a certificate: the first fetch runs at once in the background.
     *
     * @param served the certificate with its chain
     * @return the staple, or empty when the certificate names no OCSP responder or its issuer is not
     *     in the chain
     */
    static Optional<OcspStaple> start(ServerCertificate served) {
        if (served.chain().size() < 2) {
            return Optional.empty();
        }
        Optional<URI> responder = responder(served.certificate());
        if (responder.isEmpty()) {
            return Optional.empty();
        }
        OcspStaple staple = new OcspStaple(served.certificate(), served.chain().get(1), responder.get());
        staple.schedule(Duration.ZERO);
        return Optional.of(staple);
    }

    /**
     * Returns the OCSP responder URL of a certificate's Authority Information Access extension.
     *
     * @param certificate the certificate
     * @return the first http URL of an id-ad-ocsp access description; empty when there is none
     */
    static Optional<URI> responder(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (value == null) {
            return Optional.empty();
        }
        try {
            AuthorityInformationAccess access =
                    AuthorityInformationAccess.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
            for (AccessDescription d : access.getAccessDescriptions()) {
                GeneralName location = d.getAccessLocation();
                if (d.getAccessMethod().equals(AccessDescription.id_ad_ocsp)
                        && location.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    String url = ASN1IA5String.getInstance(location.getName()).getString();
                    if (url.startsWith("http://") || url.startsWith("https://")) {
                        return Optional.of(URI.create(url));
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn(
                    "{}: unreadable Authority Information Access: {}",
                    certificate.getSubjectX500Principal(),
                    e.toString());
        }
        return Optional.empty();
    }

    /** @return the DER OCSP response to staple, or null when none is current */
    byte[] current() {
        byte[] r = response;
        return r != null && Instant.now().isBefore(expires) ? r : null;
    }

    /** Stops refreshing (the certificate is no longer served). */
    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    private synchronized void schedule(Duration delay) {
        if (!closed) {
            next = FETCHER.schedule(this::refresh, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void refresh() {
        if (closed) {
            return;
        }
        Instant now = Instant.now();
        try {
            Fetched fetched = fetch();
            response = fetched.der();
            expires = fetched.nextUpdate();
            if (failing) {
                LOG.info("OCSP responder {} answers again for {}", responder, certificate.getSubjectX500Principal());
            }
            failing = false;
            Duration half = Duration.between(now, fetched.nextUpdate()).dividedBy(2);
            schedule(half.compareTo(LONGEST_REFRESH) > 0 ? LONGEST_REFRESH : half.isNegative() ? RETRY : half);
        } catch (IOException | OCSPException | OperatorCreationException | CertificateEncodingException e) {
            if (!failing) {
                LOG.warn(
                        "OCSP stapling for {}: {} (retrying every {} minutes{})",
                        certificate.getSubjectX500Principal(),
                        e.getMessage(),
                        RETRY.toMinutes(),
                        current() != null ? "; the previous response is stapled until " + expires : "");
            }
            failing = true;
            schedule(RETRY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A checked response: its DER bytes and when it stops being current. */
    private record Fetched(byte[] der, Instant nextUpdate) {}

    private Fetched fetch()
            throws IOException, InterruptedException, OCSPException, OperatorCreationException,
                    CertificateEncodingException {
        CertificateID id = new CertificateID(
                new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer),
                certificate.getSerialNumber());
        byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
        HttpResponse<byte[]> answer = HTTP.send(
                HttpRequest.newBuilder(responder)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/ocsp-request")
                        .header("Accept", "application/ocsp-response")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IOException("responder " + responder + " answered HTTP " + answer.statusCode());
        }
        OCSPResp ocsp = new OCSPResp(answer.body());
        if (ocsp.getStatus() != OCSPResp.SUCCESSFUL || !(ocsp.getResponseObject() instanceof BasicOCSPResp basic)) {
            throw new IOException("responder " + responder + " answered OCSP status " + ocsp.getStatus());
        }
        if (!signedForIssuer(basic)) {
            throw new IOException("the response of " + responder + " is not signed by the issuer or its responder");
        }
        for (SingleResp single : basic.getResponses()) {
            if (single.getCertID().equals(id)) {
                Date nextUpdate = single.getNextUpdate();
                Instant until = nextUpdate != null
                        ? nextUpdate.toInstant()
                        : single.getThisUpdate().toInstant().plus(LONGEST_REFRESH);
                if (!Instant.now().isBefore(until)) {
                    throw new IOException(
                            "the response of " + responder + " is out of date (nextUpdate " + until + ")");
                }
                return new Fetched(ocsp.getEncoded(), until);
            }
        }
        throw new IOException("the response of " + responder + " is not about this certificate");
    }

    /** The response is signed by the issuer, or by a certificate in it that the issuer signed. */
    private boolean signedForIssuer(BasicOCSPResp basic) throws OperatorCreationException, OCSPException {
        JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
        if (basic.isSignatureValid(verifiers.build(issuer.getPublicKey()))) {
            return true;
        }
        for (X509CertificateHolder delegate : basic.getCerts()) {
            try {
                if (delegate.isSignatureValid(verifiers.build(issuer.getPublicKey()))
                        && basic.isSignatureValid(verifiers.build(delegate))) {
                    return true;
                }
            } catch (CertException | CertificateException e) {
                LOG.debug("OCSP responder certificate not usable: {}", e.toString());
            }
        }
        return false;
    }
}
