package io.weir.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.weir.config.ApplicationHostConfig;
import io.weir.server.WeirServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates over HTTP/3, with Netty's HTTP/3 client: a binding with
 * {@code weirNegotiateClientCertificate} asks for one in the QUIC handshake as over TCP, and the
 * chain reaches modules ({@code HttpConnection.clientCertificates()}) and the {@code CERT_*}
 * variables, with {@code CERT_FLAGS} saying whether the listener's {@code Root} store trusts its
 * authority; a client without a certificate is served too. A binding that does not negotiate
 * never asks.
 */
class Http3ClientCertificateTest {

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
                <sites weirCertificateStorePath="stores">
                  <site name="Local" id="1">
                    <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                    <bindings>
                      <binding protocol="https" bindingInformation="127.0.0.1:0:" certificateHash="%HASH%"
                               weirNegotiateClientCertificate="%NEGOTIATE%" />
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
    private CertificateIssuer.Issued localhost;
    private EventLoopGroup clientLoop;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Quic.isAvailable(), "QUIC's native library loads here");
        authority = CertificateIssuer.authority(
                "Weir H3 Client CA", now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        localhost = CertificateIssuer.server(
                authority, List.of("localhost"), now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
        CertificateIssuer.writePem(root.resolve("stores/My/local.pem"), localhost);
        Files.createDirectories(root.resolve("stores/Root"));
        CertificateIssuer.writeCertificatesPem(root.resolve("stores/Root/ca.pem"), List.of(authority.certificate()));
        clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (clientLoop != null) {
            clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private WeirServer serve(boolean negotiate) throws Exception {
        Path file = root.resolve("applicationHost.config");
        Files.writeString(
                file,
                CONFIG.replace("%HASH%", CertificateFiles.thumbprint(localhost.certificate()))
                        .replace("%NEGOTIATE%", String.valueOf(negotiate)));
        return WeirServer.start(ApplicationHostConfig.load(file, Map.of("ROOT", root.toString())));
    }

    @Test
    void aClientCertificateReachesModulesAndTheCertVariablesOverHttp3() throws Exception {
        CertificateIssuer.Issued alice = CertificateIssuer.client(
                authority, "alice", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
        CertificateIssuer.Issued otherAuthority =
                CertificateIssuer.authority("Other CA", now.minus(1, ChronoUnit.DAYS), now.plus(3, ChronoUnit.DAYS));
        CertificateIssuer.Issued mallory = CertificateIssuer.client(
                otherAuthority, "mallory", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
        try (WeirServer server = serve(true)) {
            int port = quicPort(server);
            assertThat(get(port, alice))
                    .contains(
                            "SERVER_PROTOCOL=HTTP/3\n",
                            "CERT_SUBJECT=CN=alice\n",
                            "CERT_ISSUER=CN=Weir H3 Client CA\n",
                            "CERT_FLAGS=1\n",
                            "clientCertificates=2\n");
            // from an authority not in the Root store: served (modules decide), CERT_FLAGS says untrusted
            assertThat(get(port, mallory)).contains("CERT_SUBJECT=CN=mallory\n", "CERT_FLAGS=3\n");
            // optional: a client without a certificate is served too
            assertThat(get(port, null))
                    .contains("SERVER_PROTOCOL=HTTP/3\n", "CERT_SUBJECT=\n", "CERT_FLAGS=\n", "clientCertificates=0\n");
        }
    }

    @Test
    void aBindingThatDoesNotNegotiateNeverAsksOverHttp3() throws Exception {
        CertificateIssuer.Issued alice = CertificateIssuer.client(
                authority, "alice", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
        try (WeirServer server = serve(false)) {
            assertThat(get(quicPort(server), alice))
                    .contains("SERVER_PROTOCOL=HTTP/3\n", "CERT_SUBJECT=\n", "clientCertificates=0\n");
        }
    }

    private static int quicPort(WeirServer server) {
        InetSocketAddress https = server.boundAddresses().get(0);
        return server.http3Address(https).orElseThrow().getPort();
    }

    /** One GET / over a new QUIC connection, with the client certificate given (or none); returns the body. */
    private String get(int port, CertificateIssuer.Issued client) throws Exception {
        QuicSslContextBuilder builder = client == null
                ? QuicSslContextBuilder.forClient()
                : QuicSslContextBuilder.forClient()
                        .keyManager(client.key(), null, client.chain().toArray(X509Certificate[]::new));
        QuicSslContext tls = builder.trustManager(authority.certificate())
                .applicationProtocols(Http3.supportedApplicationProtocols())
                .build();
        ChannelHandler codec = Http3.newQuicClientCodecBuilder()
                .sslEngineProvider(q -> tls.newEngine(q.alloc(), "localhost", port))
                .maxIdleTimeout(10, TimeUnit.SECONDS)
                .initialMaxData(1_000_000)
                .initialMaxStreamDataBidirectionalLocal(1_000_000)
                .build();
        Channel udp = new Bootstrap()
                .group(clientLoop)
                .channel(NioDatagramChannel.class)
                .handler(codec)
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
        try {
            QuicChannel connection = QuicChannel.newBootstrap(udp)
                    .handler(new Http3ClientConnectionHandler())
                    .remoteAddress(new InetSocketAddress("127.0.0.1", port))
                    .connect()
                    .get(10, TimeUnit.SECONDS);
            CompletableFuture<String> done = new CompletableFuture<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            QuicStreamChannel stream = Http3.newRequestStream(connection, new Http3RequestStreamInboundHandler() {
                        @Override
                        protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
                            ReferenceCountUtil.release(frame);
                        }

                        @Override
                        protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
                            byte[] bytes = new byte[frame.content().readableBytes()];
                            frame.content().readBytes(bytes);
                            body.writeBytes(bytes);
                            ReferenceCountUtil.release(frame);
                        }

                        @Override
                        protected void channelInputClosed(ChannelHandlerContext ctx) {
                            done.complete(body.toString(StandardCharsets.UTF_8));
                            ctx.close();
                        }
                    })
                    .sync()
                    .getNow();
            Http3HeadersFrame request = new DefaultHttp3HeadersFrame();
            request.headers()
                    .method("GET")
                    .path("/")
                    .authority("localhost:" + port)
                    .scheme("https");
            stream.writeAndFlush(request)
                    .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT)
                    .sync();
            String answer = done.get(10, TimeUnit.SECONDS);
            connection.close().sync();
            return answer;
        } finally {
            udp.close().sync();
        }
    }
}
