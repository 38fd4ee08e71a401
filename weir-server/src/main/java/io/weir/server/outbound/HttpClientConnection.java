package io.weir.server.outbound;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The end of a pooled HTTP/1.1 client channel's pipeline: hands decoded response parts to the
 * exchange the connection currently carries, and gives the connection back to its pool when the
 * exchange is done. Anything arriving while no exchange runs (an unsolicited response) closes the
 * connection.
 */
final class HttpClientConnection extends ChannelInboundHandlerAdapter {

    private final LoopPool pool;
    private final PoolKey key;
    private ChannelHandlerContext ctx;
    private NettyHttpExchange current;
    private ScheduledFuture<?> idleTimer;
    private boolean counted = true;
    private boolean everUsed;

    HttpClientConnection(LoopPool pool, PoolKey key) {
        this.pool = pool;
        this.key = key;
    }

    PoolKey key() {
        return key;
    }

    Channel channel() {
        return ctx.channel();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().closeFuture().addListener(f -> pool.closed(this));
    }

    /** Binds an exchange to this connection. */
    void attach(NettyHttpExchange exchange) {
        current = exchange;
        everUsed = true;
        ctx.channel().config().setAutoRead(true);
    }

    /**
     * The exchange is done: back to the pool, or closed. The release waits for the current read to
     * be fully decoded, so that bytes a backend sent past the end of its response (a smuggled
     * second response) are seen while no exchange owns the connection, which then closes instead
     * of handing them to the next exchange.
     */
    void detach(boolean reusable) {
        current = null;
        ctx.channel().config().setAutoRead(true);
        if (!reusable) {
            pool.release(this, false);
            return;
        }
        ctx.channel().eventLoop().execute(() -> pool.release(this, ctx.channel().isActive()));
    }

    /** Starts the idle period with its expiry timer. */
    void parkIdle(ScheduledFuture<?> timer) {
        idleTimer = timer;
    }

    /** @return true when the idle connection can be reused (it is still open); stops its timer */
    boolean takeFromIdle() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        if (!ctx.channel().isActive()) {
            close();
            return false;
        }
        return true;
    }

    /** @return true the first time: the pool counts each connection's end once */
    boolean markCounted() {
        if (!counted) {
            return false;
        }
        counted = false;
        return true;
    }

    void close() {
        if (ctx != null) {
            ctx.close();
        } else {
            pool.closed(this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        NettyHttpExchange exchange = current;
        if (exchange == null || !(msg instanceof HttpObject)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        try {
            HttpObject object = (HttpObject) msg;
            if (object.decoderResult().isFailure()) {
                Throwable cause = object.decoderResult().cause();
                exchange.protocolError("malformed response from " + key.address() + ": " + cause.getMessage(), cause);
                return;
            }
            if (msg instanceof HttpResponse response) {
                exchange.onHead(response);
            }
            if (msg instanceof HttpContent content) {
                ByteBuf data = content.content();
                if (data.isReadable()) {
                    byte[] bytes = new byte[data.readableBytes()];
                    data.readBytes(bytes);
                    exchange.onBody(bytes);
                }
                if (msg instanceof LastHttpContent last) {
                    exchange.onEnd(last.trailingHeaders());
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        NettyHttpExchange exchange = current;
        if (exchange != null && ctx.channel().isWritable()) {
            exchange.onWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        NettyHttpExchange exchange = current;
        current = null;
        if (exchange != null) {
            exchange.connectionClosed(null);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        NettyHttpExchange exchange = current;
        current = null;
        if (exchange != null) {
            exchange.connectionClosed(cause);
        }
        ctx.close();
    }

    boolean everUsed() {
        return everUsed;
    }
}
