package io.weir.it.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WebSocket echo server written with Netty's own WebSocket codec, as the backend of the proxy's
 * pass-through tests: on {@code /ws/*} it echoes every data frame as it came (type and
 * fragmentation kept), answers the text {@code close-me} with a Close 4000 of its own, answers
 * pings, and records the upgrade requests' headers and the Close frames it receives; any other
 * request gets 404. With subprotocols, its handshake picks the first of the client's offer that it
 * supports (Netty's choice).
 */
final class NettyWebSocketBackend implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    /** The headers of each upgrade request, as {@code name: value} lines. */
    final List<String> upgradeHeaders = new CopyOnWriteArrayList<>();

    /** The Close frames received, as {@code code reason}. */
    final List<String> closes = new CopyOnWriteArrayList<>();

    private final Map<Channel, WebSocketServerHandshaker> handshakers = new ConcurrentHashMap<>();

    NettyWebSocketBackend() throws InterruptedException {
        this(null);
    }

    /**
     * @param subprotocols the subprotocols it supports, comma-separated, or null for none
     */
    NettyWebSocketBackend(String subprotocols) throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(65536))
                                .addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                        if (request.uri().startsWith("/ws/")) {
                                            request.headers()
                                                    .forEach(h -> upgradeHeaders.add(h.getKey() + ": " + h.getValue()));
                                            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                                                            "ws://localhost/ws/", subprotocols, false, 16 * 1024 * 1024)
                                                    .newHandshaker(request);
                                            if (handshaker == null) {
                                                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(
                                                        ctx.channel());
                                                return;
                                            }
                                            handshakers.put(ctx.channel(), handshaker);
                                            handshaker.handshake(ctx.channel(), request);
                                            return;
                                        }
                                        DefaultFullHttpResponse notFound = new DefaultFullHttpResponse(
                                                HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.NOT_FOUND,
                                                Unpooled.copiedBuffer("no WebSocket here", StandardCharsets.UTF_8));
                                        notFound.headers().set(HttpHeaderNames.CONTENT_LENGTH, 17);
                                        ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
                                    }
                                })
                                .addLast(new SimpleChannelInboundHandler<WebSocketFrame>(false) {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                                        if (frame instanceof CloseWebSocketFrame close) {
                                            closes.add(close.statusCode() + " " + close.reasonText());
                                            handshakers.get(ctx.channel()).close(ctx.channel(), close);
                                            return;
                                        }
                                        if (frame instanceof PingWebSocketFrame ping) {
                                            ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
                                            return;
                                        }
                                        if (frame instanceof TextWebSocketFrame text
                                                && text.text().equals("close-me")) {
                                            frame.release();
                                            ctx.writeAndFlush(new CloseWebSocketFrame(4000, "backend closing"));
                                            return;
                                        }
                                        ctx.writeAndFlush(frame);
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
    }

    /** @return the port it listens on */
    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
