package io.weir.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.weir.config.ApplicationHostConfig;
import io.weir.server.WeirServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WebSocket echo round trips per second, with Netty's own WebSocket codec on both ends: an echo
 * server (the backend of {@code weir-bench/websocket-peers.sh}) and a load client.
 *
 * <pre>{@code
 * java -cp ... io.weir.bench.WebSocketEcho serve PORT
 * java -cp ... io.weir.bench.WebSocketEcho weir CONFIG_FILE SITE_ROOT
 * java -cp ... io.weir.bench.WebSocketEcho load ws://127.0.0.1:PORT/ws/echo SECONDS CONNECTIONS [BYTES]
 * }</pre>
 *
 * {@code serve} echoes every data frame on {@code /ws/*} on one event loop until the process is
 * stopped. {@code weir} serves an applicationHost.config with Weir (as {@code weir serve --config}
 * does, {@code WEIR_SITE_ROOT} set to SITE_ROOT) until the process is stopped. {@code load} opens CONNECTIONS WebSockets on one event loop (as {@code wrk -t1}); each
 * sends a text message of BYTES bytes (default 32), waits for its echo and sends the next. After
 * a warm-up of SECONDS / 3 it counts the echoes received during SECONDS and prints
 * {@code round-trips/s N}.
 */
public final class WebSocketEcho {

    private WebSocketEcho() {}

    /**
     * Runs the server or the load client.
     *
     * @param args {@code serve PORT}, {@code weir CONFIG_FILE SITE_ROOT} or
     *             {@code load URL SECONDS CONNECTIONS [BYTES]}
     * @throws Exception if a server cannot bind or a connection's upgrade fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("serve")) {
            serve(Integer.parseInt(args[1]));
        } else if (args.length == 3 && args[0].equals("weir")) {
            ApplicationHostConfig config =
                    ApplicationHostConfig.load(Path.of(args[1]), Map.of("WEIR_SITE_ROOT", args[2]));
            try (WeirServer server = WeirServer.start(config)) {
                System.out.println("listening " + server.boundAddresses());
                new CountDownLatch(1).await();
            }
        } else if (args.length >= 4 && args[0].equals("load")) {
            int bytes = args.length > 4 ? Integer.parseInt(args[4]) : 32;
            long rate = load(URI.create(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), bytes);
            System.out.println("round-trips/s " + rate);
        } else {
            System.err.println(
                    "usage: WebSocketEcho serve PORT | weir CONFIG_FILE SITE_ROOT | load URL SECONDS CONNECTIONS [BYTES]");
            System.exit(2);
        }
    }

    private static void serve(int port) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .checkStartsWith(true)
                .maxFramePayloadLength(16 * 1024 * 1024)
                .build();
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(65536))
                                .addLast(new WebSocketServerProtocolHandler(config))
                                .addLast(new SimpleChannelInboundHandler<WebSocketFrame>(false) {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                                        ctx.writeAndFlush(frame);
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", port)
                .sync()
                .channel();
        System.out.println("listening " + port);
        server.closeFuture().sync();
    }

    private static long load(URI uri, int seconds, int connections, int bytes) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            byte[] text = new byte[bytes];
            Arrays.fill(text, (byte) 'x');
            ByteBuf message =
                    Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes).writeBytes(text));
            AtomicLong echoes = new AtomicLong();
            CountDownLatch ready = new CountDownLatch(connections);
            List<Channel> channels = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                        .webSocketUri(uri)
                        .maxFramePayloadLength(16 * 1024 * 1024)
                        .build();
                channels.add(new Bootstrap()
                        .group(group)
                        .channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline()
                                        .addLast(new HttpClientCodec())
                                        .addLast(new HttpObjectAggregator(65536))
                                        .addLast(new WebSocketClientProtocolHandler(config))
                                        .addLast(new EchoClient(message, echoes, ready));
                            }
                        })
                        .connect(uri.getHost(), uri.getPort())
                        .sync()
                        .channel());
            }
            if (!ready.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not every WebSocket upgrade completed within 30 s");
            }
            Thread.sleep(Math.max(1, seconds / 3) * 1000L);
            long start = echoes.get();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long counted = echoes.get() - start;
            long elapsed = System.nanoTime() - t0;
            for (Channel c : channels) {
                c.close();
            }
            return Math.round(counted * 1e9 / elapsed);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** One connection: sends a message once the upgrade is done, then one more per echo received. */
    private static final class EchoClient extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final ByteBuf message;
        private final AtomicLong echoes;
        private final CountDownLatch ready;

        EchoClient(ByteBuf message, AtomicLong echoes, CountDownLatch ready) {
            this.message = message;
            this.echoes = echoes;
            this.ready = ready;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                ready.countDown();
                send(ctx);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame && frame.isFinalFragment()) {
                echoes.incrementAndGet();
                send(ctx);
            }
        }

        private void send(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(new TextWebSocketFrame(message.duplicate()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("connection failed: " + cause);
            ctx.close();
        }
    }
}
