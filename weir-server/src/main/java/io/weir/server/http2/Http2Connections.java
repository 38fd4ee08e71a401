package io.weir.server.http2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.weir.server.netty.FileRegionChunks;
import io.weir.server.netty.TransportSettings;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * HTTP/2 connections: Netty's frame codec and stream multiplexer, and on each stream the
 * conversion to the HTTP/1.1 message objects the connection handler consumes, so that the whole
 * pipeline and every module see a request the same way whatever the protocol. Each stream is its
 * own exchange (its own channel, with back-pressure through HTTP/2 flow control).
 *
 * <p>The limits, each answered as RFC 9113 and the HTTP/2 attack reports of 2019-2024 suggest:
 * <ul>
 *   <li>{@value #MAX_CONCURRENT_STREAMS} concurrent streams per connection (http.sys's default);
 *       a client opening more gets RST_STREAM(REFUSED_STREAM);</li>
 *   <li>a header list of at most the transport's {@code maxHeaderBytes} (16 KiB, http.sys's
 *       MaxRequestBytes), HPACK-decoded size counted (an HPACK bomb expands past it), across
 *       CONTINUATION frames (a CONTINUATION flood ends there): the stream is refused with 431
 *       or RST_STREAM, a block far past it ends the connection with GOAWAY;</li>
 *   <li>rapid reset: more than {@value #MAX_RST_PER_WINDOW} RST_STREAM frames from the client in
 *       {@value #RST_WINDOW_SECONDS} s end the connection with GOAWAY(ENHANCE_YOUR_CALM);</li>
 *   <li>more than {@value #MAX_EMPTY_DATA_FRAMES} consecutive empty DATA frames end the connection
 *       with GOAWAY;</li>
 *   <li>SETTINGS and PING floods: more than {@value #MAX_QUEUED_CONTROL_FRAMES} control-frame
 *       answers waiting to be written (a client that sends but does not read) end the connection;</li>
 *   <li>zero-window stall: a connection on which nothing is read or written for the
 *       transport's {@code connectionTimeout} is closed with GOAWAY.</li>
 * </ul>
 * Other streams of the connection are unaffected by a stream error, other connections by any.
 */
public final class Http2Connections {

    /** Concurrent streams a client may open on one connection (http.sys's Http2MaxConcurrentStreams). */
    public static final int MAX_CONCURRENT_STREAMS = 100;
    /** RST_STREAM frames a client may send per window before the connection ends. */
    public static final int MAX_RST_PER_WINDOW = 200;
    /** The rapid-reset window in seconds. */
    public static final int RST_WINDOW_SECONDS = 30;
    /** Consecutive empty DATA frames allowed. */
    public static final int MAX_EMPTY_DATA_FRAMES = 2;
    /** Control-frame answers allowed to wait unwritten. */
    public static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;

    private Http2Connections() {}

    /**
     * Installs HTTP/2 on a connection whose next bytes are the client's connection preface (after
     * ALPN {@code h2}, or on a cleartext connection with prior knowledge).
     *
     * @param pipeline       the connection's pipeline
     * @param settings       the transport's limits
     * @param streamHandler  makes the handler each stream's requests go to
     */
    public static void configure(
            ChannelPipeline pipeline, TransportSettings settings, Supplier<ChannelHandler> streamHandler) {
        pipeline.addLast(
                "h2-idle",
                new IdleStateHandler(0, 0, settings.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast("h2", newFrameCodec(settings));
        pipeline.addLast("h2-idle-close", new IdleGoAway());
        pipeline.addLast("h2-streams", newMultiplexer(streamHandler));
        pipeline.channel().config().setAutoRead(true);
    }

    /**
     * Creates the frame codec with Weir's limits (see the class comment).
     *
     * @param settings the transport's limits
     * @return a new codec
     */
    public static Http2FrameCodec newFrameCodec(TransportSettings settings) {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(settings.maxRequestBytes()))
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_PER_WINDOW, RST_WINDOW_SECONDS)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_EMPTY_DATA_FRAMES)
                .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
                .gracefulShutdownTimeoutMillis(5_000)
                .build();
    }

    /**
     * Creates the stream multiplexer: each stream a channel with the HTTP/1.1 conversion and the
     * transport's handler.
     *
     * @param streamHandler makes the handler each stream's requests go to
     * @return a new multiplexer
     */
    public static Http2MultiplexHandler newMultiplexer(Supplier<ChannelHandler> streamHandler) {
        return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.config().setAutoRead(false);
                ch.pipeline()
                        .addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true, true))
                        .addLast("chunked", new ChunkedWriteHandler())
                        .addLast("file", FileRegionChunks.HTTP_CONTENT)
                        .addLast("h2-headers", RequestHeaders.INSTANCE)
                        .addLast("connection", streamHandler.get());
            }
        });
    }

    /**
     * Starts the graceful end of an HTTP/2 connection (a server draining): GOAWAY(NO_ERROR) with
     * the last stream the client opened, so that the client opens no more streams on it while the
     * streams in flight finish (RFC 9113 section 6.8). Called on the connection's event loop.
     *
     * @param connection a connection channel
     * @return true when it is an HTTP/2 connection (GOAWAY sent), false otherwise
     */
    public static boolean goAway(Channel connection) {
        if (connection.pipeline().get(Http2FrameCodec.class) == null) {
            return false;
        }
        connection.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
        return true;
    }

    /** Removes the conversion's extension headers, which are not the client's. */
    @ChannelHandler.Sharable
    static final class RequestHeaders extends ChannelInboundHandlerAdapter {
        static final RequestHeaders INSTANCE = new RequestHeaders();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                var headers = request.headers();
                headers.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
                headers.remove(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text());
                headers.remove(HttpConversionUtil.ExtensionHeaderNames.PATH.text());
                headers.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text());
                headers.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Ends a connection that stayed silent both ways for the connection timeout. */
    static final class IdleGoAway extends ChannelDuplexHandler {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR))
                        .addListener(f -> ctx.close());
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
