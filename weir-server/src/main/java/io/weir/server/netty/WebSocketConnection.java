package io.weir.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.weir.api.websocket.WebSocketCompletion;
import io.weir.api.websocket.WebSocketContext;
import io.weir.api.websocket.WebSocketFragmentHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The server side of an upgraded WebSocket connection, between Netty's frame codec and the
 * module's {@link WebSocketContext} calls. It reads from the socket only while the module has a
 * read outstanding (the connection's reads are manual), answers pings, completes the closing
 * handshake, and pings an idle client every {@code pingInterval}. Event-loop confined.
 */
final class WebSocketConnection extends ChannelInboundHandlerAdapter implements WebSocketContext {

    /** A data fragment or the close, waiting for a read. */
    private record Event(ByteBuffer data, boolean utf8, boolean fin, int closeStatus, String closeReason) {}

    private final Duration pingInterval;
    private ChannelHandlerContext ctx;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private WebSocketFragmentHandler reader;
    private boolean readingText;
    private boolean writingMessage;
    private boolean closeSent;
    private boolean closeReceived;
    private boolean closeDelivered;
    private int closeStatus = -1;
    private String closeReason = "";
    private long lastReadNanos = System.nanoTime();
    private ScheduledFuture<?> pinger;

    WebSocketConnection(Duration pingInterval) {
        this.pingInterval = pingInterval;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        long every = pingInterval.toNanos();
        if (every > 0) {
            pinger = ctx.executor()
                    .scheduleAtFixedRate(
                            () -> {
                                if (System.nanoTime() - lastReadNanos >= every
                                        && !closeSent
                                        && ctx.channel().isActive()) {
                                    ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'w'})));
                                }
                            },
                            every,
                            every,
                            TimeUnit.NANOSECONDS);
        }
    }

    // --- WebSocketContext --------------------------------------------------------------------------

    @Override
    public void readFragment(WebSocketFragmentHandler handler) {
        if (reader != null) {
            throw new IllegalStateException("a WebSocket read is already outstanding");
        }
        reader = handler;
        deliver();
        if (reader != null && ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void writeFragment(ByteBuffer data, boolean utf8, boolean finalFragment, WebSocketCompletion completion) {
        if (closeSent || !ctx.channel().isActive()) {
            completion.completed(new IOException("the WebSocket is closed"));
            return;
        }
        ByteBuf payload = Unpooled.wrappedBuffer(data);
        WebSocketFrame frame;
        if (writingMessage) {
            frame = new ContinuationWebSocketFrame(finalFragment, 0, payload);
        } else if (utf8) {
            frame = new TextWebSocketFrame(finalFragment, 0, payload);
        } else {
            frame = new BinaryWebSocketFrame(finalFragment, 0, payload);
        }
        writingMessage = !finalFragment;
        ctx.writeAndFlush(frame).addListener(f -> completion.completed(f.cause()));
    }

    @Override
    public void sendConnectionClose(int status, String reason, WebSocketCompletion completion) {
        if (closeSent || !ctx.channel().isActive()) {
            completion.completed(closeSent ? null : new IOException("the WebSocket is closed"));
            return;
        }
        closeSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(f -> {
            if (closeReceived) {
                ctx.close();
            } else if (ctx.channel().isActive()) {
                ctx.read(); // wait for the client's Close
            }
            completion.completed(f.cause());
        });
    }

    @Override
    public int closeStatus() {
        return closeStatus;
    }

    @Override
    public String closeReason() {
        return closeReason;
    }

    @Override
    public void closeTcpConnection() {
        ctx.close();
    }

    // --- frames from the codec ---------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof WebSocketFrame frame)) {
                return;
            }
            lastReadNanos = System.nanoTime();
            if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof PongWebSocketFrame) {
                // an answer to our ping: nothing to do
            } else if (frame instanceof CloseWebSocketFrame close) {
                closeReceived = true;
                int code = close.statusCode();
                boolean valid = code < 0 || WebSocketCloseStatus.isValidStatusCode(code);
                closeStatus = code < 0 ? 1005 : valid ? code : 1002;
                closeReason = code < 0 || !valid ? "" : close.reasonText();
                if (closeSent) {
                    ctx.close();
                } else {
                    // echo the client's code (RFC 6455 section 5.5.1); a code no endpoint may send is a protocol error
                    closeSent = true;
                    CloseWebSocketFrame answer =
                            code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(valid ? code : 1002, "");
                    ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
                }
                events.add(new Event(null, false, true, closeStatus, closeReason));
            } else {
                boolean text;
                if (frame instanceof ContinuationWebSocketFrame) {
                    text = readingText;
                } else {
                    text = frame instanceof TextWebSocketFrame;
                    readingText = text;
                }
                ByteBuf content = frame.content();
                byte[] bytes = new byte[content.readableBytes()];
                content.readBytes(bytes);
                events.add(new Event(ByteBuffer.wrap(bytes), text, frame.isFinalFragment(), 0, null));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
        deliver();
    }

    /** Reads are demand-driven: the HTTP connection handler after this one must not ask for more. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (reader != null && ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted && !closeReceived) {
            // the codec has sent its Close (1002, 1007, 1009) and closes the connection
            closeReceived = true;
            closeStatus = corrupted.closeStatus().code();
            closeReason = corrupted.closeStatus().reasonText();
            events.add(new Event(null, false, true, closeStatus, closeReason));
            deliver();
            if (!closeSent && ctx.channel().isActive()) {
                // the codec does not always send its Close (not after a malformed Close, for one):
                // RFC 6455 section 7.1.7 asks for one; a second one after the codec's is never read
                closeSent = true;
                ctx.writeAndFlush(new CloseWebSocketFrame(corrupted.closeStatus()))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (!closeReceived) {
            closeReceived = true;
            closeStatus = 1006;
            events.add(new Event(null, false, true, 1006, ""));
        }
        deliver();
        super.channelInactive(ctx);
    }

    private void deliver() {
        while (reader != null && !events.isEmpty()) {
            Event e = events.pollFirst();
            WebSocketFragmentHandler handler = reader;
            reader = null;
            if (e.data() == null) {
                if (closeDelivered) {
                    continue;
                }
                closeDelivered = true;
                handler.onClose(e.closeStatus(), e.closeReason());
            } else {
                handler.onFragment(e.data(), e.utf8(), e.fin());
            }
        }
    }
}
