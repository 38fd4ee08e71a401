package io.weir.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weir.api.config.ConfigSource;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig.BindingConfig;
import io.weir.server.WeirServer;
import io.weir.server.tls.CertificateFiles;
import io.weir.server.tls.CertificateIssuer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate replaced while {@code h2load} (Debian's nghttp2-client) drives HTTP/2 load over
 * TLS: new handshakes get the new certificate within seconds, and not one of h2load's requests
 * fails (its connections keep their session).
 */
class CertificateReloadUnderLoadIT {

    private static final Path H2LOAD = Path.of("/usr/bin/h2load");

    @TempDir
    Path dir;

    @Test
    void aCertificateReplacedUnderH2loadLoadFailsNoRequest() throws Exception {
        boolean present = Files.isExecutable(H2LOAD);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must install nghttp2-client (Debian package) for this test");
        }
        assumeTrue(present, "needs Debian's nghttp2-client (/usr/bin/h2load)");

        Instant now = Instant.now();
        CertificateIssuer.Issued authority = CertificateIssuer.authority(
                "Weir Reload Test CA", now.minus(1, ChronoUnit.DAYS), now.plus(2, ChronoUnit.DAYS));
        CertificateIssuer.Issued first = CertificateIssuer.server(
                authority, List.of("localhost"), now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
        CertificateIssuer.Issued second = CertificateIssuer.server(
                authority, List.of("localhost"), now.minus(1, ChronoUnit.HOURS), now.plus(2, ChronoUnit.DAYS));
        Path store = dir.resolve("store");
        Path file = store.resolve("localhost.pem");
        CertificateIssuer.writePem(file, first);
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");

        ApplicationHostConfig config = ApplicationHostConfig.embeddedDefault(Map.of("WEIR_SITE_ROOT", root.toString()))
                .withSiteOverrides("Default Web Site", Optional.of(root), Optional.of("127.0.0.1"), OptionalInt.of(0));
        config = config.withAddedBinding(
                "Default Web Site",
                new BindingConfig(
                        "https",
                        "127.0.0.1",
                        0,
                        "",
                        0,
                        CertificateFiles.thumbprint(first.certificate()),
                        store.toString(),
                        new ConfigSource("CertificateReloadUnderLoadIT", 0, 0)));

        try (WeirServer weir = WeirServer.start(config)) {
            int port = weir.boundAddresses().stream()
                    .filter(a -> weir.tlsEndpoint(a).isPresent())
                    .findFirst()
                    .orElseThrow()
                    .getPort();
            SSLContext client = trusting(authority);
            assertThat(served(client, port)).isEqualTo(first.certificate());

            Process h2load = new ProcessBuilder(
                            H2LOAD.toString(),
                            "-D",
                            "8",
                            "-c",
                            "10",
                            "-m",
                            "10",
                            "https://localhost:" + port + "/hello.txt")
                    .redirectErrorStream(true)
                    .start();
            try {
                Thread.sleep(1500);
                // replace the file as a deployment does: a new file moved over the old one
                Path fresh = store.resolve("localhost.pem.new");
                CertificateIssuer.writePem(fresh, second);
                Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                X509Certificate seen = null;
                int handshakes = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline) {
                    seen = served(client, port);
                    handshakes++;
                    if (seen.equals(second.certificate())) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertThat(seen)
                        .as("the certificate served to new handshakes, after " + handshakes)
                        .isEqualTo(second.certificate());
                assertThat(h2load.isAlive())
                        .as("the reload happened while h2load was running")
                        .isTrue();
                assertThat(h2load.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String report = new String(h2load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(h2load.exitValue()).as(report).isZero();
                assertThat(report)
                        .as(report)
                        .containsPattern("[1-9]\\d* succeeded, 0 failed, 0 errored")
                        .containsPattern("status codes: [1-9]\\d* 2xx, 0 3xx, 0 4xx, 0 5xx");
            } finally {
                h2load.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static SSLContext trusting(CertificateIssuer.Issued authority) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", authority.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A new handshake's server certificate. */
    private static X509Certificate served(SSLContext context, int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
