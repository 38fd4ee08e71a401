package io.weir.server.http2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.weir.server.netty.TransportSettings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The first handler of a cleartext connection on a listener that accepts h2c: when the first
 * bytes are HTTP/2's connection preface (prior knowledge, RFC 9113 section 3.3) the connection becomes
 * HTTP/2, otherwise HTTP/1.1, where a request with {@code Upgrade: h2c} and {@code HTTP2-Settings}
 * (RFC 7540 section 3.2) is answered 101 and served as stream 1 of the HTTP/2 connection the
 * connection then becomes (an upgrade request's body is limited to {@value #MAX_UPGRADE_BODY}
 * bytes). Removes itself once it has decided.
 */
public final class CleartextHttp2 extends ByteToMessageDecoder {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
    /** The most request-body bytes an {@code Upgrade: h2c} request may carry (it is held in memory). */
    public static final int MAX_UPGRADE_BODY = 64 * 1024;

    private final Supplier<ChannelHandler> streamHandler;
    private final TransportSettings settings;
    private final Consumer<ChannelPipeline> http1;

    /**
     * @param streamHandler makes the handler each HTTP/2 stream's requests go to
     * @param settings      the transport's limits
     * @param http1         appends the HTTP/1.1 handlers to the pipeline
     */
    public CleartextHttp2(
            Supplier<ChannelHandler> streamHandler, TransportSettings settings, Consumer<ChannelPipeline> http1) {
        this.streamHandler = streamHandler;
        this.settings = settings;
        this.http1 = http1;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean matches = in.slice(in.readerIndex(), n).equals(PREFACE.slice(0, n));
        if (matches && n < PREFACE.readableBytes()) {
            ctx.read();
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        if (matches) {
            Http2Connections.configure(pipeline, settings, streamHandler);
        } else {
            http1.accept(pipeline);
            pipeline.addBefore(
                    "connection",
                    "h2c-upgrade",
                    new HttpServerUpgradeHandler(
                            CleartextHttp2::leaveHttp1,
                            protocol -> AsciiString.contentEqualsIgnoreCase(
                                            Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                                    ? new Http2ServerUpgradeCodec(
                                            Http2Connections.newFrameCodec(settings),
                                            new IdleStateHandler(
                                                    0,
                                                    0,
                                                    settings.connectionTimeout().toMillis(),
                                                    TimeUnit.MILLISECONDS),
                                            new Http2Connections.IdleGoAway(),
                                            Http2Connections.newMultiplexer(streamHandler))
                                    : null,
                            MAX_UPGRADE_BODY));
            ctx.fireChannelActive();
        }
        pipeline.remove(this);
    }

    /** After the 101: the HTTP/1.1 handlers leave, and HTTP/2 reads by itself. */
    private static void leaveHttp1(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        for (String name : new String[] {"decoder", "encoder", "connection"}) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
        ctx.channel().config().setAutoRead(true);
    }
}
