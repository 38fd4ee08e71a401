package io.weir.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.weir.api.http.DataChunk;
import io.weir.api.websocket.WebSocketContext;
import io.weir.core.spi.ConnectionAttachment;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.HeaderStore;
import io.weir.core.spi.RequestBody;
import io.weir.core.spi.ResponseHead;
import io.weir.server.cache.EncodedHead;
import io.weir.server.cache.EncodedHeadWriter;
import io.weir.server.http3.Http3Listener;
import io.weir.server.tls.TlsFacts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request of a connection as the engine sees it. Event-loop confined: {@link #write} and
 * {@link #abort} hop onto the event loop when called elsewhere.
 */
final class NettyExchange implements Exchange, EncodedHeadWriter {

    private static final Logger LOG = LoggerFactory.getLogger(NettyExchange.class);
    /** Response headers: names and values validated (no CR/LF/NUL in values: no response splitting). */
    private static final HttpHeadersFactory RESPONSE_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(true).withValueValidation(true);
    /** A memory body up to this size goes out in one buffer with the head. */
    private static final int COALESCE_LIMIT = 16 * 1024;

    private final HttpConnectionHandler connection;
    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    /** The streamed request entity, or null when the request has none. */
    private final NettyRequestBody body;
    /** The request body failed: the connection closes after this response. */
    private boolean forceClose;

    private HeaderStore requestHeaders;
    private boolean headSent;
    private boolean ended;
    /** The connection closed before the response ended: later writes are dropped, not refused. */
    private boolean lost;

    private boolean close;
    /** HEAD, 1xx, 204 or 304: whatever chunks come, no entity bytes go out. */
    private boolean noBody;
    /** The connection was upgraded to WebSocket: the final write only ends the exchange. */
    private boolean upgraded;
    /** The last response write handed to the channel: its completion means the queue has drained. */
    private ChannelFuture lastWrite;
    /** The transport was told this exchange's response is finished (sent or dropped). */
    private boolean sentCounted;
    /**
     * The HTTP/1.1 encoder's context when this response's head went out as bytes: every write of the
     * response goes through it (bypassing the encoder); null while the response uses Netty's objects.
     */
    private ChannelHandlerContext raw;
    /** The files this response sends, each opened once however many ranges it sends; or null. */
    private Map<Path, SharedFile> files;

    NettyExchange(HttpConnectionHandler connection, HttpRequest request, NettyRequestBody body) {
        this.connection = connection;
        this.ctx = connection.context();
        this.request = request;
        this.body = body;
    }

    HttpRequest request() {
        return request;
    }

    /** The response has been written to the socket, or the connection dropped: counted once. */
    void sent() {
        if (!sentCounted) {
            sentCounted = true;
            connection.exchangeSent();
        }
    }

    /** The body cannot be read to its end: close the connection after this response. */
    void closeAfterResponse() {
        forceClose = true;
        if (headSent) {
            close = true;
        }
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String rawUri() {
        return request.uri();
    }

    @Override
    public String protocolVersion() {
        return ctx.channel() instanceof Http2StreamChannel
                ? "HTTP/2"
                : Http3Listener.isHttp3(ctx.channel())
                        ? "HTTP/3"
                        : request.protocolVersion().text();
    }

    @Override
    public HeaderStore requestHeaders() {
        HeaderStore store = requestHeaders;
        if (store == null) {
            store = new NettyHeaderStore(request.headers());
            requestHeaders = store;
        }
        return store;
    }

    @Override
    public RequestBody requestBody() {
        return body == null ? RequestBody.EMPTY : body;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a
                : Http3Listener.socketAddress(ctx.channel(), true);
    }

    @Override
    public InetSocketAddress localAddress() {
        return ctx.channel().localAddress() instanceof InetSocketAddress a
                ? a
                : Http3Listener.socketAddress(ctx.channel(), false);
    }

    @Override
    public boolean isSecure() {
        return connection.isSecure();
    }

    @Override
    public String transportVariable(String upperCaseName) {
        return TlsFacts.variable(ctx.channel(), upperCaseName);
    }

    @Override
    public List<X509Certificate> clientCertificates() {
        return TlsFacts.clientCertificates(ctx.channel());
    }

    @Override
    public Executor eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public boolean isConnected() {
        return ctx.channel().isActive();
    }

    @Override
    public ConnectionAttachment connectionAttachment() {
        return connection.attachment();
    }

    @Override
    public void connectionAttachment(ConnectionAttachment attachment) {
        connection.attachment(attachment);
    }

    @Override
    public void onConnectionClosed(Runnable task) {
        ctx.channel().closeFuture().addListener(f -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("a connection-close task failed", e);
            }
        });
    }

    /**
     * {@inheritDoc} Discarded when the client closed the connection while the request was still in
     * the pipeline (a request resumed after its client went away still runs to END_REQUEST).
     *
     * <p>When the connection closed before the response ended (the client went away while the
     * request was parked, for example), the write is dropped: the engine still runs the end stages.
     *
     * @throws IllegalStateException when the response already ended, or the first write has no head,
     *                               or a later write has one
     */
    @Override
    public void write(ResponseHead head, List<DataChunk> chunks, boolean last) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> write(head, chunks, last));
            return;
        }
        if (lost) {
            return;
        }
        if (upgraded) {
            if (last && !ended) {
                close = true;
                ctx.close();
                end(null);
            }
            return;
        }
        if (ended) {
            throw new IllegalStateException("the response has already ended");
        }
        if ((head == null) != headSent) {
            throw new IllegalStateException(
                    head == null ? "the first write must carry the head" : "the head was already sent");
        }
        if (!ctx.channel().isActive()) {
            if (last) {
                end(null);
            }
            return;
        }
        HttpResponse response = null;
        if (head != null) {
            headSent = true;
            try {
                if (writeHeadBytes(head, chunks, last)) {
                    return;
                }
                response = raw != null ? null : buildHead(head, chunks, last);
            } catch (IllegalArgumentException e) {
                LOG.error("invalid response head for {} {}; answering 500", method(), rawUri(), e);
                response = internalError();
                close = true;
                var future = ctx.writeAndFlush(response);
                future.addListener(ChannelFutureListener.CLOSE);
                end(future);
                return;
            }
            if (response instanceof DefaultFullHttpResponse full) {
                connection.noteEnqueued(full.content().readableBytes());
                var future = ctx.writeAndFlush(response);
                future.addListener(close ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
                end(future);
                return;
            }
            if (response != null) {
                lastWrite = ctx.write(response);
            }
        }
        ChannelHandlerContext out = raw != null ? raw : ctx;
        for (int i = 0, n = chunks == null || noBody ? 0 : chunks.size(); i < n; i++) {
            DataChunk chunk = chunks.get(i);
            if (chunk.length() == 0) {
                continue;
            }
            if (chunk instanceof DataChunk.Memory memory) {
                ByteBuf buffer = Unpooled.wrappedBuffer(memory.buffer());
                connection.noteEnqueued(buffer.readableBytes());
                // the HTTP/2 and HTTP/3 stream codecs take HTTP contents only; HTTP/1.1's encoder takes bytes
                lastWrite = out.write(
                        ctx.channel() instanceof Http2StreamChannel || Http3Listener.isHttp3(ctx.channel())
                                ? new DefaultHttpContent(buffer)
                                : buffer);
            } else if (chunk instanceof DataChunk.File file && !writeFile(file)) {
                return;
            }
        }
        finishWrite(last);
    }

    private void finishWrite(boolean last) {
        if (!last) {
            ctx.flush();
            return;
        }
        var future = raw != null
                ? raw.writeAndFlush(Unpooled.EMPTY_BUFFER)
                : ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        future.addListener(close ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
        end(future);
    }

    private boolean writeFile(DataChunk.File file) {
        SharedFile shared = files == null ? null : files.get(file.path());
        try {
            if (shared == null) {
                shared = SharedFile.open(file.path());
                if (files == null) {
                    files = new HashMap<>(4);
                }
                files.put(file.path(), shared);
            }
            if (shared.size() < file.offset() + file.length()) {
                throw new IOException(
                        "file has " + shared.size() + " bytes, the response needs " + (file.offset() + file.length()));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "closing the connection: cannot send {} for {} {}: {}",
                    file.path(),
                    method(),
                    rawUri(),
                    e.toString());
            ctx.flush();
            abort();
            return false;
        }
        DefaultFileRegion region = shared.region(file.offset(), file.length());
        connection.noteRegion(region);
        lastWrite = (raw != null ? raw : ctx).write(region);
        return true;
    }

    /** Lets go of this response's hold on its files (each closes when its last region is released). */
    private void releaseFiles() {
        if (files != null) {
            for (SharedFile file : files.values()) {
                file.release();
            }
            files = null;
        }
    }

    /**
     * Writes the head of an HTTP/1.1 response with a Content-Length as bytes
     * ({@link Http1ResponseHead}) through the encoder's context, so that it bypasses the encoder,
     * as every later write of this response does: with the whole body when it is small and in
     * memory. Other responses (chunked, 1xx, 204, 205, 304, HTTP/2 and HTTP/3 streams) are left to
     * Netty's objects and encoder.
     *
     * @return true when the response went out whole and the exchange has ended
     * @throws IllegalArgumentException when a header field or the reason phrase is invalid
     */
    private boolean writeHeadBytes(ResponseHead head, List<DataChunk> chunks, boolean last) {
        int code = head.status();
        long contentLength = head.contentLength();
        if (contentLength < 0 || code < 200 || code == 204 || code == 205 || code == 304) {
            return false;
        }
        ChannelHandlerContext encoder = connection.encoderContext();
        if (encoder == null) {
            return false;
        }
        boolean http10 = request.protocolVersion().minorVersion() == 0;
        noBody = request.method().equals(HttpMethod.HEAD);
        close = closeAfter(head.close());
        List<Map.Entry<String, String>> fields = head.headers();
        for (int i = 0, n = fields.size(); i < n; i++) {
            Map.Entry<String, String> e = fields.get(i);
            if (HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(e.getKey())
                    && HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(e.getValue())) {
                close = true;
            }
        }
        int bodyLength = wholeBodyLength(chunks, last);
        boolean whole = last && (noBody || bodyLength >= 0);
        Http1ResponseHead.Framing framing =
                new Http1ResponseHead.Framing(TlsFacts.altSvc(ctx.channel()), contentLength, close, !close && http10);
        ByteBuf bytes = Http1ResponseHead.encode(
                ctx.alloc(),
                code,
                head.reason(),
                fields,
                framing,
                whole && !noBody ? chunks : null,
                whole && !noBody ? bodyLength : 0);
        raw = encoder;
        if (!whole) {
            lastWrite = raw.write(bytes);
            return false;
        }
        connection.noteEnqueued(noBody ? 0 : bodyLength);
        var future = raw.writeAndFlush(bytes);
        future.addListener(close ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
        end(future);
        return true;
    }

    /**
     * {@inheritDoc} The HTTP/1.1 connection's bytes path of {@link #writeHeadBytes}, with the head's
     * status line and fields taken as encoded: a body up to {@value #COALESCE_LIMIT} bytes is copied
     * after the head into one buffer, a larger one follows it as a view of the cache's memory, and one
     * flush sends both (a gather write).
     */
    @Override
    public boolean writeEncoded(EncodedHead head, ByteBuffer body) {
        ChannelHandlerContext encoder = connection.encoderContext();
        String altSvc = TlsFacts.altSvc(ctx.channel());
        if (encoder == null
                || headSent
                || ended
                || lost
                || upgraded
                || !ctx.executor().inEventLoop()
                || !ctx.channel().isActive()
                || (altSvc != null && head.hasAltSvc())) {
            return false;
        }
        headSent = true;
        boolean http10 = request.protocolVersion().minorVersion() == 0;
        noBody = request.method().equals(HttpMethod.HEAD);
        close = closeAfter(head.close());
        int bodyLength = body.remaining();
        boolean whole = noBody || bodyLength <= COALESCE_LIMIT;
        ByteBuf bytes = EncodedHeadFraming.encode(
                ctx.alloc(), head, altSvc, bodyLength, close, !close && http10, whole && !noBody ? body : null);
        raw = encoder;
        connection.noteEnqueued(noBody ? 0 : bodyLength);
        if (whole) {
            var future = raw.writeAndFlush(bytes);
            future.addListener(close ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
            end(future);
        } else {
            raw.write(bytes);
            lastWrite = raw.write(Unpooled.wrappedBuffer(body.duplicate()));
            finishWrite(true);
        }
        return true;
    }

    /** @return the bytes of the chunks when all are in memory and together at most {@value #COALESCE_LIMIT}, else -1 */
    private static int wholeBodyLength(List<DataChunk> chunks, boolean last) {
        if (!last) {
            return -1;
        }
        long total = 0;
        for (int i = 0, n = chunks == null ? 0 : chunks.size(); i < n; i++) {
            if (!(chunks.get(i) instanceof DataChunk.Memory m)) {
                return -1;
            }
            total += m.length();
        }
        return total > COALESCE_LIMIT ? -1 : (int) total;
    }

    /** @return whether the connection closes after this response, before its header fields are read */
    private boolean closeAfter(boolean requested) {
        return requested
                || forceClose
                || !HttpUtil.isKeepAlive(request)
                || connection.transport().draining()
                || (body != null && !body.drainable());
    }

    private HttpResponse buildHead(ResponseHead head, List<DataChunk> chunks, boolean last) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(head.status(), head.reason());
        HttpVersion version = request.protocolVersion();
        boolean http10 = version.minorVersion() == 0;
        int code = head.status();
        noBody = request.method().equals(HttpMethod.HEAD) || code < 200 || code == 204 || code == 304;
        long contentLength = head.contentLength();
        close = closeAfter(head.close());

        HttpResponse response;
        ByteBuf content = coalescible(head, chunks, last, noBody);
        if (content != null) {
            // A message with a Content-Length has no trailer section: no trailer headers object per response.
            response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, status, content, RESPONSE_HEADERS.newHeaders(), EmptyHttpHeaders.INSTANCE);
        } else {
            response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, RESPONSE_HEADERS);
        }
        HttpHeaders headers = response.headers();
        List<Map.Entry<String, String>> entries = head.headers();
        for (int i = 0, n = entries.size(); i < n; i++) {
            Map.Entry<String, String> e = entries.get(i);
            String name = e.getKey();
            if (HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name)) {
                if (HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(e.getValue())) {
                    close = true;
                }
                continue;
            }
            if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                    || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)) {
                continue;
            }
            headers.add(name, e.getValue());
        }
        String altSvc = TlsFacts.altSvc(ctx.channel());
        if (altSvc != null) {
            headers.set("alt-svc", altSvc);
        }
        if (contentLength >= 0) {
            // RFC 9110 section 8.6: no Content-Length on 1xx/204; on 304 only the selected representation's,
            // which the engine does not know here, so none.
            if (code >= 200 && code != 204 && code != 304) {
                headers.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
            }
        } else if (!noBody) {
            if (http10) {
                close = true;
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (!headers.contains(HttpHeaderNames.DATE)) {
            headers.set(HttpHeaderNames.DATE, HttpDate.now());
        }
        return response;
    }

    /** @return the whole body as one buffer when head and body can go out as one message, else null */
    private static ByteBuf coalescible(ResponseHead head, List<DataChunk> chunks, boolean last, boolean noBody) {
        if (!last || head.contentLength() < 0 && !noBody) {
            return null;
        }
        int n = chunks == null ? 0 : chunks.size();
        if (n == 0 || noBody) {
            return Unpooled.EMPTY_BUFFER;
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (!(chunks.get(i) instanceof DataChunk.Memory m)) {
                return null;
            }
            total += m.length();
        }
        if (total > COALESCE_LIMIT) {
            return null;
        }
        if (n == 1) {
            return Unpooled.wrappedBuffer(((DataChunk.Memory) chunks.get(0)).buffer());
        }
        ByteBuffer[] buffers = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            buffers[i] = ((DataChunk.Memory) chunks.get(i)).buffer();
        }
        return Unpooled.wrappedBuffer(buffers);
    }

    private static HttpResponse internalError() {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.INTERNAL_SERVER_ERROR, Unpooled.EMPTY_BUFFER);
        response.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, 0)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.DATE, HttpDate.now());
        return response;
    }

    /**
     * {@inheritDoc} Netty's handshaker writes the 101 and swaps the HTTP codec for the WebSocket
     * frame codec (with UTF-8 validation of text, RFC 6455 section 8.1); a {@link WebSocketConnection}
     * placed before the HTTP connection handler takes the frames from then on. The handshaker names
     * {@code subprotocol} in the 101 only when it is among the client's {@code Sec-WebSocket-Protocol}
     * offer.
     */
    @Override
    public Optional<WebSocketContext> upgradeToWebSocket(
            int receiveBufferLimit, Duration pingInterval, String subprotocol) {
        HttpHeaders headers = request.headers();
        if (headSent
                || ended
                || upgraded
                || !ctx.channel().isActive()
                || body != null
                || !request.method().equals(HttpMethod.GET)
                || !headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                || !"13".equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))
                || headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY, "").isBlank()) {
            return Optional.empty();
        }
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(receiveBufferLimit)
                .allowExtensions(false)
                .allowMaskMismatch(false)
                .closeOnProtocolViolation(true)
                .withUTF8Validator(true)
                .build();
        String location = "ws://" + headers.get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                        location, subprotocol.isEmpty() ? null : subprotocol, config)
                .newHandshaker(request);
        if (handshaker == null) {
            return Optional.empty();
        }
        WebSocketConnection ws = new WebSocketConnection(pingInterval);
        ctx.pipeline().addBefore(ctx.name(), "websocket", ws);
        ctx.pipeline().addBefore("websocket", "websocket-utf8", new Utf8FrameValidator(true));
        headSent = true;
        upgraded = true;
        FullHttpRequest full = new DefaultFullHttpRequest(
                request.protocolVersion(),
                request.method(),
                request.uri(),
                Unpooled.EMPTY_BUFFER,
                request.headers(),
                EmptyHttpHeaders.INSTANCE);
        handshaker.handshake(ctx.channel(), full);
        // The frame encoder goes nearer the socket than the frame decoder, so that the Close frame
        // the decoder writes on a protocol violation (1002, 1009) is encoded too.
        ChannelPipeline pipeline = ctx.pipeline();
        if (pipeline.get("wsencoder") != null && pipeline.get("wsdecoder") != null) {
            pipeline.remove("wsencoder");
            pipeline.addBefore("wsdecoder", "wsencoder", new WebSocket13FrameEncoder(false));
        }
        return Optional.of(ws);
    }

    /** {@inheritDoc} Netty's channel writability (the outbound buffer's high-water mark). */
    @Override
    public boolean isWritable() {
        return !ctx.channel().isActive() || ctx.channel().isWritable();
    }

    /**
     * {@inheritDoc} Waits for the last write handed to the channel to complete (successfully or
     * not): the outbound buffer has then drained.
     */
    @Override
    public void onWritable(Runnable task) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> onWritable(task));
            return;
        }
        ChannelFuture pending = lastWrite;
        if (pending == null
                || pending.isDone()
                || !ctx.channel().isActive()
                || ctx.channel().isWritable()) {
            task.run();
        } else {
            pending.addListener(f -> task.run());
        }
    }

    @Override
    public boolean inEventLoop() {
        return ctx.executor().inEventLoop();
    }

    /** {@inheritDoc} Waits for the last write handed to the channel to complete. */
    @Override
    public void onWritten(Runnable task) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> onWritten(task));
            return;
        }
        ChannelFuture pending = lastWrite;
        if (pending == null || pending.isDone() || !ctx.channel().isActive()) {
            task.run();
        } else {
            pending.addListener(f -> task.run());
        }
    }

    @Override
    public void abort() {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(this::abort);
            return;
        }
        if (ended) {
            return;
        }
        close = true;
        ctx.close();
        end(null);
    }

    /**
     * Resets the connection: SO_LINGER 0 makes the close send a TCP RST instead of a FIN (on the
     * NIO and native socket transports), so the client sees "connection reset" without a
     * response, as with IIS's {@code ResetConnection}. Hops onto the event loop when called
     * elsewhere.
     */
    @Override
    public void reset() {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(this::reset);
            return;
        }
        if (ended) {
            return;
        }
        try {
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            LOG.debug("cannot set SO_LINGER 0 before a reset; closing normally: {}", e.toString());
        }
        abort();
    }

    /** The dispatcher threw: answer 500 when nothing was sent yet, else drop the connection. */
    void failed() {
        if (ended) {
            return;
        }
        if (!headSent && ctx.channel().isActive()) {
            headSent = true;
            close = true;
            var future = ctx.writeAndFlush(internalError());
            future.addListener(ChannelFutureListener.CLOSE);
            end(future);
        } else {
            abort();
        }
    }

    /**
     * The request body broke its framing before any byte of the response went out and before a
     * module read from it: the transport answers {@code status} itself (as http.sys answers a
     * malformed entity) and closes the connection; whatever the engine writes later is dropped.
     *
     * @param status the answer, 400 for a malformed entity or 413 for one over the transport's limit
     * @return true when the answer went out, false when a response has begun (it then closes the
     *     connection when it ends)
     */
    boolean refuseBeforeResponse(HttpResponseStatus status) {
        if (headSent || ended || upgraded || !ctx.channel().isActive()) {
            return false;
        }
        headSent = true;
        close = true;
        lost = true;
        byte[] text = (status.code() + " " + status.reasonPhrase() + "\r\n").getBytes(StandardCharsets.US_ASCII);
        DefaultFullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(text));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.DATE, HttpDate.now());
        var future = ctx.writeAndFlush(response);
        future.addListener(ChannelFutureListener.CLOSE);
        end(future);
        return true;
    }

    /** The connection closed before the response ended. */
    void connectionLost() {
        lost = !ended;
        ended = true;
        releaseFiles();
    }

    private void end(ChannelFuture last) {
        if (!ended) {
            ended = true;
            releaseFiles();
            connection.exchangeEnded(this, close, last);
        }
    }
}
