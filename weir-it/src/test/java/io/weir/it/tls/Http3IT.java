package io.weir.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.weir.api.config.ConfigSource;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig.BindingConfig;
import io.weir.server.WeirServer;
import io.weir.server.tls.CertificateFiles;
import io.weir.server.tls.CertificateIssuer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/3 over QUIC with Netty's own HTTP/3 client, against the embedded default configuration and
 * its built-in modules: an https binding also serves QUIC on its UDP port, responses over TCP
 * advertise it with {@code Alt-Svc}, and requests over HTTP/3 run the same pipeline (a static file,
 * the 404 error page, request filtering's hidden segment).
 */
class Http3IT {

    @TempDir
    Path dir;

    /** One response seen by the HTTP/3 client. @param status the :status @param headers the headers @param body the body */
    record Seen(String status, Map<String, String> headers, String body) {}

    @Test
    void http3ServesTheSamePipelineAndTcpAdvertisesIt() throws Exception {
        Instant now = Instant.now();
        CertificateIssuer.Issued authority = CertificateIssuer.authority(
                "Weir H3 Test CA", now.minus(1, ChronoUnit.DAYS), now.plus(2, ChronoUnit.DAYS));
        CertificateIssuer.Issued server = CertificateIssuer.server(
                authority, List.of("localhost"), now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
        Path store = dir.resolve("store");
        CertificateIssuer.writePem(store.resolve("localhost.pem"), server);
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.writeString(root.resolve("index.html"), "<!DOCTYPE html><title>h3</title><p>over QUIC</p>\n");
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/secret.txt"), "hidden\n");

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
                        CertificateFiles.thumbprint(server.certificate()),
                        store.toString(),
                        new ConfigSource("Http3IT", 0, 0)));

        try (WeirServer weir = WeirServer.start(config)) {
            InetSocketAddress https = weir.boundAddresses().stream()
                    .filter(a -> weir.tlsEndpoint(a).isPresent())
                    .findFirst()
                    .orElseThrow();
            InetSocketAddress quic = weir.http3Address(https).orElseThrow();
            assertThat(quic.getPort()).isEqualTo(https.getPort());

            // over TCP, HTTP/3 is advertised on the same port
            String tcp = tcpGet(authority, https.getPort(), "/index.html");
            assertThat(tcp)
                    .startsWith("HTTP/1.1 200")
                    .containsIgnoringCase("alt-svc: h3=\":" + https.getPort() + "\"; ma=86400\r\n");

            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                QuicSslContext tls = QuicSslContextBuilder.forClient()
                        .trustManager(authority.certificate())
                        .applicationProtocols(Http3.supportedApplicationProtocols())
                        .build();
                ChannelHandler codec = Http3.newQuicClientCodecBuilder()
                        .sslEngineProvider(q -> tls.newEngine(q.alloc(), "localhost", https.getPort()))
                        .maxIdleTimeout(10, TimeUnit.SECONDS)
                        .initialMaxData(10_000_000)
                        .initialMaxStreamDataBidirectionalLocal(1_000_000)
                        .build();
                Channel udp = new Bootstrap()
                        .group(group)
                        .channel(NioDatagramChannel.class)
                        .handler(codec)
                        .bind(new InetSocketAddress("127.0.0.1", 0))
                        .sync()
                        .channel();
                QuicChannel connection = QuicChannel.newBootstrap(udp)
                        .handler(new Http3ClientConnectionHandler())
                        .remoteAddress(new InetSocketAddress("127.0.0.1", quic.getPort()))
                        .connect()
                        .get(10, TimeUnit.SECONDS);

                Seen page = get(connection, https.getPort(), "/index.html");
                assertThat(page.status()).isEqualTo("200");
                assertThat(page.body()).isEqualTo("<!DOCTYPE html><title>h3</title><p>over QUIC</p>\n");
                assertThat(page.headers())
                        .containsEntry("content-type", "text/html")
                        .doesNotContainKey("alt-svc");

                Seen missing = get(connection, https.getPort(), "/nothing-here.html");
                assertThat(missing.status()).isEqualTo("404");
                // the engine saw a secure request (the URL it reports is https) and mapped it as over TCP
                assertThat(missing.body())
                        .contains(
                                "<td>MAP_REQUEST_HANDLER</td>",
                                "https://localhost:" + https.getPort() + "/nothing-here.html",
                                "substatus=0");

                // request filtering's hidden segments, on the same connection
                Seen hidden = get(connection, https.getPort(), "/bin/secret.txt");
                assertThat(hidden.status()).isEqualTo("404");
                assertThat(hidden.body()).contains("substatus=8");

                connection.close().sync();
                udp.close().sync();
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }

    private static Seen get(QuicChannel connection, int port, String path) throws Exception {
        CompletableFuture<Seen> done = new CompletableFuture<>();
        Map<String, String> headers = new LinkedHashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String[] status = new String[1];
        QuicStreamChannel stream = Http3.newRequestStream(connection, new Http3RequestStreamInboundHandler() {
                    @Override
                    protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
                        status[0] = String.valueOf(frame.headers().status());
                        frame.headers()
                                .forEach(e -> headers.put(
                                        e.getKey().toString(), e.getValue().toString()));
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
                        done.complete(new Seen(status[0], headers, body.toString(StandardCharsets.UTF_8)));
                        ctx.close();
                    }
                })
                .sync()
                .getNow();
        Http3HeadersFrame request = new DefaultHttp3HeadersFrame();
        request.headers()
                .method("GET")
                .path(path)
                .authority("localhost:" + port)
                .scheme("https");
        stream.writeAndFlush(request)
                .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT)
                .sync();
        return done.get(10, TimeUnit.SECONDS);
    }

    private static String tcpGet(CertificateIssuer.Issued authority, int port, String path) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", authority.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
