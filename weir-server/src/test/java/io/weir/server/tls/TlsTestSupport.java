package io.weir.server.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Client side of the TLS tests: an SSLContext trusting a test authority, raw TLS requests with a chosen SNI. */
final class TlsTestSupport {

    private TlsTestSupport() {}

    /** What one raw request saw. @param certificate the server's certificate @param protocol the TLS version @param alpn the ALPN protocol @param response the HTTP response text */
    record Seen(X509Certificate certificate, String protocol, String alpn, String response) {}

    static SSLContext trusting(CertificateIssuer.Issued authority) throws Exception {
        return trusting(authority, null);
    }

    static SSLContext trusting(CertificateIssuer.Issued authority, CertificateIssuer.Issued clientCertificate)
            throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", authority.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCertificate != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry(
                    "client",
                    clientCertificate.key(),
                    new char[0],
                    clientCertificate.chain().toArray(Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * Connects to 127.0.0.1:port with a server name, offers ALPN http/1.1, sends one GET and reads the
     * whole response (Connection: close).
     */
    static Seen get(SSLContext context, int port, String serverName, String path) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            if (serverName != null) {
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
            }
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            String host = serverName == null ? "127.0.0.1" : serverName;
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(out);
            return new Seen(
                    certificate,
                    socket.getSession().getProtocol(),
                    socket.getApplicationProtocol(),
                    out.toString(StandardCharsets.UTF_8));
        }
    }
}
