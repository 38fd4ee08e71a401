package io.weir.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.config.ApplicationHostConfig;
import io.weir.server.WeirServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https bindings end to end over loopback: certificates from Weir's store by thumbprint, SNI with two
 * hosts and two certificates on one port, the central certificate store (exact and wildcard),
 * HTTP/2 and HTTP/1.1 by ALPN with the same pipeline, the TLS server variables, file responses
 * through TLS, reload of a changed certificate file with the previous one kept on a bad file, and
 * the start-up errors naming the file.
 */
class HttpsServerTest {

    private static final String CONFIG = """
            <configuration>
              <configSections>
                <sectionGroup name="system.applicationHost">
                  <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                </sectionGroup>
                <sectionGroup name="system.webServer">
                  <section name="globalModules" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                  <section name="modules" allowDefinition="MachineToApplication" overrideModeDefault="Deny" />
                  <section name="handlers" overrideModeDefault="Deny" />
                </sectionGroup>
              </configSections>
              <system.applicationHost>
                <sites weirCertificateStorePath="stores" weirCentralCertificateStorePath="central"
                       weirCentralCertificateStorePasswordFile="central.password" weirSslProvider="%PROVIDER%">
                  <site name="Local" id="1">
                    <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                    <bindings>
                      <binding protocol="https" bindingInformation="*:0:" certificateHash="%LOCAL%" certificateStoreName="My" />
                    </bindings>
                  </site>
                  <site name="Alpha" id="2">
                    <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                    <bindings>
                      <binding protocol="https" bindingInformation="*:0:a.test" sslFlags="1" certificateHash="%ALPHA%"
                               weirNegotiateClientCertificate="true" />
                    </bindings>
                  </site>
                  <site name="Beta" id="3">
                    <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                    <bindings>
                      <binding protocol="https" bindingInformation="*:0:b.test" sslFlags="1" certificateHash="%BETA%" certificateStoreName="WebHosting" />
                    </bindings>
                  </site>
                  <site name="Central" id="4">
                    <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                    <bindings>
                      <binding protocol="https" bindingInformation="*:0:c.example.com" sslFlags="3" />
                      <binding protocol="https" bindingInformation="*:0:w.wild.test" sslFlags="3" />
                    </bindings>
                  </site>
                </sites>
              </system.applicationHost>
              <system.webServer>
                <globalModules>
                  <add name="Vars" type="io.weir.server.tls.VariablesModuleRegistration" />
                </globalModules>
                <modules><add name="Vars" /></modules>
                <handlers accessPolicy="Read">
                  <add name="Vars" path="*" verb="*" modules="Vars" resourceType="Unspecified" requireAccess="None" />
                </handlers>
              </system.webServer>
            </configuration>
            """;

    @TempDir
    Path root;

    private CertificateIssuer.Issued authority;
    private CertificateIssuer.Issued local;
    private CertificateIssuer.Issued alpha;
    private CertificateIssuer.Issued beta;
    private final Instant now = Instant.now();

    @BeforeEach
    void certificates() throws IOException {
        authority = CertificateIssuer.authority(
                "Weir Test CA", now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        local = server("localhost");
        alpha = server("a.test");
        beta = server("b.test");
        CertificateIssuer.writePem(root.resolve("stores/My/local.pem"), local);
        // the authority client certificates are checked against (CERT_FLAGS bit 2 when not trusted)
        Files.createDirectories(root.resolve("stores/Root"));
        CertificateIssuer.writeCertificatesPem(root.resolve("stores/Root/ca.pem"), List.of(authority.certificate()));
        CertificateIssuer.writePem(root.resolve("stores/My/alpha.pem"), alpha);
        CertificateIssuer.writePkcs12(root.resolve("stores/WebHosting/beta.pfx"), beta, "s3cret".toCharArray());
        Files.writeString(root.resolve("stores/WebHosting/beta.pfx.password"), "s3cret\n");
        Files.createDirectories(root.resolve("central"));
        CertificateIssuer.writePkcs12(
                root.resolve("central/c.example.com.pfx"), server("c.example.com"), "central-pw".toCharArray());
        CertificateIssuer.writePkcs12(
                root.resolve("central/_.wild.test.pfx"), server("*.wild.test"), "central-pw".toCharArray());
        Files.writeString(root.resolve("central.password"), "central-pw\n");
        byte[] bytes = new byte[1_500_000];
        new Random(3).nextBytes(bytes);
        VariablesModuleRegistration.file = Files.write(root.resolve("big.bin"), bytes);
    }

    private CertificateIssuer.Issued server(String name) {
        return CertificateIssuer.server(
                authority, List.of(name), now.minus(1, ChronoUnit.HOURS), now.plus(10, ChronoUnit.DAYS));
    }

    private ApplicationHostConfig config(String provider, String localHash) {
        String text = CONFIG.replace("%PROVIDER%", provider)
                .replace("%LOCAL%", localHash)
                .replace("%ALPHA%", CertificateFiles.thumbprint(alpha.certificate()))
                .replace(
                        "%BETA%",
                        CertificateFiles.thumbprint(beta.certificate()).toLowerCase());
        // applicationHost.config's folder is what the relative store folders resolve against
        try {
            Path file = root.resolve("applicationHost.config");
            Files.writeString(file, text);
            return ApplicationHostConfig.load(file, Map.of("ROOT", root.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ApplicationHostConfig config(String provider) {
        return config(provider, CertificateFiles.thumbprint(local.certificate()));
    }

    @Test
    void sniChoosesTheCertificateAndTheSiteOnOnePort() throws Exception {
        for (String provider : List.of("OpenSsl", "Jdk")) {
            try (WeirServer server = WeirServer.start(config(provider))) {
                int port = server.boundAddresses().get(0).getPort();
                assertThat(server.boundAddresses()).hasSize(1);

                TlsTestSupport.Seen a = TlsTestSupport.get(fresh(), port, "a.test", "/");
                assertThat(a.certificate()).isEqualTo(alpha.certificate());
                assertThat(a.response())
                        .startsWith("HTTP/1.1 200")
                        .contains(
                                "INSTANCE_NAME=Alpha\n",
                                "HTTPS=on\n",
                                "SERVER_PORT_SECURE=1\n",
                                "SERVER_PROTOCOL=HTTP/1.1\n",
                                "HTTPS_SERVER_SUBJECT=CN=a.test\n",
                                "HTTPS_SERVER_ISSUER=CN=Weir Test CA\n",
                                "CERT_FLAGS=\n",
                                "clientCertificates=0\n");
                assertThat(a.alpn()).isEqualTo("http/1.1");
                assertThat(a.protocol()).isEqualTo("TLSv1.3");

                TlsTestSupport.Seen b = TlsTestSupport.get(fresh(), port, "b.test", "/");
                assertThat(b.certificate()).isEqualTo(beta.certificate());
                assertThat(b.response()).contains("INSTANCE_NAME=Beta\n");

                TlsTestSupport.Seen none = TlsTestSupport.get(fresh(), port, null, "/");
                assertThat(none.certificate()).isEqualTo(local.certificate());
                assertThat(none.response()).contains("INSTANCE_NAME=Local\n");
                assertThat(server.tlsEndpoint(server.boundAddresses().get(0))
                                .orElseThrow()
                                .provider()
                                .name())
                        .isEqualTo(provider.equals("Jdk") ? "JDK" : "OPENSSL");
            }
        }
    }

    @Test
    void aClientCertificateReachesModulesAndTheCertVariables() throws Exception {
        CertificateIssuer.Issued alice = CertificateIssuer.client(
                authority, "alice", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
        try (WeirServer server = WeirServer.start(config("OpenSsl"))) {
            int port = server.boundAddresses().get(0).getPort();
            TlsTestSupport.Seen with =
                    TlsTestSupport.get(TlsTestSupport.trusting(authority, alice), port, "a.test", "/");
            assertThat(with.response())
                    .startsWith("HTTP/1.1 200")
                    .contains(
                            "CERT_SUBJECT=CN=alice\n",
                            "CERT_ISSUER=CN=Weir Test CA\n",
                            "CERT_FLAGS=1\n",
                            "clientCertificates=2\n");
            // from an authority not in the Root store: still served (modules decide), CERT_FLAGS says untrusted
            CertificateIssuer.Issued otherAuthority = CertificateIssuer.authority(
                    "Other CA", now.minus(1, ChronoUnit.DAYS), now.plus(3, ChronoUnit.DAYS));
            CertificateIssuer.Issued mallory = CertificateIssuer.client(
                    otherAuthority, "mallory", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
            assertThat(TlsTestSupport.get(TlsTestSupport.trusting(authority, mallory), port, "a.test", "/")
                            .response())
                    .startsWith("HTTP/1.1 200")
                    .contains("CERT_SUBJECT=CN=mallory\n", "CERT_FLAGS=3\n");
            // optional: a client without a certificate is served too
            assertThat(TlsTestSupport.get(fresh(), port, "a.test", "/").response())
                    .contains("CERT_SUBJECT=\n", "clientCertificates=0\n");
        }
    }

    @Test
    void centralCertificateStoreServesExactAndWildcardNames() throws Exception {
        try (WeirServer server = WeirServer.start(config("OpenSsl"))) {
            int port = server.boundAddresses().get(0).getPort();
            TlsTestSupport.Seen exact = TlsTestSupport.get(fresh(), port, "c.example.com", "/");
            assertThat(exact.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=c.example.com");
            assertThat(exact.response()).contains("INSTANCE_NAME=Central\n");
            TlsTestSupport.Seen wild = TlsTestSupport.get(fresh(), port, "w.wild.test", "/");
            assertThat(wild.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=*.wild.test");
            assertThat(wild.response()).contains("INSTANCE_NAME=Central\n");
        }
    }

    @Test
    void http2ByAlpnRunsTheSamePipelineAndSendsFiles() throws Exception {
        try (WeirServer server = WeirServer.start(config("OpenSsl"))) {
            int port = server.boundAddresses().get(0).getPort();
            SSLContext ssl = TlsTestSupport.trusting(authority);
            byte[] expected = Files.readAllBytes(VariablesModuleRegistration.file);
            for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
                HttpClient client =
                        HttpClient.newBuilder().sslContext(ssl).version(version).build();
                HttpResponse<String> vars = client.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(vars.version()).isEqualTo(version);
                assertThat(vars.statusCode()).isEqualTo(200);
                assertThat(vars.body())
                        .contains(
                                "HTTPS=on\n",
                                "INSTANCE_NAME=Local\n",
                                "SERVER_PROTOCOL=" + (version == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1")
                                        + "\n");
                for (int i = 0; i < 3; i++) {
                    HttpResponse<byte[]> file = client.send(
                            HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/file"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(file.version()).isEqualTo(version);
                    assertThat(file.body()).isEqualTo(expected);
                }
                // a request body travels too
                HttpResponse<String> posted = client.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/p"))
                                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(posted.statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void aChangedCertificateFileIsServedAndABadOneRefused() throws Exception {
        try (WeirServer server = WeirServer.start(config("OpenSsl"))) {
            int port = server.boundAddresses().get(0).getPort();
            assertThat(TlsTestSupport.get(fresh(), port, null, "/").certificate())
                    .isEqualTo(local.certificate());

            CertificateIssuer.Issued renewed = server("localhost");
            CertificateIssuer.writePem(root.resolve("stores/My/local.pem"), renewed);
            assertThat(waitForCertificate(port, renewed)).isTrue();

            Files.writeString(root.resolve("stores/My/local.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n");
            Thread.sleep(2500);
            TlsTestSupport.Seen after = TlsTestSupport.get(fresh(), port, null, "/");
            assertThat(after.certificate()).isEqualTo(renewed.certificate());
            assertThat(after.response()).startsWith("HTTP/1.1 200");
        }
    }

    /**
     * A client context of its own for each connection: the JDK's client resumes a cached session with
     * that session's server name (RFC 6066), which would hide which certificate a new handshake gets.
     */
    private SSLContext fresh() throws Exception {
        return TlsTestSupport.trusting(authority);
    }

    private boolean waitForCertificate(int port, CertificateIssuer.Issued wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (TlsTestSupport.get(fresh(), port, null, "/").certificate().equals(wanted.certificate())) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    @Test
    void startUpRefusesAnUnknownThumbprintAndAnExpiredCertificateNamingThem() throws Exception {
        assertThatThrownBy(() -> WeirServer.start(config("OpenSsl", "00112233445566778899AABBCCDDEEFF00112233")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("00112233445566778899AABBCCDDEEFF00112233")
                .hasMessageContaining("'My'");
        CertificateIssuer.Issued expired = CertificateIssuer.server(
                authority, List.of("localhost"), now.minus(10, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS));
        Path file = root.resolve("stores/My/expired.pem");
        CertificateIssuer.writePem(file, expired);
        assertThatThrownBy(
                        () -> WeirServer.start(config("OpenSsl", CertificateFiles.thumbprint(expired.certificate()))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("expired");
    }

    @Test
    void anUnknownServerNameWithoutDefaultFailsTheHandshakeOnly() throws Exception {
        try (WeirServer server = WeirServer.start(config("OpenSsl"))) {
            int port = server.boundAddresses().get(0).getPort();
            // no SNI binding and no central file for this name: the IP:port binding (Local) answers, and the
            // client's hostname check is its own business; with the Local certificate trusted it succeeds
            assertThat(TlsTestSupport.get(fresh(), port, "other.test", "/").certificate())
                    .isEqualTo(local.certificate());
            assertThatThrownBy(() -> TlsTestSupport.get(
                            TlsTestSupport.trusting(CertificateIssuer.authority(
                                    "Other CA", now.minus(1, ChronoUnit.DAYS), now.plus(1, ChronoUnit.DAYS))),
                            port,
                            "a.test",
                            "/"))
                    .isInstanceOf(SSLException.class);
            assertThat(TlsTestSupport.get(fresh(), port, "a.test", "/").response())
                    .contains("INSTANCE_NAME=Alpha");
        }
    }
}
