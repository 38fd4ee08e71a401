package io.weir.server.http3;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3FrameToHttpObjectCodec;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.Mapping;
import io.weir.server.netty.FileRegionChunks;
import io.weir.server.netty.TransportSettings;
import io.weir.server.tls.TlsEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/3 on the UDP port of an https listener, as Windows Server 2022's http.sys serves it beside
 * TCP on the same port: QUIC with TLS 1.3 and ALPN {@code h3}, the certificate chosen by the TLS
 * server name exactly as on TCP ({@link TlsEndpoint#quicContext}), each request stream handed to
 * the transport's connection handler after Netty's conversion to HTTP/1.1 message objects.
 *
 * <p>Limits: {@value #MAX_STREAMS} concurrent request streams per connection (as HTTP/2's),
 * 1 MiB of flow-control window per stream and 10 MiB per connection, connections idle for the
 * transport's {@code connectionTimeout} are closed. Address validation uses Netty's stateless
 * retry tokens ({@link InsecureQuicTokenHandler}: a client must echo the token before the server
 * spends a handshake on it). A listener whose binding has {@code weirNegotiateClientCertificate}
 * asks for a client certificate in the QUIC handshake as over TCP (optional; modules and
 * {@code access@sslFlags} decide). No OCSP response is stapled over QUIC (see {@link TlsEndpoint}).
 *
 * <p>All of a listener's QUIC connections run on one event loop of its own (one UDP socket).
 * Thread-safe.
 */
public final class Http3Listener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Http3Listener.class);
    /** Concurrent request streams a client may open on one connection. */
    public static final int MAX_STREAMS = 100;

    private static volatile boolean warned;

    private final EventLoopGroup group;
    private final Channel channel;
    private final InetSocketAddress address;

    private Http3Listener(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
        this.address = (InetSocketAddress) channel.localAddress();
    }

    /**
     * Tells whether QUIC can run here (the native quiche library loads); logs why not, once.
     *
     * @return true when HTTP/3 can be served
     */
    public static boolean available() {
        if (Quic.isAvailable()) {
            return true;
        }
        if (!warned) {
            warned = true;
            LOG.warn(
                    "HTTP/3 is not served: QUIC's native library cannot be loaded here ({}); "
                            + "https serves HTTP/1.1 and HTTP/2",
                    String.valueOf(Quic.unavailabilityCause()));
        }
        return false;
    }

    /**
     * Listens for QUIC on a UDP address. Blocks until bound; not to be called on an event loop.
     *
     * @param ip            "*" for every address, else a literal address
     * @param port          the UDP port (the https listener's TCP port)
     * @param tls           the listener's current certificates
     * @param settings      the transport's limits
     * @param streamHandler makes the handler each request stream's messages go to
     * @return the listener
     * @throws IOException naming the address when it cannot be bound
     */
    public static Http3Listener bind(
            String ip,
            int port,
            Supplier<TlsEndpoint> tls,
            TransportSettings settings,
            Supplier<ChannelHandler> streamHandler)
            throws IOException {
        QuicSslContext sni = sniContext(tls);
        ChannelHandler codec = Http3.newQuicServerCodecBuilder()
                .sslContext(sni)
                .maxIdleTimeout(settings.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(10L << 20)
                .initialMaxStreamDataBidirectionalLocal(1L << 20)
                .initialMaxStreamDataBidirectionalRemote(1L << 20)
                .initialMaxStreamsBidirectional(MAX_STREAMS)
                .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel ch) {
                        tls.get().attach(ch);
                        ch.pipeline()
                                .addLast(new Http3ServerConnectionHandler(new ChannelInitializer<QuicStreamChannel>() {
                                    @Override
                                    protected void initChannel(QuicStreamChannel stream) {
                                        stream.config().setAutoRead(false);
                                        stream.pipeline()
                                                .addLast("h3-http", new Http3FrameToHttpObjectCodec(true, true))
                                                .addLast("chunked", new ChunkedWriteHandler())
                                                .addLast("file", FileRegionChunks.HTTP_CONTENT)
                                                .addLast("h3-headers", RequestHeaders.INSTANCE)
                                                .addLast("connection", streamHandler.get());
                                    }
                                }));
                    }
                })
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        InetSocketAddress address;
        try {
            address = "*".equals(ip)
                    ? new InetSocketAddress(port)
                    : new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (IOException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot bind udp " + ip + ":" + port + ": " + e.getMessage(), e);
        }
        ChannelFuture future = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(codec)
                .bind(address)
                .awaitUninterruptibly();
        if (!future.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException(
                    "cannot bind udp " + ip + ":" + port + " for HTTP/3: "
                            + future.cause().getMessage(),
                    future.cause());
        }
        Http3Listener listener = new Http3Listener(group, future.channel());
        LOG.info("listening on https://{}:{}/ over QUIC (HTTP/3)", ip.contains(":") ? "[" + ip + "]" : ip, port);
        return listener;
    }

    /**
     * The context every QUIC handshake starts with, which hands over to the certificate's context
     * once the server name is read. BoringSSL keeps the first context's verification mode through
     * that change, so a listener that negotiates client certificates asks for one here already
     * (optional, any authority, as over TCP); a listener that does not never asks. The choice is
     * made when the UDP port is bound.
     */
    private static QuicSslContext sniContext(Supplier<TlsEndpoint> tls) {
        Mapping<String, QuicSslContext> byName = name -> tls.get().quicContext(name);
        if (!tls.get().clientCertificateTrust().isPresent()) {
            return QuicSslContextBuilder.buildForServerWithSni(byName);
        }
        return QuicSslContextBuilder.forServer(NoKey.INSTANCE, null)
                .sni(byName)
                .clientAuth(ClientAuth.OPTIONAL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build();
    }

    /** The key of the first context: none, since the server name's context serves the certificate. */
    private static final class NoKey extends X509ExtendedKeyManager {
        static final NoKey INSTANCE = new NoKey();

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return null;
        }
    }

    /** @return the UDP address bound */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * Returns the socket address of a QUIC request stream's connection, where a stream has only
     * QUIC's own addresses.
     *
     * @param stream a channel of an HTTP/3 request stream
     * @param remote true for the peer's address, false for the local one
     * @return the UDP address, or null when the channel is not a QUIC stream
     */
    public static InetSocketAddress socketAddress(Channel stream, boolean remote) {
        if (stream.parent() instanceof QuicChannel quic) {
            SocketAddress a = remote ? quic.remoteSocketAddress() : quic.localSocketAddress();
            return a instanceof InetSocketAddress i ? i : null;
        }
        return null;
    }

    /**
     * @param channel a stream or connection channel
     * @return true when it is an HTTP/3 request stream
     */
    public static boolean isHttp3(Channel channel) {
        return channel instanceof QuicStreamChannel;
    }

    /** Closes the UDP socket (and with it every QUIC connection) and its event loop. Blocks a few seconds at most. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2000);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5000);
    }

    /** Removes the conversion's extension headers, which are not the client's. */
    @ChannelHandler.Sharable
    static final class RequestHeaders extends ChannelInboundHandlerAdapter {
        static final RequestHeaders INSTANCE = new RequestHeaders();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                var headers = request.headers();
                headers.remove("x-http3-stream-id");
                headers.remove("x-http3-scheme");
                headers.remove("x-http3-path");
                headers.remove("x-http3-stream-promise-id");
                headers.remove("x-http3-protocol");
            }
            ctx.fireChannelRead(msg);
        }
    }
}
