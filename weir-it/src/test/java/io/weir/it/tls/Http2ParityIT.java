package io.weir.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.ApplicationHostConfig;
import io.weir.server.WeirServer;
import io.weir.server.tls.CertificateFiles;
import io.weir.server.tls.CertificateIssuer;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The built-in features behave the same over HTTP/2 as over HTTP/1.1: one server with an http and
 * an https binding (a certificate from a test authority), and each feature checked once per
 * protocol with the JDK's HTTP client — HTTP/1.1 on the http binding, HTTP/2 by ALPN on the https
 * one (the test asserts the protocol the client used). The features: a static file (content,
 * type, validators), a conditional request (304), a default document, a custom error page
 * ({@code httpErrors} with a file), a URL Rewrite rule (rewrite and redirect), Basic
 * authentication (401 challenge, then 200), static compression (gzip once the file is frequently
 * requested) and byte ranges (206).
 */
class Http2ParityIT {

    /** The protocol a test runs over. */
    enum Protocol {
        HTTP_1_1,
        H2
    }

    /** {@code htpasswd -nbB alice 'correct horse'}. */
    static final String ALICE = "alice:$2y$05$FW48jPAe1J1TXJEyqaMvqeh.HKqCmAkQDxovKbegIsovLEk3CDqsu";

    @TempDir
    static Path dir;

    static WeirServer server;
    static int httpPort;
    static int httpsPort;
    static HttpClient h1;
    static HttpClient h2;
    static byte[] data;
    static String text;

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        CertificateIssuer.Issued authority = CertificateIssuer.authority(
                "Weir Parity CA", now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        CertificateIssuer.Issued certificate = CertificateIssuer.server(
                authority, List.of("localhost"), now.minus(1, ChronoUnit.HOURS), now.plus(10, ChronoUnit.DAYS));
        CertificateIssuer.writePem(dir.resolve("stores/My/localhost.pem"), certificate);
        Path site = Files.createDirectories(dir.resolve("site"));
        text = "The same over every protocol.\n".repeat(400);
        Files.writeString(site.resolve("page.txt"), text);
        Files.writeString(site.resolve("index.html"), "<p>default document</p>\n");
        Files.createDirectories(site.resolve("errors"));
        Files.writeString(site.resolve("errors/404.html"), "<p>custom not found</p>\n");
        Files.createDirectories(site.resolve("secure"));
        Files.writeString(site.resolve("secure/a.txt"), "protected\n");
        data = new byte[100_000];
        new Random(14).nextBytes(data);
        Files.write(site.resolve("data.bin"), data);
        Files.writeString(site.resolve("web.config"), """
                <configuration><system.webServer>
                  <rewrite><rules>
                    <rule name="Old page" stopProcessing="true">
                      <match url="^old-page$" />
                      <action type="Rewrite" url="page.txt" />
                    </rule>
                    <rule name="Moved" stopProcessing="true">
                      <match url="^moved$" />
                      <action type="Redirect" url="/page.txt" redirectType="Permanent" />
                    </rule>
                  </rules></rewrite>
                  <httpErrors errorMode="Custom">
                    <remove statusCode="404" />
                    <error statusCode="404" path="errors\\404.html" />
                  </httpErrors>
                </system.webServer></configuration>
                """);
        Files.writeString(dir.resolve("users.htpasswd"), ALICE + "\n");
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            httpPort = a.getLocalPort();
            httpsPort = b.getLocalPort();
        }
        String xml = new String(
                ApplicationHostConfig.class
                        .getResourceAsStream("applicationHost.config")
                        .readAllBytes(),
                StandardCharsets.UTF_8);
        xml = xml.replace("<sites>", "<sites weirCertificateStorePath=\"" + dir.resolve("stores") + "\">")
                .replace(
                        "<binding protocol=\"http\" bindingInformation=\"*:8080:\" />",
                        "<binding protocol=\"http\" bindingInformation=\"127.0.0.1:" + httpPort + ":\" />\n"
                                + "<binding protocol=\"https\" bindingInformation=\"127.0.0.1:" + httpsPort + ":\""
                                + " certificateHash=\"" + CertificateFiles.thumbprint(certificate.certificate())
                                + "\" />")
                .replace(
                        "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" />",
                        "<logFile logFormat=\"W3C\" enabled=\"false\" period=\"Daily\" />")
                .replace(
                        "</configuration>",
                        "<location path=\"Default Web Site/secure\"><system.webServer><security><authentication>"
                                + "<anonymousAuthentication enabled=\"false\" />"
                                + "<basicAuthentication enabled=\"true\" realm=\"Parity\" weirUserFile=\""
                                + dir.resolve("users.htpasswd") + "\" weirAllowPlainHttp=\"true\" />"
                                + "</authentication></security></system.webServer></location>\n</configuration>");
        assertThat(xml).contains("protocol=\"https\"");
        Path file = dir.resolve("applicationHost.config");
        Files.writeString(file, xml);
        server = WeirServer.start(ApplicationHostConfig.load(file, Map.of("WEIR_SITE_ROOT", site.toString())));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", authority.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        h1 = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        h2 = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
        h1.close();
        h2.close();
    }

    static HttpResponse<byte[]> get(Protocol protocol, String path, String... headers) throws Exception {
        URI uri = protocol == Protocol.H2
                ? URI.create("https://localhost:" + httpsPort + path)
                : URI.create("http://127.0.0.1:" + httpPort + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<byte[]> response =
                (protocol == Protocol.H2 ? h2 : h1).send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.version())
                .as("the protocol the client used")
                .isEqualTo(protocol == Protocol.H2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        return response;
    }

    static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aStaticFileWithItsTypeAndValidatorsThenA304(Protocol protocol) throws Exception {
        HttpResponse<byte[]> response = get(protocol, "/page.txt");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response)).isEqualTo(text);
        assertThat(response.headers().firstValue("content-type")).contains("text/plain");
        String etag = response.headers().firstValue("etag").orElseThrow();
        assertThat(response.headers().firstValue("last-modified")).isPresent();
        HttpResponse<byte[]> again = get(protocol, "/page.txt", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void theDefaultDocumentAnswersTheFolder(Protocol protocol) throws Exception {
        HttpResponse<byte[]> response = get(protocol, "/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response)).isEqualTo("<p>default document</p>\n");
        assertThat(response.headers().firstValue("content-type")).contains("text/html");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aMissingFileGetsTheCustomErrorPage(Protocol protocol) throws Exception {
        HttpResponse<byte[]> response = get(protocol, "/missing.txt");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(body(response)).isEqualTo("<p>custom not found</p>\n");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void rewriteRulesRewriteAndRedirect(Protocol protocol) throws Exception {
        HttpResponse<byte[]> rewritten = get(protocol, "/old-page");
        assertThat(rewritten.statusCode()).isEqualTo(200);
        assertThat(body(rewritten)).isEqualTo(text);
        HttpResponse<byte[]> redirected = get(protocol, "/moved");
        assertThat(redirected.statusCode()).isEqualTo(301);
        assertThat(redirected.headers().firstValue("location").orElseThrow()).endsWith("/page.txt");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void basicAuthenticationChallengesThenServes(Protocol protocol) throws Exception {
        HttpResponse<byte[]> challenged = get(protocol, "/secure/a.txt");
        assertThat(challenged.statusCode()).isEqualTo(401);
        assertThat(challenged.headers().firstValue("www-authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm=\"Parity\""));
        String credentials = Base64.getEncoder().encodeToString("alice:correct horse".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> served = get(protocol, "/secure/a.txt", "Authorization", "Basic " + credentials);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(body(served)).isEqualTo("protected\n");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aFrequentlyRequestedTextFileIsServedCompressed(Protocol protocol) throws Exception {
        // static compression starts once the file is requested twice within ten seconds, in the background
        HttpResponse<byte[]> response = get(protocol, "/page.txt", "Accept-Encoding", "gzip");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (response.headers().firstValue("content-encoding").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = get(protocol, "/page.txt", "Accept-Encoding", "gzip");
        }
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-encoding")).contains("gzip");
        assertThat(response.body().length).isLessThan(text.length() / 4);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void theWholeFileAndRangesOfIt(Protocol protocol) throws Exception {
        HttpResponse<byte[]> response = get(protocol, "/data.bin", "Range", "bytes=1000-1999");
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("content-range")).contains("bytes 1000-1999/100000");
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(data, 1000, 2000));
        HttpResponse<byte[]> whole = get(protocol, "/data.bin");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(data);
        HttpResponse<byte[]> two = get(protocol, "/data.bin", "Range", "bytes=0-9,99990-");
        assertThat(two.statusCode()).isEqualTo(206);
        assertThat(two.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("multipart/byteranges"));
    }
}
