package io.weir.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.weir.server.tls.CertificateIssuer;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https://} backends: the JDK's HTTPS server with a certificate for {@code localhost} issued
 * by a test CA (BouncyCastle, through the TLS tests' CertificateIssuer). Weir trusts the JDK's
 * default store plus the PEM file named by {@code weir.outbound.trustedCertificates}, and checks
 * the certificate's host name.
 */
class HttpsBackendIT {

    private static final String PROPERTY = "weir.outbound.trustedCertificates";

    @TempDir
    Path dir;

    private HttpsServer backend;
    private Path caPem;

    @BeforeEach
    void backend() throws Exception {
        Instant now = Instant.now();
        CertificateIssuer.Issued ca = CertificateIssuer.authority(
                "Weir Test Backend CA", now.minus(1, ChronoUnit.DAYS), now.plus(10, ChronoUnit.DAYS));
        CertificateIssuer.Issued leaf = CertificateIssuer.server(
                ca, List.of("localhost"), now.minus(1, ChronoUnit.HOURS), now.plus(10, ChronoUnit.DAYS));
        caPem = dir.resolve("backend-ca.pem");
        CertificateIssuer.writeCertificatesPem(caPem, List.of(ca.certificate()));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("backend", leaf.key(), new char[0], leaf.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        backend = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("localhost"), 0), 0);
        backend.setHttpsConfigurator(new HttpsConfigurator(tls));
        backend.createContext("/", exchange -> {
            byte[] body = ("secure hello " + exchange.getRequestURI() + " host="
                            + exchange.getRequestHeaders().getFirst("Host"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        backend.start();
    }

    @AfterEach
    void stop() {
        System.clearProperty(PROPERTY);
        backend.stop(0);
    }

    private WeirTestServer weir(String base) {
        return WeirTestServer.start(
                ProxyConfig.xml("enabled=\"true\"", ProxyConfig.direct("Secure", "/secure/*", base), ""),
                Map.of("ROOT", dir.toString()));
    }

    private static RawHttp.Response get(WeirTestServer weir, String path) {
        return RawHttp.exchange(
                weir.port(), "GET " + path + " HTTP/1.1\r\nHost: front.example\r\nConnection: close\r\n\r\n");
    }

    @Test
    void aBackendWhoseCertificateChainsToTheConfiguredCaIsReachedOverTls() {
        System.setProperty(PROPERTY, caPem.toString());
        int port = backend.getAddress().getPort();
        try (WeirTestServer weir = weir("https://localhost:" + port)) {
            RawHttp.Response r = get(weir, "/secure/page?x=1");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("secure hello /secure/page?x=1 host=localhost:" + port);
            assertThat(get(weir, "/secure/again").bodyText()).startsWith("secure hello /secure/again");
        }
    }

    @Test
    void anUntrustedCertificateGives502Point3() {
        int port = backend.getAddress().getPort();
        try (WeirTestServer weir = weir("https://localhost:" + port)) {
            RawHttp.Response r = get(weir, "/secure/page");
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).contains("SSLHandshakeException");
            assertThat(r.bodyText()).contains("502.3");
        }
    }

    @Test
    void aCertificateForAnotherHostGives502Point3() {
        System.setProperty(PROPERTY, caPem.toString());
        int port = backend.getAddress().getPort();
        String address = backend.getAddress().getAddress().getHostAddress();
        String literal = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        try (WeirTestServer weir = weir("https://" + literal + ":" + port)) {
            RawHttp.Response r = get(weir, "/secure/page");
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).contains("SSLHandshakeException");
            assertThat(r.bodyText()).contains("502.3");
        }
    }
}
