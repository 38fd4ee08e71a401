package io.weir.server.outbound;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.weir.api.outbound.OutboundAddress;
import io.weir.api.outbound.OutboundFailure;
import io.weir.api.outbound.OutboundStream;
import io.weir.api.outbound.OutboundStreamListener;
import java.nio.ByteBuffer;
import java.time.Duration;

/** A byte-stream client channel: bytes in and out as they come, with read suspension and writability. */
final class NettyOutboundStream extends ChannelInboundHandlerAdapter implements OutboundStream {

    private final OutboundStreamListener listener;
    private Channel channel;
    private boolean ended;

    private NettyOutboundStream(OutboundStreamListener listener) {
        this.listener = listener;
    }

    static void open(
            EventLoop loop, OutboundAddress address, Duration connectTimeout, OutboundStreamListener listener) {
        NettyOutboundStream stream = new NettyOutboundStream(listener);
        ChannelFactory.connect(
                        loop, address, connectTimeout, ch -> ch.pipeline().addLast("stream", stream))
                .addListener(f -> {
                    if (f.isSuccess()) {
                        listener.onConnected(stream);
                    } else if (!stream.ended) {
                        stream.ended = true;
                        Throwable cause = f.cause();
                        listener.onFailure(new OutboundFailure(
                                OutboundFailure.Kind.CONNECT,
                                "cannot connect to " + address + ": "
                                        + (cause == null ? "cancelled" : cause.getMessage()),
                                cause,
                                false,
                                false));
                    }
                });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public boolean write(ByteBuffer bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        return channel.isWritable();
    }

    @Override
    public void suspendReads() {
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeReads() {
        channel.config().setAutoRead(true);
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            if (!ended) {
                listener.onData(ByteBuffer.wrap(bytes));
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !ended) {
            listener.onWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!ended && ctx.channel().isRegistered()) {
            ended = true;
            listener.onClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ended) {
            ended = true;
            listener.onFailure(new OutboundFailure(
                    OutboundFailure.Kind.CLOSED, "stream failed: " + cause.getMessage(), cause, false, true));
        }
        ctx.close();
    }
}
