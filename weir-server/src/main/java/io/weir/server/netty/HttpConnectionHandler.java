package io.weir.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-connection state machine: streams each request entity to its exchange with
 * back-pressure (see {@link NettyRequestBody}), rejects malformed and ambiguous requests, queues
 * pipelined requests and dispatches them one at a time in order, and closes idle connections.
 * Event-loop confined.
 *
 * <p>A request is dispatched as soon as its head has arrived; its body follows as the client sends
 * it. When an exchange ends before its body was read to the end, the rest is <b>drained</b> (read
 * and discarded) so that the next request on the connection is found when at most 1 MiB of a
 * Content-Length body was still to come when the response started; otherwise (more, or a chunked
 * body) the response carries {@code Connection: close} and the connection is closed after it
 * ({@link NettyRequestBody#drainable()}). A body that breaks the
 * chunked coding or grows past the server-wide cap ({@link TransportSettings#maxEntityBytes()}) stops
 * the reading: a request still queued is answered 400 / 413 and the connection closed; a request
 * in flight sees its body fail ({@link io.weir.core.spi.RequestBody#failure()}) and its connection
 * closes after the response.
 */
final class HttpConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnectionHandler.class);

    /** A queued error answer: written in turn, then the connection closes. */
    private record Rejection(HttpResponseStatus status, String reason) {
    }

    private final NettyTransport transport;
    private final TransportSettings settings;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Object attachment;

    /** The body being received (its request head came last), or null. */
    private NettyRequestBody receiving;
    /** The exchange {@link #receiving} belongs to. */
    private NettyExchange receivingExchange;
    /** No more input is taken: a rejection is queued or the connection is closing. */
    private boolean inputDone;
    private boolean closing;
    private boolean pumping;
    private NettyExchange current;
    private ScheduledFuture<?> headDeadline;
    private boolean waitingForHead;
    private long waitStartNanos;

    HttpConnectionHandler(NettyTransport transport) {
        this.transport = transport;
        this.settings = transport.settings();
    }

    NettyTransport transport() {
        return transport;
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    Object attachment() {
        return attachment;
    }

    void attachment(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        armHeadDeadline();
        ctx.read();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (inputDone || closing) {
                return;
            }
            if (msg instanceof HttpRequest request) {
                onRequest(request);
            }
            if (msg instanceof HttpContent content && !inputDone) {
                onContent(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
        pump();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readMore();
    }

    private void onRequest(HttpRequest request) {
        cancelHeadDeadline();
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof TooLongHttpLineException) {
                reject(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
            } else if (cause instanceof TooLongHttpHeaderException) {
                reject(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request head too large");
            } else if (cause instanceof TooLongFrameException) {
                reject(HttpResponseStatus.BAD_REQUEST, "request too long");
            } else {
                reject(HttpResponseStatus.BAD_REQUEST, "malformed request: " + cause.getMessage());
            }
            return;
        }
        HttpHeaders headers = request.headers();
        HttpVersion version = request.protocolVersion();
        boolean http11 = version.majorVersion() == 1 && version.minorVersion() == 1;
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            reject(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "unsupported version " + version);
            return;
        }
        int hosts = headers.getAll(HttpHeaderNames.HOST).size();
        if ((http11 && hosts == 0) || hosts > 1) {
            reject(HttpResponseStatus.BAD_REQUEST, hosts == 0 ? "no Host header" : "several Host headers");
            return;
        }
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                && (!http11 || headers.contains(HttpHeaderNames.CONTENT_LENGTH))) {
            reject(HttpResponseStatus.BAD_REQUEST, "ambiguous framing");
            return;
        }
        long contentLength;
        try {
            contentLength = HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            reject(HttpResponseStatus.BAD_REQUEST, "bad Content-Length");
            return;
        }
        if (contentLength > settings.maxEntityBytes()) {
            reject(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "entity of " + contentLength + " bytes");
            return;
        }
        if (HttpUtil.is100ContinueExpected(request) && current == null && queue.isEmpty()) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        NettyRequestBody body = null;
        if (contentLength > 0 || (contentLength < 0 && HttpUtil.isTransferEncodingChunked(request))) {
            body = new NettyRequestBody(this, contentLength);
        }
        NettyExchange exchange = new NettyExchange(this, request, body);
        if (body != null) {
            receiving = body;
            receivingExchange = exchange;
        }
        queue.add(exchange);
    }

    private void onContent(HttpContent content) {
        NettyRequestBody body = receiving;
        if (body == null) {
            return;
        }
        if (content.decoderResult().isFailure()) {
            bodyFailed(HttpResponseStatus.BAD_REQUEST, "malformed entity: " + content.decoderResult().cause().getMessage(),
                    new java.io.IOException("malformed request entity: " + content.decoderResult().cause().getMessage()));
            return;
        }
        ByteBuf bytes = content.content();
        int n = bytes.readableBytes();
        if (n > 0) {
            if (body.receivedBytes() + n > settings.maxEntityBytes()) {
                bodyFailed(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "entity over " + settings.maxEntityBytes() + " bytes",
                        new io.weir.core.spi.RequestBody.EntityTooLargeException(settings.maxEntityBytes()));
                return;
            }
            body.offer(bytes);
        }
        if (content instanceof LastHttpContent) {
            body.end();
            receiving = null;
            receivingExchange = null;
        }
    }

    /**
     * The body being received cannot go on: no more input on this connection. A request not yet
     * dispatched is replaced by a rejection; one in flight sees its body fail and closes the
     * connection after its response.
     */
    private void bodyFailed(HttpResponseStatus status, String reason, Throwable cause) {
        NettyRequestBody body = receiving;
        NettyExchange exchange = receivingExchange;
        receiving = null;
        receivingExchange = null;
        if (exchange != current && queue.remove(exchange)) {
            reject(status, reason);
            return;
        }
        LOG.debug("request entity from {} failed: {}", ctx.channel().remoteAddress(), reason);
        inputDone = true;
        body.fail(cause);
        if (exchange != null && exchange == current) {
            exchange.closeAfterResponse();
        } else {
            closing = true;
            ctx.close();
        }
    }

    /** The engine polled its body below the bound: read from the socket again. */
    void bodyDrained() {
        readMore();
    }

    private void reject(HttpResponseStatus status, String reason) {
        receiving = null;
        receivingExchange = null;
        inputDone = true;
        queue.add(new Rejection(status, reason));
    }

    /** Dispatches queued requests while none is in flight. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (current == null && !closing && !queue.isEmpty()) {
                Object next = queue.poll();
                if (next instanceof Rejection rejection) {
                    writeRejection(rejection);
                    return;
                }
                NettyExchange exchange = (NettyExchange) next;
                current = exchange;
                transport.exchangeStarted();
                try {
                    transport.dispatcher().accept(exchange);
                } catch (Throwable t) {
                    LOG.error("request {} {} failed in the dispatcher", exchange.method(), exchange.rawUri(), t);
                    exchange.failed();
                }
            }
        } finally {
            pumping = false;
        }
        readMore();
        if (current == null && queue.isEmpty() && receiving == null && !closing && !inputDone) {
            armHeadDeadline();
        }
    }

    private void writeRejection(Rejection rejection) {
        LOG.debug("rejecting request from {}: {} ({})", ctx.channel().remoteAddress(), rejection.status(), rejection.reason());
        closing = true;
        queue.clear();
        byte[] body = (rejection.status().code() + " " + rejection.status().reasonPhrase() + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, rejection.status(),
                Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.DATE, HttpDate.now());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** Called by the exchange after its last write, on the event loop. */
    void exchangeEnded(NettyExchange exchange, boolean close) {
        if (current != exchange) {
            return;
        }
        current = null;
        transport.exchangeEnded();
        if (close) {
            closing = true;
            queue.clear();
            if (receiving != null) {
                receiving.discard();
            }
            return;
        }
        if (receivingExchange == exchange) {
            receiving.discard(); // drain the unread rest of the body before the next request
        }
        if (pumping) {
            return; // ended during dispatch: the dispatch loop goes on with the next request
        }
        // ended later (a parked request): dispatch the next one in a task of its own, so that the
        // engine is not re-entered from inside its own write call
        ctx.executor().execute(() -> {
            pump();
            readMore();
        });
    }

    /** Called when draining: closes the connection when nothing is in flight or queued. */
    void closeIfIdle() {
        if (current == null && queue.isEmpty() && receiving == null && !closing) {
            closing = true;
            ctx.close();
        }
    }

    private void readMore() {
        if (!inputDone && !closing && queue.size() < settings.maxQueuedRequests() && ctx.channel().isActive()
                && (receiving == null || receiving.wantsMore())) {
            ctx.read();
        }
    }

    /**
     * Starts waiting for the next request's head. The timer is lazy, as Netty's IdleStateHandler
     * is: one task per connection that re-arms itself only when it fires while a wait is still
     * running, so a request costs a {@code nanoTime()} read instead of a schedule and a cancel.
     */
    private void armHeadDeadline() {
        waitingForHead = true;
        waitStartNanos = System.nanoTime();
        if (headDeadline == null) {
            scheduleHeadCheck(settings.connectionTimeout().toNanos());
        }
    }

    private void scheduleHeadCheck(long delayNanos) {
        headDeadline = ctx.executor().schedule(this::checkHeadDeadline, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkHeadDeadline() {
        headDeadline = null;
        if (!waitingForHead || closing) {
            return;
        }
        long remaining = settings.connectionTimeout().toNanos() - (System.nanoTime() - waitStartNanos);
        if (remaining > 0) {
            scheduleHeadCheck(remaining);
            return;
        }
        if (current == null && queue.isEmpty()) {
            LOG.debug("closing {}: no request within the connection timeout", ctx.channel().remoteAddress());
            closing = true;
            ctx.close();
        }
    }

    private void cancelHeadDeadline() {
        waitingForHead = false;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (current == null && queue.isEmpty() && !closing) {
                LOG.debug("closing idle connection {}", ctx.channel().remoteAddress());
                closing = true;
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closing = true;
        cancelHeadDeadline();
        if (headDeadline != null) {
            headDeadline.cancel(false);
            headDeadline = null;
        }
        if (receiving != null) {
            receiving.fail(new java.nio.channels.ClosedChannelException());
            receiving = null;
            receivingExchange = null;
        }
        queue.clear();
        NettyExchange exchange = current;
        if (exchange != null) {
            current = null;
            exchange.connectionLost();
            transport.exchangeEnded();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} failed", ctx.channel().remoteAddress(), cause);
        closing = true;
        ctx.close();
    }
}
