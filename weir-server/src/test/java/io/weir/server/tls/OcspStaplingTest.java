package io.weir.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicSslEngine;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.weir.config.ApplicationHostConfig;
import io.weir.server.WeirServer;
import java.io.IOException;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCSP stapling end to end over loopback: a test authority (BouncyCastle) issues a server
 * certificate whose Authority Information Access names a tiny OCSP responder run by the test; Weir
 * fetches the certificate's status from it and staples it, and a TLS client that asks for the
 * status (RFC 6066 section 8, Netty's OpenSSL client with OCSP enabled) receives a response signed
 * by the authority saying the certificate is good. Without a responder in the certificate, or with
 * {@code sslFlags} DisableOCSPStp (8), nothing is stapled.
 */
class OcspStaplingTest {

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
                <sites weirCertificateStorePath="stores" weirSslProvider="%PROVIDER%">
                  <site name="Local" id="1">
                    <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                    <bindings>
                      <binding protocol="https" bindingInformation="*:0:" certificateHash="%HASH%" sslFlags="%FLAGS%" />
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

    private final Instant now = Instant.now();
    private CertificateIssuer.Issued authority;
    private HttpServer responder;
    private final AtomicInteger requests = new AtomicInteger();
    private EventLoopGroup clientLoop;

    @BeforeEach
    void start() throws IOException {
        authority = CertificateIssuer.authority(
                "Weir OCSP Test CA", now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        responder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        responder.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] answer;
            try {
                // RFC 6960 appendix A.1: POST with the request as body, or GET with it in the path
                // (base64, URL-encoded), which the JDK's client uses for small requests
                byte[] der = "GET".equals(exchange.getRequestMethod())
                        ? Base64.getDecoder()
                                .decode(URLDecoder.decode(
                                        exchange.getRequestURI().getRawPath().substring(1), StandardCharsets.US_ASCII))
                        : exchange.getRequestBody().readAllBytes();
                answer = answer(new OCSPReq(der));
            } catch (Exception e) {
                throw new IOException(e);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/ocsp-response");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        responder.start();
        clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        responder.stop(0);
        clientLoop.shutdownGracefully();
    }

    /** The responder: "good" for every certificate asked about, valid for an hour, signed by the authority. */
    private byte[] answer(OCSPReq request) throws Exception {
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(
                new RespID(new X509CertificateHolder(authority.certificate().getEncoded()).getSubject()));
        for (Req r : request.getRequestList()) {
            builder.addResponse(
                    r.getCertID(),
                    CertificateStatus.GOOD,
                    Date.from(Instant.now().minus(1, ChronoUnit.MINUTES)),
                    Date.from(Instant.now().plus(1, ChronoUnit.HOURS)),
                    null);
        }
        BasicOCSPResp basic =
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(authority.key()), null, new Date());
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    /** A server certificate for localhost signed by the authority, naming the test's responder when asked. */
    private CertificateIssuer.Issued leaf(boolean withResponder) throws Exception {
        KeyPair pair = CertificateIssuer.newKeyPair();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                authority.certificate().getSubjectX500Principal(),
                BigInteger.valueOf(System.nanoTime()),
                Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(10, ChronoUnit.DAYS)),
                new X500Principal("CN=localhost"),
                pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        if (withResponder) {
            String url = "http://127.0.0.1:" + responder.getAddress().getPort() + "/";
            builder.addExtension(
                    Extension.authorityInfoAccess,
                    false,
                    new AuthorityInformationAccess(
                            AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, url)));
        }
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(authority.key())));
        return new CertificateIssuer.Issued(pair.getPrivate(), List.of(certificate, authority.certificate()));
    }

    private WeirServer serve(CertificateIssuer.Issued leaf, int sslFlags) throws IOException {
        return serve(leaf, sslFlags, "OpenSsl");
    }

    private WeirServer serve(CertificateIssuer.Issued leaf, int sslFlags, String provider) throws IOException {
        CertificateIssuer.writePem(root.resolve("stores/My/leaf.pem"), leaf);
        String text = CONFIG.replace("%HASH%", CertificateFiles.thumbprint(leaf.certificate()))
                .replace("%FLAGS%", String.valueOf(sslFlags))
                .replace("%PROVIDER%", provider);
        Path file = root.resolve("applicationHost.config");
        Files.writeString(file, text);
        return WeirServer.start(ApplicationHostConfig.load(file, Map.of("ROOT", root.toString())));
    }

    /** Handshakes as a client that asks for the certificate status; returns the stapled response or null. */
    private byte[] stapled(int port) throws Exception {
        SslContext context = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .enableOcsp(true)
                .trustManager(authority.certificate())
                .build();
        Channel channel = new Bootstrap()
                .group(clientLoop)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(context.newHandler(ch.alloc(), "localhost", port));
                    }
                })
                .connect("127.0.0.1", port)
                .sync()
                .channel();
        try {
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            ssl.handshakeFuture().sync();
            return ((ReferenceCountedOpenSslEngine) ssl.engine()).getOcspResponse();
        } finally {
            channel.close().sync();
        }
    }

    /** Handshakes until a response is stapled (the first fetch runs in the background), up to 10 s. */
    private byte[] awaitStaple(int port) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        byte[] staple = stapled(port);
        while (staple == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
            staple = stapled(port);
        }
        return staple;
    }

    @Test
    void theResponderAnswerIsStapledAndSaysGood() throws Exception {
        assumeTrue(OpenSsl.isOcspSupported(), "OpenSSL with OCSP support");
        assertStaplesGood("OpenSsl");
    }

    /** With the JDK's provider, the JDK asks the responder itself ({@link JdkOcspStapling}). */
    @Test
    void withTheJdkProviderTheResponderAnswerIsStapledAndSaysGood() throws Exception {
        assumeTrue(OpenSsl.isOcspSupported(), "an OpenSSL client that asks for the status");
        assertStaplesGood("Jdk");
        assertThat(System.getProperty(JdkOcspStapling.PROPERTY))
                .as("the JDK's switch is set only while a context is made")
                .isNull();
    }

    @Test
    void withTheJdkProviderDisableOcspStaplingFlagMeansNoStaple() throws Exception {
        assumeTrue(OpenSsl.isOcspSupported(), "an OpenSSL client that asks for the status");
        try (WeirServer server = serve(leaf(true), 8, "Jdk")) {
            int port = server.boundAddresses().get(0).getPort();
            assertThat(stapled(port)).isNull();
            assertThat(requests.get()).isZero();
        }
    }

    /**
     * Over QUIC nothing is stapled, because Netty's QUIC TLS cannot: neither its context builder
     * nor its context or engine has any OCSP method (BoringSSL's {@code SSL_set_ocsp_response} is
     * not bound). When a Netty release adds one, this fails, and HTTP/3 should staple as TCP does.
     */
    @Test
    void quicTlsOffersNoWayToStaple() {
        for (Class<?> type : List.of(QuicSslContextBuilder.class, QuicSslContext.class, QuicSslEngine.class)) {
            assertThat(Arrays.stream(type.getMethods())
                            .map(Method::getName)
                            .filter(name -> name.toLowerCase(Locale.ROOT).contains("ocsp")))
                    .as("OCSP methods of " + type.getName())
                    .isEmpty();
        }
    }

    private void assertStaplesGood(String provider) throws Exception {
        CertificateIssuer.Issued leaf = leaf(true);
        try (WeirServer server = serve(leaf, 0, provider)) {
            int port = server.boundAddresses().get(0).getPort();
            byte[] staple = awaitStaple(port);
            assertThat(staple).as("a stapled OCSP response").isNotNull();
            OCSPResp response = new OCSPResp(staple);
            assertThat(response.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
            BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
            assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder()
                            .build(authority.certificate().getPublicKey())))
                    .isTrue();
            SingleResp single = basic.getResponses()[0];
            assertThat(single.getCertID().getSerialNumber())
                    .isEqualTo(leaf.certificate().getSerialNumber());
            assertThat(single.getCertID()
                            .matchesIssuer(
                                    new JcaX509CertificateHolder(authority.certificate()),
                                    new JcaDigestCalculatorProviderBuilder().build()))
                    .isTrue();
            assertThat(single.getCertStatus()).isEqualTo(CertificateStatus.GOOD);
            // later handshakes reuse the kept response: the responder is not asked per handshake
            int asked = requests.get();
            for (int i = 0; i < 5; i++) {
                assertThat(stapled(port)).isEqualTo(staple);
            }
            assertThat(requests.get()).isEqualTo(asked);
        }
    }

    @Test
    void noResponderInTheCertificateMeansNoStaple() throws Exception {
        try (WeirServer server = serve(leaf(false), 0)) {
            int port = server.boundAddresses().get(0).getPort();
            Thread.sleep(500);
            assertThat(stapled(port)).isNull();
            assertThat(requests.get()).isZero();
        }
    }

    @Test
    void disableOcspStaplingFlagMeansNoStaple() throws Exception {
        try (WeirServer server = serve(leaf(true), 8)) {
            int port = server.boundAddresses().get(0).getPort();
            Thread.sleep(500);
            assertThat(stapled(port)).isNull();
            assertThat(requests.get()).isZero();
        }
    }
}
