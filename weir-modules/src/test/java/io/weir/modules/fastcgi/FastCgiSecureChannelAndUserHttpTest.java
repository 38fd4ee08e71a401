package io.weir.modules.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.server.tls.CertificateFiles;
import io.weir.server.tls.CertificateIssuer;
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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What PHP sees of the secure channel and of the authenticated user, as IIS's FastCGI passes them:
 * {@code HTTPS=on} with the {@code HTTPS_*} variables over an https binding ({@code off} and empty
 * over http), and after Basic authentication {@code AUTH_TYPE=Basic} with the user's name in
 * {@code AUTH_USER}, {@code REMOTE_USER} and {@code LOGON_USER}. Debian's php-cgi, a certificate
 * from an authority made here, and the user file of the authentication tests
 * ({@code htpasswd -nbB alice 'correct horse'}).
 */
class FastCgiSecureChannelAndUserHttpTest {

    private static final String ALICE = "alice:$2y$05$FW48jPAe1J1TXJEyqaMvqeh.HKqCmAkQDxovKbegIsovLEk3CDqsu";

    @TempDir
    static Path dir;

    private static PhpSite site;
    private static HttpClient tlsClient;
    private static int httpsPort;

    @BeforeAll
    static void start() throws Exception {
        PhpSite.require(PhpSite.PHP_CGI, "php-cgi");
        Instant now = Instant.now();
        CertificateIssuer.Issued authority = CertificateIssuer.authority(
                "Weir PHP Test CA", now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        CertificateIssuer.Issued certificate = CertificateIssuer.server(
                authority, List.of("localhost"), now.minus(1, ChronoUnit.HOURS), now.plus(10, ChronoUnit.DAYS));
        CertificateIssuer.writePem(dir.resolve("stores/My/localhost.pem"), certificate);
        Files.writeString(dir.resolve("users.htpasswd"), ALICE + "\n", StandardCharsets.UTF_8);
        Path root = Files.createDirectories(dir.resolve("www"));
        String vars = """
                <?php
                header('Content-Type: text/plain');
                foreach (['HTTPS', 'SERVER_PORT_SECURE', 'HTTPS_KEYSIZE', 'HTTPS_SECRETKEYSIZE',
                          'HTTPS_SERVER_SUBJECT', 'HTTPS_SERVER_ISSUER', 'AUTH_TYPE', 'AUTH_USER',
                          'REMOTE_USER', 'LOGON_USER'] as $name) {
                    echo $name, '=', $_SERVER[$name] ?? '(unset)', "\\n";
                }
                """;
        Files.writeString(root.resolve("vars.php"), vars);
        Files.createDirectories(root.resolve("secure"));
        Files.writeString(root.resolve("secure/vars.php"), vars);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            httpsPort = s.getLocalPort();
        }
        String thumbprint = CertificateFiles.thumbprint(certificate.certificate());
        site = PhpSite.start(
                root,
                "<application fullPath=\"/usr/bin/php-cgi\" maxInstances=\"1\" />",
                PhpSite.handler("PHP", "*.php", "/usr/bin/php-cgi"),
                xml -> xml.replace("<sites>", "<sites weirCertificateStorePath=\"" + dir.resolve("stores") + "\">")
                        .replace(
                                "<binding protocol=\"http\" bindingInformation=\"*:8080:\" />",
                                "<binding protocol=\"http\" bindingInformation=\"*:8080:\" />\n"
                                        + "<binding protocol=\"https\" bindingInformation=\"127.0.0.1:" + httpsPort
                                        + ":\" certificateHash=\"" + thumbprint + "\" />")
                        .replace(
                                "</configuration>",
                                "<location path=\"Default Web Site/secure\"><system.webServer><security>"
                                        + "<authentication><anonymousAuthentication enabled=\"false\" />"
                                        + "<basicAuthentication enabled=\"true\" realm=\"PHP\" weirUserFile=\""
                                        + dir.resolve("users.htpasswd") + "\" /></authentication>"
                                        + "</security></system.webServer></location>\n</configuration>"));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", authority.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        tlsClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void overTheHttpsBindingPhpSeesHttpsOnAndTheChannelsVariables() throws Exception {
        Map<String, String> vars = https("/vars.php", null);
        assertThat(vars).containsEntry("HTTPS", "on").containsEntry("SERVER_PORT_SECURE", "1");
        assertThat(Integer.parseInt(vars.get("HTTPS_KEYSIZE"))).isGreaterThanOrEqualTo(128);
        assertThat(Integer.parseInt(vars.get("HTTPS_SECRETKEYSIZE"))).isGreaterThanOrEqualTo(128);
        assertThat(vars.get("HTTPS_SERVER_SUBJECT")).contains("CN=localhost");
        assertThat(vars.get("HTTPS_SERVER_ISSUER")).contains("CN=Weir PHP Test CA");
        assertThat(vars).containsEntry("AUTH_TYPE", "").containsEntry("AUTH_USER", "");
    }

    @Test
    void overPlainHttpPhpSeesHttpsOffAndTheChannelsVariablesEmpty() throws Exception {
        HttpResponse<String> r = site.get("/vars.php");
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, String> vars = parse(r.body());
        assertThat(vars)
                .containsEntry("HTTPS", "off")
                .containsEntry("SERVER_PORT_SECURE", "0")
                .containsEntry("HTTPS_KEYSIZE", "")
                .containsEntry("HTTPS_SERVER_SUBJECT", "");
    }

    @Test
    void afterBasicAuthenticationPhpSeesTheUser() throws Exception {
        Map<String, String> vars = https("/secure/vars.php", "alice:correct horse");
        assertThat(vars)
                .containsEntry("AUTH_TYPE", "Basic")
                .containsEntry("AUTH_USER", "alice")
                .containsEntry("REMOTE_USER", "alice")
                .containsEntry("LOGON_USER", "alice")
                .containsEntry("HTTPS", "on");
    }

    @Test
    void withoutCredentialsTheScriptIsNotRun() throws Exception {
        HttpResponse<String> r = tlsClient.send(
                HttpRequest.newBuilder(httpsUri("/secure/vars.php"))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("AUTH_USER=");
    }

    private static URI httpsUri(String path) {
        return URI.create("https://localhost:" + httpsPort + path);
    }

    private static Map<String, String> https(String path, String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(httpsUri(path)).timeout(Duration.ofSeconds(60));
        if (credentials != null) {
            b.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = tlsClient.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return parse(r.body());
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                vars.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return vars;
    }
}
