package io.weir.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.server.tls.CertificateFiles;
import io.weir.server.tls.CertificateIssuer;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IIS's bandwidth throttling over the wire: a site's {@code limits@maxBandwidth} and the
 * server-wide {@code webLimits@maxGlobalBandwidth}, in bytes per second, bound how fast responses
 * leave. Each test downloads more than the limit allows in a second and checks that it took at
 * least about as long as the limit implies (a quarter less, for the shaper's first interval),
 * and that an unthrottled server sends the same file much faster. Not a speed test: the bounds
 * are far apart.
 */
class BandwidthIT {

    /** 512 KiB/s. */
    static final long LIMIT = 512 * 1024;

    @TempDir
    Path root;

    static String config(String siteLimits, String webLimits) throws IOException {
        String xml;
        try (InputStream in = BandwidthIT.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String site = "<site name=\"Default Web Site\" id=\"1\" serverAutoStart=\"true\">";
        assertThat(xml).contains(site).contains("    <sites>");
        xml = xml.replace(site, site + "\n        " + siteLimits);
        return xml.replace("    <sites>", "    " + webLimits + "\n    <sites>");
    }

    static HttpResponse<byte[]> download(HttpClient client, int port, String path) {
        try {
            return client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Milliseconds to download {@code path} once. */
    static long timedDownload(HttpClient client, int port, String path, int expectedBytes) {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = download(client, port, path);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(expectedBytes);
        return millis;
    }

    /** A site limited to 512 KiB/s sends a 2 MiB file in about 4 s (at least 3 s); unlimited, far faster. */
    @Test
    void siteMaxBandwidthThrottlesADownload() throws Exception {
        Files.write(root.resolve("two.bin"), new byte[2 * 1024 * 1024]);
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long unthrottled;
        try (WeirTestServer server = WeirTestServer.start(
                config("<limits maxBandwidth=\"4294967295\" />", ""), Map.of("WEIR_SITE_ROOT", root.toString()))) {
            timedDownload(client, server.port(), "/two.bin", 2 * 1024 * 1024); // warm-up
            unthrottled = timedDownload(client, server.port(), "/two.bin", 2 * 1024 * 1024);
        }
        long throttled;
        try (WeirTestServer server = WeirTestServer.start(
                config("<limits maxBandwidth=\"" + LIMIT + "\" />", ""), Map.of("WEIR_SITE_ROOT", root.toString()))) {
            throttled = timedDownload(client, server.port(), "/two.bin", 2 * 1024 * 1024);
        }
        System.out.printf("limits@maxBandwidth=%d: 2 MiB in %d ms (unlimited: %d ms)%n", LIMIT, throttled, unthrottled);
        assertThat(throttled).as("2 MiB at 512 KiB/s").isGreaterThanOrEqualTo(3000);
        assertThat(unthrottled).as("the same file unthrottled").isLessThan(throttled / 2);
    }

    /**
     * Over HTTP/2 on TLS the site's budget meters the encrypted bytes: a 2 MiB download at 512 KiB/s
     * still takes at least 3 s.
     */
    @Test
    void siteMaxBandwidthThrottlesAnHttp2DownloadOverTls() throws Exception {
        Files.write(root.resolve("two.bin"), new byte[2 * 1024 * 1024]);
        Instant now = Instant.now();
        CertificateIssuer.Issued authority = CertificateIssuer.authority(
                "Weir Bandwidth CA", now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        CertificateIssuer.Issued certificate = CertificateIssuer.server(
                authority, List.of("localhost"), now.minus(1, ChronoUnit.HOURS), now.plus(10, ChronoUnit.DAYS));
        Path stores = Files.createDirectories(root.resolveSibling(root.getFileName() + "-stores"));
        CertificateIssuer.writePem(stores.resolve("My/localhost.pem"), certificate);
        String xml = config("<limits maxBandwidth=\"" + LIMIT + "\" />", "")
                .replace("<sites>", "<sites weirCertificateStorePath=\"" + stores + "\">")
                .replace(
                        "<binding protocol=\"http\" bindingInformation=\"*:8080:\" />",
                        "<binding protocol=\"http\" bindingInformation=\"*:8080:\" />\n"
                                + "<binding protocol=\"https\" bindingInformation=\"127.0.0.1:0:\" certificateHash=\""
                                + CertificateFiles.thumbprint(certificate.certificate()) + "\" />");
        assertThat(xml).contains("protocol=\"https\"");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", authority.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(tls)
                .build();
        try (WeirTestServer server = WeirTestServer.start(xml, Map.of("WEIR_SITE_ROOT", root.toString()))) {
            int httpsPort = server.server().boundAddresses().stream()
                    .filter(a -> server.server().tlsEndpoint(a).isPresent())
                    .findFirst()
                    .orElseThrow()
                    .getPort();
            long start = System.nanoTime();
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/two.bin"))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("limits@maxBandwidth=%d over HTTP/2 and TLS: 2 MiB in %d ms%n", LIMIT, millis);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).hasSize(2 * 1024 * 1024);
            assertThat(millis).as("2 MiB at 512 KiB/s").isGreaterThanOrEqualTo(3000);
        }
    }

    /**
     * {@code webLimits@maxGlobalBandwidth} is one budget for all connections: two parallel 1 MiB
     * downloads at 512 KiB/s in total take about 4 s together (at least 3 s), where each alone
     * would take 2 s.
     */
    @Test
    void maxGlobalBandwidthIsSharedByAllConnections() throws Exception {
        Files.write(root.resolve("one.bin"), new byte[1024 * 1024]);
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (WeirTestServer server = WeirTestServer.start(
                config("", "<webLimits maxGlobalBandwidth=\"" + LIMIT + "\" />"),
                Map.of("WEIR_SITE_ROOT", root.toString()))) {
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<byte[]>>> both = List.of(
                    CompletableFuture.supplyAsync(() -> download(client, server.port(), "/one.bin?a")),
                    CompletableFuture.supplyAsync(() -> download(client, server.port(), "/one.bin?b")));
            for (CompletableFuture<HttpResponse<byte[]>> f : both) {
                assertThat(f.get().statusCode()).isEqualTo(200);
                assertThat(f.get().body()).hasSize(1024 * 1024);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("webLimits@maxGlobalBandwidth=%d: 2 x 1 MiB in parallel in %d ms%n", LIMIT, millis);
            assertThat(millis).as("2 MiB in total at 512 KiB/s").isGreaterThanOrEqualTo(3000);
        }
    }
}
