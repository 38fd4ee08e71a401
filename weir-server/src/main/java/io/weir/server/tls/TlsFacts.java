package io.weir.server.tls;

import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The TLS facts of a connection as IIS's server variables name them: {@code HTTPS_KEYSIZE} and
 * {@code HTTPS_SECRETKEYSIZE} (the cipher's key bits), {@code HTTPS_SERVER_SUBJECT},
 * {@code HTTPS_SERVER_ISSUER}, {@code CERT_SUBJECT}, {@code CERT_ISSUER},
 * {@code CERT_SERIALNUMBER}, {@code CERT_COOKIE}, {@code CERT_FLAGS} (bit 1 when the client sent a
 * certificate, bit 2 when its chain does not lead to an authority the listener trusts, see
 * {@link ClientCertificateTrust}), {@code CERT_KEYSIZE}, {@code CERT_SECRETKEYSIZE}, {@code CERT_SERVER_SUBJECT},
 * {@code CERT_SERVER_ISSUER}; and Weir's {@code SSL_PROTOCOL} and {@code SSL_CIPHER}. Stateless.
 */
public final class TlsFacts {

    private TlsFacts() {}

    /**
     * Finds the TLS handler of a connection (or, for an HTTP/2 stream, of its connection).
     *
     * @param channel a connection or stream channel
     * @return the handler, or null when the connection is not TLS
     */
    public static SslHandler sslHandler(Channel channel) {
        for (Channel c = channel; c != null; c = c.parent()) {
            SslHandler handler = c.pipeline().get(SslHandler.class);
            if (handler != null) {
                return handler;
            }
        }
        return null;
    }

    /**
     * Returns the TLS engine of a connection: its TLS handler's, or a QUIC connection's.
     *
     * @param channel a connection or stream channel
     * @return the engine, or null when the connection is not secure
     */
    static SSLEngine engine(Channel channel) {
        SslHandler handler = sslHandler(channel);
        if (handler != null) {
            return handler.engine();
        }
        if (channel.parent() instanceof QuicChannel quic) {
            return quic.sslEngine();
        }
        return null;
    }

    /**
     * @param channel a connection or stream channel
     * @return true when the connection is under TLS (over TCP or QUIC)
     */
    public static boolean isSecure(Channel channel) {
        return engine(channel) != null;
    }

    /**
     * Returns the {@code Alt-Svc} value a response on this connection carries: HTTP/3 advertised
     * on TLS connections over TCP of a listener that serves it.
     *
     * @param channel a connection or stream channel
     * @return the value, or null for none
     */
    public static String altSvc(Channel channel) {
        if (channel instanceof QuicChannel || channel.parent() instanceof QuicChannel) {
            return null; // already on HTTP/3
        }
        TlsEndpoint endpoint = TlsEndpoint.of(channel);
        return endpoint == null ? null : endpoint.altSvc();
    }

    /**
     * @param channel a connection or stream channel
     * @return the client's certificate chain, leaf first; empty when none
     */
    public static List<X509Certificate> clientCertificates(Channel channel) {
        SSLEngine engine = engine(channel);
        if (engine == null) {
            return List.of();
        }
        try {
            Certificate[] chain = engine.getSession().getPeerCertificates();
            return Arrays.stream(chain)
                    .filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /**
     * Returns one variable.
     *
     * @param channel       a connection or stream channel
     * @param upperCaseName the variable's name in upper case
     * @return the value; null when the name is not one of this class's, "" when the connection
     *         has no such fact (no TLS, no client certificate)
     */
    public static String variable(Channel channel, String upperCaseName) {
        SSLEngine engine = engine(channel);
        SSLSession session = engine == null ? null : engine.getSession();
        List<X509Certificate> client = session == null ? List.of() : clientCertificates(channel);
        X509Certificate server = null;
        if (session != null
                && session.getLocalCertificates() != null
                && session.getLocalCertificates().length > 0
                && session.getLocalCertificates()[0] instanceof X509Certificate x) {
            server = x;
        }
        X509Certificate leaf = client.isEmpty() ? null : client.get(0);
        return switch (upperCaseName) {
            case "HTTPS_KEYSIZE", "HTTPS_SECRETKEYSIZE", "CERT_KEYSIZE", "CERT_SECRETKEYSIZE" ->
                session == null ? "" : Integer.toString(keyBits(session.getCipherSuite()));
            case "HTTPS_SERVER_SUBJECT", "CERT_SERVER_SUBJECT" ->
                server == null ? "" : iisName(server.getSubjectX500Principal().getName());
            case "HTTPS_SERVER_ISSUER", "CERT_SERVER_ISSUER" ->
                server == null ? "" : iisName(server.getIssuerX500Principal().getName());
            case "CERT_SUBJECT" ->
                leaf == null ? "" : iisName(leaf.getSubjectX500Principal().getName());
            case "CERT_ISSUER" ->
                leaf == null ? "" : iisName(leaf.getIssuerX500Principal().getName());
            case "CERT_SERIALNUMBER" -> leaf == null ? "" : serial(leaf);
            case "CERT_COOKIE" ->
                leaf == null ? "" : CertificateFiles.thumbprint(leaf).toLowerCase(Locale.ROOT);
            case "CERT_FLAGS" -> leaf == null ? "" : trusted(channel, session, client) ? "1" : "3";
            case "SSL_PROTOCOL" -> session == null ? "" : session.getProtocol();
            case "SSL_CIPHER" -> session == null ? "" : session.getCipherSuite();
            default -> null;
        };
    }

    /**
     * http.sys's verdict on the client's chain, against the authorities of the listener the
     * connection was accepted on (none known: not trusted).
     */
    private static boolean trusted(Channel channel, SSLSession session, List<X509Certificate> chain) {
        TlsEndpoint endpoint = TlsEndpoint.of(channel);
        ClientCertificateTrust trust =
                endpoint == null ? null : endpoint.clientCertificateTrust().orElse(null);
        return trust != null && trust.trusts(session, chain);
    }

    /** IIS writes distinguished names most significant first, comma and space separated. */
    private static String iisName(String rfc2253) {
        String[] parts = rfc2253.split("(?<!\\\\),");
        StringBuilder out = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(parts[i].trim());
        }
        return out.toString();
    }

    private static String serial(X509Certificate certificate) {
        String hex = HexFormat.of().formatHex(certificate.getSerialNumber().toByteArray());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                out.append('-');
            }
            out.append(hex, i, i + 2);
        }
        return out.toString();
    }

    private static int keyBits(String cipherSuite) {
        if (cipherSuite == null) {
            return 0;
        }
        return cipherSuite.contains("256") || cipherSuite.contains("CHACHA20") ? 256 : 128;
    }
}
