package io.weir.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.ApplicationHostConfig;
import io.weir.server.WeirServer;
import io.weir.server.tls.CertificateFiles;
import io.weir.server.tls.CertificateIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secure channel as the web core enforces it, over loopback with the built-in modules and
 * certificates from authorities made here (BouncyCastle): the site's {@code <hsts>} (the
 * Strict-Transport-Security header on https only, and the 301 of {@code redirectHttpToHttps}),
 * {@code access@sslFlags} answering 403.4 / 403.5 / 403.7 / 403.16 / 403.17 as IIS does, and
 * client certificates checked against the binding's trusted authority store.
 */
class SecureChannelIT {

    @TempDir
    Path dir;

    private final Instant now = Instant.now();
    private CertificateIssuer.Issued authority;
    private CertificateIssuer.Issued otherAuthority;
    private CertificateIssuer.Issued serverCertificate;
    private Path siteRoot;

    @BeforeEach
    void files() throws IOException {
        authority = CertificateIssuer.authority(
                "Weir Clients CA", now.minus(2, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        otherAuthority = CertificateIssuer.authority(
                "Somebody Else CA", now.minus(2, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        serverCertificate = CertificateIssuer.server(
                authority, List.of("localhost"), now.minus(1, ChronoUnit.HOURS), now.plus(10, ChronoUnit.DAYS));
        CertificateIssuer.writePem(dir.resolve("stores/My/localhost.pem"), serverCertificate);
        // the authorities client certificates must lead to ("Root", as Windows' trusted root store)
        Files.createDirectories(dir.resolve("stores/Root"));
        CertificateIssuer.writeCertificatesPem(
                dir.resolve("stores/Root/clients-ca.pem"), List.of(authority.certificate()));
        siteRoot = Files.createDirectories(dir.resolve("site"));
        for (String folder : List.of("open", "ssl", "ssl128", "cert", "optional")) {
            Files.createDirectories(siteRoot.resolve(folder));
            Files.writeString(siteRoot.resolve(folder + "/page.txt"), "content of " + folder + "\n");
        }
    }

    private ApplicationHostConfig config(int httpPort, int httpsPort, String hsts) throws IOException {
        String text = new String(
                ApplicationHostConfig.class
                        .getResourceAsStream("applicationHost.config")
                        .readAllBytes(),
                StandardCharsets.UTF_8);
        text = text.replace("<sites>", "<sites weirCertificateStorePath=\"" + dir.resolve("stores") + "\">")
                .replace(
                        "<binding protocol=\"http\" bindingInformation=\"*:8080:\" />",
                        "<binding protocol=\"http\" bindingInformation=\"127.0.0.1:" + httpPort + ":\" />\n"
                                + "<binding protocol=\"https\" bindingInformation=\"127.0.0.1:" + httpsPort + ":\""
                                + " certificateHash=\"" + CertificateFiles.thumbprint(serverCertificate.certificate())
                                + "\" weirNegotiateClientCertificate=\"true\" />")
                .replace("</bindings>\n      </site>", "</bindings>\n        " + hsts + "\n      </site>")
                .replace(
                        "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" />",
                        "<logFile logFormat=\"W3C\" enabled=\"false\" period=\"Daily\" />")
                .replace(
                        "</configuration>",
                        location("ssl", "Ssl") + location("ssl128", "Ssl128")
                                + location("cert", "Ssl, SslNegotiateCert, SslRequireCert")
                                + location("optional", "Ssl, SslNegotiateCert") + "</configuration>");
        Path file = dir.resolve("applicationHost.config");
        Files.writeString(file, text);
        return ApplicationHostConfig.load(file, Map.of("WEIR_SITE_ROOT", siteRoot.toString()));
    }

    private static String location(String folder, String sslFlags) {
        return "<location path=\"Default Web Site/" + folder + "\"><system.webServer><security>" + "<access sslFlags=\""
                + sslFlags + "\" /></security></system.webServer></location>\n";
    }

    @Test
    void hstsHeaderOnHttpsOnlyAndAccessSslFlagsAnswerAsIis() throws Exception {
        int[] ports = freePorts();
        try (WeirServer server = WeirServer.start(config(
                ports[0],
                ports[1],
                "<hsts enabled=\"true\" max-age=\"31536000\" includeSubDomains=\"true\" preload=\"true\" />"))) {
            SSLContext anonymous = client(null);

            String https = get(anonymous, ports[1], "/open/page.txt");
            assertThat(https)
                    .startsWith("HTTP/1.1 200")
                    .contains("Strict-Transport-Security: max-age=31536000; includeSubDomains; preload\r\n")
                    .endsWith("content of open\n");
            // RFC 6797: never over plain HTTP; and without redirectHttpToHttps plain HTTP is served
            String http = plain(ports[0], "/open/page.txt");
            assertThat(http).startsWith("HTTP/1.1 200").doesNotContain("Strict-Transport-Security");
            // an error over https carries it too
            assertThat(get(anonymous, ports[1], "/open/missing.txt"))
                    .startsWith("HTTP/1.1 404")
                    .contains("Strict-Transport-Security: max-age=31536000");

            // Ssl and Ssl128: 403.4 over plain HTTP, served over TLS (every Weir cipher has >= 128-bit keys)
            assertThat(plain(ports[0], "/ssl/page.txt"))
                    .startsWith("HTTP/1.1 403")
                    .contains("403.4");
            assertThat(plain(ports[0], "/ssl128/page.txt"))
                    .startsWith("HTTP/1.1 403")
                    .contains("403.4");
            assertThat(get(anonymous, ports[1], "/ssl/page.txt"))
                    .startsWith("HTTP/1.1 200")
                    .endsWith("content of ssl\n");
            assertThat(get(anonymous, ports[1], "/ssl128/page.txt")).startsWith("HTTP/1.1 200");

            // SslRequireCert: 403.7 without a certificate
            assertThat(get(anonymous, ports[1], "/cert/page.txt"))
                    .startsWith("HTTP/1.1 403")
                    .contains("403.7");
            // SslNegotiateCert alone: a client without one is served
            assertThat(get(anonymous, ports[1], "/optional/page.txt")).startsWith("HTTP/1.1 200");

            // a certificate from the trusted authority is served
            CertificateIssuer.Issued alice = CertificateIssuer.client(
                    authority, "alice", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
            assertThat(get(client(alice), ports[1], "/cert/page.txt"))
                    .startsWith("HTTP/1.1 200")
                    .endsWith("content of cert\n");
            // from an authority the binding does not trust: 403.16, where client certificates are asked for
            CertificateIssuer.Issued mallory = CertificateIssuer.client(
                    otherAuthority, "mallory", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
            assertThat(get(client(mallory), ports[1], "/cert/page.txt"))
                    .startsWith("HTTP/1.1 403")
                    .contains("403.16");
            assertThat(get(client(mallory), ports[1], "/optional/page.txt"))
                    .startsWith("HTTP/1.1 403")
                    .contains("403.16");
            assertThat(get(client(mallory), ports[1], "/open/page.txt")).startsWith("HTTP/1.1 200");
            // expired, from the trusted authority: 403.17
            CertificateIssuer.Issued expired = CertificateIssuer.client(
                    authority, "bob", now.minus(2, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS));
            assertThat(get(client(expired), ports[1], "/cert/page.txt"))
                    .startsWith("HTTP/1.1 403")
                    .contains("403.17");
        }
    }

    @Test
    void redirectHttpToHttpsAnswers301WithTheSameUrlOnTheHttpsPort() throws Exception {
        int[] ports = freePorts();
        try (WeirServer server = WeirServer.start(
                config(ports[0], ports[1], "<hsts enabled=\"true\" max-age=\"600\" redirectHttpToHttps=\"true\" />"))) {
            String http = plain(ports[0], "/open/page.txt?x=1");
            assertThat(http)
                    .startsWith("HTTP/1.1 301")
                    .contains("Location: https://localhost:" + ports[1] + "/open/page.txt?x=1\r\n")
                    .doesNotContain("Strict-Transport-Security");
            String https = get(client(null), ports[1], "/open/page.txt?x=1");
            assertThat(https).startsWith("HTTP/1.1 200").contains("Strict-Transport-Security: max-age=600\r\n");
        }
    }

    @Test
    void withoutHstsNoHeaderAndNoRedirect() throws Exception {
        int[] ports = freePorts();
        try (WeirServer server = WeirServer.start(config(ports[0], ports[1], ""))) {
            assertThat(get(client(null), ports[1], "/open/page.txt"))
                    .startsWith("HTTP/1.1 200")
                    .doesNotContain("Strict-Transport-Security");
            assertThat(plain(ports[0], "/open/page.txt")).startsWith("HTTP/1.1 200");
        }
    }

    private static int[] freePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }

    /** A client trusting the test authority, presenting a certificate when given one. */
    private SSLContext client(CertificateIssuer.Issued certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", authority.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (certificate != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry(
                    "client",
                    certificate.key(),
                    new char[0],
                    certificate.chain().toArray(Certificate[]::new));
            // SunX509 offers the certificate whatever its dates, as a careless client would
            kmf = KeyManagerFactory.getInstance("SunX509");
            kmf.init(keys, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static String get(SSLContext context, int port, String path) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return exchange(socket, path);
        }
    }

    private static String plain(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            return exchange(socket, path);
        }
    }

    private static String exchange(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        in.transferTo(response);
        return response.toString(StandardCharsets.UTF_8);
    }
}
