package io.weir.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.weir.core.spi.ConnectionAttachment;
import io.weir.core.spi.RequestBody;
import io.weir.server.tls.TlsFacts;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-connection state machine: checks each request's framing and head, streams each request
 * entity to its exchange with back-pressure (see {@link NettyRequestBody}), queues pipelined
 * requests and dispatches them one at a time in order, applies the timeouts and rate floors, and
 * closes idle connections. Event-loop confined.
 *
 * <p><b>Framing first.</b> A request is dispatched at the end of the socket read that completed its
 * head, after everything that read brought has been decoded: a malformed body that arrived with
 * the head (bad chunk syntax, a runaway chunk, an invalid trailer) is answered 400 and the
 * connection closed before any module runs, whether or not a module would have read the body.
 * A body that breaks its framing later stops the reading: a request still queued is answered 400 /
 * 413 and the connection closed; a request in flight whose body a module reads sees it fail
 * ({@link io.weir.core.spi.RequestBody#failure()}); one whose body nobody reads is answered 400 /
 * 413 by the transport when no byte of its response has gone out yet. Otherwise the connection
 * closes once the response is sent.
 *
 * <p><b>Unread bodies.</b> When an exchange ends before its body was read to the end, the rest is
 * drained (read and discarded, never parsed as a request) when at most 1 MiB of a Content-Length
 * body was still to come; otherwise the response carries {@code Connection: close}
 * ({@link NettyRequestBody#drainable()}). Draining is subject to the same rate floor as reading.
 *
 * <p><b>Output back-pressure.</b> The next pipelined request is dispatched only once the previous
 * response has been written to the socket entirely, and no new request is read while the channel
 * is not writable: a client that pipelines without reading holds at most one response and
 * {@link TransportSettings#maxQueuedRequests()} small queued requests, and one open file.
 *
 * <p><b>Timers</b> (a one-second check by its event loop's {@link RateFloorSweep} while a body or a
 * response is in progress, a lazy deadline otherwise): {@link TransportSettings#connectionTimeout()}
 * for a connection waiting for a request,
 * {@link TransportSettings#headerWaitTimeout()} for a head that has begun,
 * {@link TransportSettings#minBytesPerSecond()} for request bodies and for responses the client
 * does not take, after a {@value #GRACE_SECONDS} s grace. Each drop is written to the HTTPERR log.
 */
final class HttpConnectionHandler extends ChannelInboundHandlerAdapter implements RateFloorSweep.Watched {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnectionHandler.class);
    /** How long a body or a response may run before the rate floor applies, in seconds (Kestrel's grace). */
    static final int GRACE_SECONDS = 5;

    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
    /** IIS's answer to {@code OPTIONS *}: the verbs its OPTIONS handler lists. */
    static final String OPTIONS_VERBS = "OPTIONS, TRACE, GET, HEAD, POST";

    /** A queued answer written by the transport itself: an error (then the connection closes) or OPTIONS *. */
    private record Answer(HttpResponseStatus status, String reason, boolean close, boolean options) {}

    private final NettyTransport transport;
    private final TransportSettings settings;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** The HTTP/1.1 response encoder's context, looked up once; see {@link #encoderContext()}. */
    private ChannelHandlerContext encoder;

    private ConnectionAttachment attachment;
    /** {@link #isSecure()}: 0 before the first call, then 1 (plain) or 2 (TLS). */
    private byte secure;

    /** The body being received (its request head came last), or null. */
    private NettyRequestBody receiving;
    /** The exchange {@link #receiving} belongs to. */
    private NettyExchange receivingExchange;
    /** No more input is taken: a rejection is queued or the connection is closing. */
    private boolean inputDone;

    private boolean closing;
    private boolean pumping;
    private NettyExchange current;
    /** The last write of the previous response while it has not been written to the socket. */
    private ChannelFuture lastResponse;

    private ScheduledFuture<?> headDeadline;
    private boolean waitingForHead;
    private long waitStartNanos;

    /** The connection is in its event loop's {@link RateFloorSweep}. */
    private boolean swept;

    private long bodyWindowStart;
    private long bodyWindowBytes;
    /** Response bytes handed to the channel as buffers (file regions are counted by their progress). */
    private long enqueuedBytes;

    private final ArrayDeque<DefaultFileRegion> regions = new ArrayDeque<>();
    private long regionsDoneBytes;
    private long sendWindowStart;
    private long sendWindowProgress;
    private boolean sendWindowOpen;

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

    /**
     * @return the context of the connection's HTTP/1.1 response encoder, through which a response
     *         head written as bytes ({@link Http1ResponseHead}) bypasses the encoder; null when the
     *         connection has none (an HTTP/2 or HTTP/3 stream, an upgraded connection)
     */
    ChannelHandlerContext encoderContext() {
        ChannelHandlerContext encoder = this.encoder;
        if (encoder == null || encoder.isRemoved()) {
            encoder = ctx.pipeline().context(HttpResponseEncoder.class);
            this.encoder = encoder;
        }
        return encoder;
    }

    /**
     * @return true when the connection is under TLS; found on the first call and kept (TLS is set up
     *         before the first request and does not come or go while requests flow)
     */
    boolean isSecure() {
        if (secure == 0) {
            secure = TlsFacts.isSecure(ctx.channel()) ? (byte) 2 : (byte) 1;
        }
        return secure == 2;
    }

    ConnectionAttachment attachment() {
        return attachment;
    }

    void attachment(ConnectionAttachment attachment) {
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
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // everything this read brought is decoded: dispatch what it completed
        pump();
        readMore();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            pump();
            readMore();
        }
        super.channelWritabilityChanged(ctx);
    }

    private void onRequest(HttpRequest request) {
        cancelHeadDeadline();
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof RequestDecoder.Refusal refusal) {
                HttpResponseStatus status = HttpResponseStatus.valueOf(refusal.status());
                reject(request, status, refusal.getMessage(), httpErrReason(refusal));
            } else if (cause instanceof TooLongHttpLineException) {
                reject(request, HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long", "URL_Length");
            } else if (cause instanceof TooLongHttpHeaderException) {
                reject(
                        request,
                        HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "request head too large",
                        "RequestLength");
            } else if (cause instanceof TooLongFrameException) {
                reject(request, HttpResponseStatus.BAD_REQUEST, "request too long", "RequestLength");
            } else {
                reject(
                        request,
                        HttpResponseStatus.BAD_REQUEST,
                        "malformed request: " + cause.getMessage(),
                        "BadRequest");
            }
            return;
        }
        HttpHeaders headers = request.headers();
        HttpVersion version = request.protocolVersion();
        boolean http11 = version.minorVersion() == 1;
        String method = request.method().name();
        String uri = request.uri();
        RequestRules.Violation violation = RequestRules.checkTarget(method, uri);
        if (violation == null) {
            violation = RequestRules.checkHost(headers.getAll(HttpHeaderNames.HOST), http11);
        }
        if (violation != null) {
            reject(
                    request,
                    HttpResponseStatus.valueOf(violation.status()),
                    violation.detail(),
                    violation.httpErrReason());
            return;
        }
        if (RequestRules.isAbsoluteForm(uri)) {
            RequestRules.Rewritten rewritten = RequestRules.rewriteAbsoluteForm(uri);
            request.setUri(rewritten.originForm());
            headers.set(HttpHeaderNames.HOST, rewritten.authority());
        }
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                && (!http11 || headers.contains(HttpHeaderNames.CONTENT_LENGTH))) {
            reject(request, HttpResponseStatus.BAD_REQUEST, "ambiguous framing", "BadRequest");
            return;
        }
        long contentLength;
        try {
            contentLength = HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            reject(request, HttpResponseStatus.BAD_REQUEST, "bad Content-Length", "BadRequest");
            return;
        }
        if (contentLength > settings.maxEntityBytes()) {
            reject(
                    request,
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "entity of " + contentLength + " bytes",
                    "EntityTooLarge");
            return;
        }
        boolean chunked = contentLength < 0 && HttpUtil.isTransferEncodingChunked(request);
        NettyRequestBody body = null;
        if (contentLength > 0 || chunked) {
            body = new NettyRequestBody(this, contentLength, HttpUtil.is100ContinueExpected(request));
        }
        if ("*".equals(uri)) {
            // OPTIONS * (RFC 9110 section 9.3.7) concerns the server, not a site's URL: answered here as IIS
            // answers it; a body with it is not drained but ends the connection
            boolean close = body != null || !HttpUtil.isKeepAlive(request);
            if (close) {
                inputDone = true;
            }
            queue.add(new Answer(HttpResponseStatus.OK, "OPTIONS *", close, true));
            return;
        }
        NettyExchange exchange = new NettyExchange(this, request, body);
        if (body != null) {
            receiving = body;
            receivingExchange = exchange;
            bodyWindowStart = System.nanoTime();
            bodyWindowBytes = 0;
            ensureTick();
        }
        queue.add(exchange);
    }

    private static String httpErrReason(RequestDecoder.Refusal refusal) {
        return switch (refusal.status()) {
            case 505 -> "Version_N/S";
            case 414 -> "URL_Length";
            case 431 -> "RequestLength";
            default ->
                refusal.getMessage().startsWith("header line")
                        ? "FieldLength"
                        : refusal.getMessage().startsWith("method") ? "Verb" : "BadRequest";
        };
    }

    private void onContent(HttpContent content) {
        NettyRequestBody body = receiving;
        if (body == null) {
            return;
        }
        if (content.decoderResult().isFailure()) {
            String reason =
                    "malformed entity: " + content.decoderResult().cause().getMessage();
            bodyFailed(
                    HttpResponseStatus.BAD_REQUEST,
                    reason,
                    "BadRequest",
                    new RequestBody.MalformedEntityException(
                            content.decoderResult().cause().getMessage()));
            return;
        }
        ByteBuf bytes = content.content();
        int n = bytes.readableBytes();
        if (n > 0) {
            if (body.receivedBytes() + n > settings.maxEntityBytes()) {
                bodyFailed(
                        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        "entity over " + settings.maxEntityBytes() + " bytes",
                        "EntityTooLarge",
                        new RequestBody.EntityTooLargeException(settings.maxEntityBytes()));
                return;
            }
            body.offer(bytes);
        }
        if (content instanceof LastHttpContent) {
            body.end();
            receiving = null;
            receivingExchange = null;
            if (current == null && queue.isEmpty() && !closing && !inputDone) {
                armHeadDeadline();
            }
        }
    }

    /**
     * The body being received cannot go on: no more input on this connection. A request not yet
     * dispatched is replaced by a rejection; one in flight sees its body fail and closes the
     * connection after its response; a body being drained after its response closes the connection.
     */
    private void bodyFailed(HttpResponseStatus status, String reason, String httpErrReason, Throwable cause) {
        NettyRequestBody body = receiving;
        NettyExchange exchange = receivingExchange;
        receiving = null;
        receivingExchange = null;
        if (exchange != null && exchange != current && queue.remove(exchange)) {
            reject(exchange.request(), status, reason, httpErrReason);
            return;
        }
        LOG.debug("request entity from {} failed: {}", ctx.channel().remoteAddress(), reason);
        inputDone = true;
        boolean unread = !body.asked();
        body.fail(cause);
        if (exchange != null && exchange == current) {
            if (unread && exchange.refuseBeforeResponse(status)) {
                HttpErrLog.log(
                        ctx.channel(),
                        exchange.request().protocolVersion().text(),
                        exchange.method(),
                        exchange.rawUri(),
                        status.code(),
                        httpErrReason);
                return;
            }
            exchange.closeAfterResponse();
        } else {
            HttpErrLog.log(ctx.channel(), null, null, null, 0, httpErrReason);
            closeWhenSent();
        }
    }

    /** The engine polled its body below the bound: read from the socket again. */
    void bodyDrained() {
        readMore();
    }

    /** A module reads a body whose client waits for {@code 100 Continue}: send it now. */
    void sendContinue(NettyRequestBody body) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> sendContinue(body));
            return;
        }
        if (!closing && ctx.channel().isActive() && receiving == body) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
    }

    private void reject(HttpRequest request, HttpResponseStatus status, String reason, String httpErrReason) {
        receiving = null;
        receivingExchange = null;
        inputDone = true;
        boolean known = request != null && request.decoderResult().isSuccess();
        HttpErrLog.log(
                ctx.channel(),
                known ? request.protocolVersion().text() : null,
                known ? request.method().name() : null,
                known ? request.uri() : null,
                status.code(),
                httpErrReason);
        queue.add(new Answer(status, reason, true, false));
    }

    /** Dispatches queued requests while none is in flight and the previous response has been sent. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (current == null
                    && !closing
                    && !queue.isEmpty()
                    && previousResponseSent()
                    && ctx.channel().isWritable()) {
                Object next = queue.poll();
                if (next instanceof Answer answer) {
                    writeAnswer(answer);
                    continue;
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
        if (current == null && queue.isEmpty() && receiving == null && !closing && !inputDone) {
            armHeadDeadline();
        }
    }

    private boolean previousResponseSent() {
        return lastResponse == null || lastResponse.isDone();
    }

    private void writeAnswer(Answer answer) {
        HttpResponseStatus status = answer.status();
        FullHttpResponse response;
        if (answer.options()) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
            response.headers()
                    .set("Allow", OPTIONS_VERBS)
                    .set("Public", OPTIONS_VERBS)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        } else {
            LOG.debug("rejecting request from {}: {} ({})", ctx.channel().remoteAddress(), status, answer.reason());
            byte[] body = (status.code() + " " + status.reasonPhrase() + "\r\n").getBytes(StandardCharsets.US_ASCII);
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        boolean close = answer.close() || transport.draining();
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            closing = true;
            queue.clear();
        }
        response.headers().set(HttpHeaderNames.DATE, HttpDate.now());
        ChannelFuture future = ctx.writeAndFlush(response);
        future.addListener(close ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
        lastResponse = future;
        if (!close) {
            future.addListener(f -> afterSent());
        }
    }

    /**
     * Called by the exchange after its last write, on the event loop.
     *
     * @param exchange the exchange
     * @param close    true when the connection closes after the response
     * @param last     the future of the response's last write, or null when nothing more was written
     */
    void exchangeEnded(NettyExchange exchange, boolean close, ChannelFuture last) {
        if (current != exchange) {
            return;
        }
        current = null;
        if (last == null || last.isDone()) {
            exchange.sent();
        } else {
            lastResponse = last;
            last.addListener(f -> {
                exchange.sent();
                afterSent();
            });
            ensureTick();
        }
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
            bodyWindowStart = System.nanoTime();
            bodyWindowBytes = receiving.receivedBytes();
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

    /** Counts an exchange as finished for the transport: its response has been sent or dropped. */
    void exchangeSent() {
        transport.exchangeEnded();
    }

    /** The previous response has been written: the next request may go, or a draining server closes. */
    private void afterSent() {
        if (closing) {
            return;
        }
        if (transport.draining()) {
            closeIfIdle();
            if (closing) {
                return;
            }
        }
        pump();
        readMore();
    }

    /** Called when draining: closes the connection when nothing is in flight, queued or being sent. */
    void closeIfIdle() {
        if (current == null && queue.isEmpty() && receiving == null && !closing && previousResponseSent()) {
            closing = true;
            ctx.close();
        }
    }

    /** Closes once the response being written, if any, has gone out. */
    private void closeWhenSent() {
        closing = true;
        if (previousResponseSent()) {
            ctx.close();
        } else {
            lastResponse.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private boolean mayRead() {
        if (inputDone || closing || !ctx.channel().isActive() || queue.size() >= settings.maxQueuedRequests()) {
            return false;
        }
        if (receiving != null) {
            return receiving.wantsMore();
        }
        // reading now would parse the next request: not while a response is stuck in the channel
        return ctx.channel().isWritable();
    }

    private void readMore() {
        if (mayRead()) {
            ctx.read();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Response accounting for the rate floor (NettyExchange reports what it writes)
    // ---------------------------------------------------------------------------------------------

    /** A response buffer of {@code bytes} was handed to the channel. */
    void noteEnqueued(int bytes) {
        enqueuedBytes += bytes;
    }

    /** A file region was handed to the channel. */
    void noteRegion(DefaultFileRegion region) {
        if (settings.minBytesPerSecond() == 0) {
            return; // no rate floor: nothing measures the progress
        }
        while (!regions.isEmpty()
                && (regions.peek().refCnt() == 0
                        || regions.peek().transferred() >= regions.peek().count())) {
            regionsDoneBytes += regions.poll().count();
        }
        regions.add(region);
        ensureTick();
    }

    /** @return a number that grows as response bytes leave for the client */
    private long sendProgress() {
        long transferred = regionsDoneBytes;
        for (Iterator<DefaultFileRegion> it = regions.iterator(); it.hasNext(); ) {
            DefaultFileRegion region = it.next();
            if (region.refCnt() == 0 || region.transferred() >= region.count()) {
                regionsDoneBytes += region.count();
                transferred += region.count();
                it.remove();
            } else {
                transferred += region.transferred();
            }
        }
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        long pending = out == null ? 0 : out.totalPendingWriteBytes();
        return transferred + enqueuedBytes - pending;
    }

    private boolean outputPending() {
        if (!previousResponseSent() || !ctx.channel().isWritable()) {
            return true;
        }
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        return out != null && !out.isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // Timers
    // ---------------------------------------------------------------------------------------------

    private void ensureTick() {
        if (!swept && settings.minBytesPerSecond() > 0 && ctx.channel().isActive()) {
            swept = true;
            transport.rateFloorSweep(ctx.executor()).watch(this);
        }
    }

    @Override
    public boolean checkRate(long now) {
        swept = rateStillWatched(now);
        return swept;
    }

    /** @return true while a body or a response is in progress and the connection open */
    private boolean rateStillWatched(long now) {
        if (closing || !ctx.channel().isActive()) {
            return false;
        }
        long min = settings.minBytesPerSecond();
        boolean watching = false;
        NettyRequestBody body = receiving;
        if (body != null) {
            watching = true;
            long received = body.receivedBytes();
            if (!mayRead()) {
                // the transport is not reading (back-pressure): the client cannot be blamed
                bodyWindowStart = now;
                bodyWindowBytes = received;
            } else if (now - bodyWindowStart >= GRACE_NANOS
                    && (received - bodyWindowBytes) * 1_000_000_000L < min * (now - bodyWindowStart)) {
                drop("request entity slower than " + min + " bytes/s", "Timer_MinBytesPerSecond");
                return false;
            }
        }
        if (outputPending()) {
            watching = true;
            long progress = sendProgress();
            if (!sendWindowOpen) {
                sendWindowOpen = true;
                sendWindowStart = now;
                sendWindowProgress = progress;
            } else if (now - sendWindowStart >= GRACE_NANOS) {
                if ((progress - sendWindowProgress) * 1_000_000_000L < min * (now - sendWindowStart)) {
                    drop("client took the response slower than " + min + " bytes/s", "Timer_MinBytesPerSecond");
                    return false;
                }
                sendWindowStart = now;
                sendWindowProgress = progress;
            }
        } else {
            sendWindowOpen = false;
        }
        return watching || current != null;
    }

    private void drop(String why, String httpErrReason) {
        LOG.debug("closing {}: {}", ctx.channel().remoteAddress(), why);
        NettyExchange exchange = current != null ? current : receivingExchange;
        HttpErrLog.log(
                ctx.channel(),
                exchange == null ? null : exchange.protocolVersion(),
                exchange == null ? null : exchange.method(),
                exchange == null ? null : exchange.rawUri(),
                0,
                httpErrReason);
        closing = true;
        ctx.close();
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
            long first = Math.min(
                    connectionTimeout().toNanos(), settings.headerWaitTimeout().toNanos());
            scheduleHeadCheck(first);
        }
    }

    /** @return the connection timeout of the listener this connection came through (its site's) */
    private Duration connectionTimeout() {
        NettyTransport.ListenerLimits limits = NettyTransport.limitsOf(ctx.channel());
        return limits == null ? settings.connectionTimeout() : limits.connectionTimeout();
    }

    private void scheduleHeadCheck(long delayNanos) {
        headDeadline = ctx.executor().schedule(this::checkHeadDeadline, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkHeadDeadline() {
        headDeadline = null;
        if (!waitingForHead || closing) {
            return;
        }
        long now = System.nanoTime();
        long remaining = connectionTimeout().toNanos() - (now - waitStartNanos);
        String reason = "Timer_ConnectionIdle";
        RequestDecoder decoder = ctx.pipeline().get(RequestDecoder.class);
        long headStart = decoder == null ? 0 : decoder.headStartNanos();
        if (headStart != 0) {
            long headRemaining = settings.headerWaitTimeout().toNanos() - (now - headStart);
            if (headRemaining < remaining) {
                remaining = headRemaining;
                reason = "Timer_HeaderWait";
            }
        }
        if (remaining > 0) {
            scheduleHeadCheck(remaining);
            return;
        }
        if (current == null && queue.isEmpty() && previousResponseSent()) {
            LOG.debug("closing {}: {}", ctx.channel().remoteAddress(), reason);
            HttpErrLog.log(ctx.channel(), null, null, null, 0, reason);
            closing = true;
            ctx.close();
        } else {
            armHeadDeadline();
        }
    }

    private void cancelHeadDeadline() {
        waitingForHead = false;
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
            receiving.fail(new ConnectionClosed());
            receiving = null;
            receivingExchange = null;
        }
        queue.clear();
        regions.clear();
        NettyExchange exchange = current;
        if (exchange != null) {
            current = null;
            exchange.connectionLost();
            exchange.sent();
        }
        super.channelInactive(ctx);
    }

    /**
     * The failure a body being received sees when its connection closes. Without a stack trace:
     * every dropped slow client makes one, on the event loop, and the trace would only show this
     * method (as Netty's own {@code StacklessClosedChannelException}).
     */
    private static final class ConnectionClosed extends ClosedChannelException {
        private static final long serialVersionUID = 1L;

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} failed", ctx.channel().remoteAddress(), cause);
        closing = true;
        ctx.close();
    }
}
