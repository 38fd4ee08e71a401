package io.weir.server.outbound;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.weir.api.outbound.OutboundFailure;
import io.weir.api.outbound.OutboundHttpExchange;
import io.weir.api.outbound.OutboundHttpListener;
import io.weir.api.outbound.OutboundHttpRequest;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 exchange with a backend, confined to its event loop: entity writes made before the
 * connection is ready are queued, the response is checked (framing, status) and handed to the
 * listener, the response timeout runs while the exchange waits on the backend, and at the end the
 * connection goes back to its pool when both sides allow it.
 */
final class NettyHttpExchange implements OutboundHttpExchange {

    private final LoopPool pool;
    private final PoolKey key;
    private final OutboundHttpRequest request;
    private final OutboundHttpListener listener;
    private final EventLoop loop;
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    private HttpClientConnection connection;
    private boolean reused;
    private boolean bodyEnded;
    private boolean bodySent;
    private List<Map.Entry<String, String>> trailers = List.of();
    private boolean done;
    private boolean interim;
    private boolean responseStarted;
    private boolean reusable;
    private boolean suspended;
    private boolean wantWritable;
    private long lastActivity;
    private ScheduledFuture<?> timer;

    NettyHttpExchange(LoopPool pool, PoolKey key, OutboundHttpRequest request, OutboundHttpListener listener) {
        this.pool = pool;
        this.key = key;
        this.request = request;
        this.listener = listener;
        this.loop = pool.loop();
    }

    PoolKey key() {
        return key;
    }

    OutboundHttpRequest request() {
        return request;
    }

    /** The exchange got its connection: send the head and what is queued of the entity. */
    void start(HttpClientConnection conn, boolean fromPool) {
        if (done) {
            pool.release(conn, true);
            return;
        }
        connection = conn;
        reused = fromPool;
        conn.attach(this);
        Channel ch = conn.channel();
        ch.write(head());
        while (!queued.isEmpty()) {
            ch.write(new DefaultHttpContent(Unpooled.wrappedBuffer(queued.pollFirst())));
        }
        if (bodyEnded) {
            writeLast(ch);
        }
        ch.flush();
        touch();
        armTimer();
        if (wantWritable && ch.isWritable()) {
            wantWritable = false;
            listener.onWritable();
        }
    }

    private DefaultHttpRequest head() {
        HttpVersion version = request.http10() ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        DefaultHttpRequest head =
                new DefaultHttpRequest(version, HttpMethod.valueOf(request.method()), request.target());
        HttpHeaders headers = head.headers();
        for (Map.Entry<String, String> e : request.headers()) {
            String name = e.getKey();
            if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                    || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                    || HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name)) {
                continue;
            }
            headers.add(name, e.getValue());
        }
        long length = request.contentLength();
        if (length > 0) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        } else if (length < 0) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (!request.method().equals("GET")
                && !request.method().equals("HEAD")
                && !request.method().equals("DELETE")
                && !request.method().equals("OPTIONS")) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        if (!request.keepAlive()) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request.http10()) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return head;
    }

    private void writeLast(Channel ch) {
        bodySent = true;
        if (request.contentLength() < 0 && !trailers.isEmpty()) {
            DefaultLastHttpContent last = new DefaultLastHttpContent();
            for (Map.Entry<String, String> t : trailers) {
                last.trailingHeaders().add(t.getKey(), t.getValue());
            }
            ch.write(last);
        } else {
            ch.write(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    @Override
    public boolean writeBody(ByteBuffer bytes) {
        if (!loop.inEventLoop()) {
            wantWritable = true;
            loop.execute(() -> {
                writeBody(bytes);
                onWritable();
            });
            return false;
        }
        if (bodyEnded) {
            throw new IllegalStateException("the request entity has ended");
        }
        if (done) {
            return true;
        }
        if (connection == null) {
            queued.addLast(bytes);
            wantWritable = true;
            return false;
        }
        Channel ch = connection.channel();
        ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)))
                .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        touch();
        if (ch.isWritable()) {
            return true;
        }
        wantWritable = true;
        return false;
    }

    @Override
    public void endBody(List<Map.Entry<String, String>> trailerFields) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> endBody(trailerFields));
            return;
        }
        if (bodyEnded) {
            return;
        }
        bodyEnded = true;
        trailers = List.copyOf(trailerFields);
        if (done || connection == null) {
            return;
        }
        Channel ch = connection.channel();
        writeLast(ch);
        ch.flush();
        touch();
    }

    @Override
    public void suspendResponse() {
        if (!loop.inEventLoop()) {
            loop.execute(this::suspendResponse);
            return;
        }
        suspended = true;
        if (connection != null && !done) {
            connection.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void resumeResponse() {
        if (!loop.inEventLoop()) {
            loop.execute(this::resumeResponse);
            return;
        }
        suspended = false;
        touch();
        if (connection != null && !done) {
            connection.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void abort() {
        if (!loop.inEventLoop()) {
            loop.execute(this::abort);
            return;
        }
        if (done) {
            return;
        }
        done = true;
        cancelTimer();
        if (connection != null) {
            connection.close();
        } else {
            pool.forget(this);
        }
    }

    // --- events from the connection --------------------------------------------------------------

    void onHead(HttpResponse response) {
        if (done) {
            return;
        }
        touch();
        int status = response.status().code();
        if (status < 100 || status > 599) {
            protocolError("status " + status + " from " + key.address(), null);
            return;
        }
        if (status == 100) {
            interim = true;
            listener.onContinue();
            return;
        }
        if (status < 200) {
            if (status == 101) {
                protocolError("unexpected 101 Switching Protocols from " + key.address(), null);
                return;
            }
            interim = true;
            return;
        }
        HttpHeaders headers = response.headers();
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                protocolError("both Content-Length and Transfer-Encoding from " + key.address(), null);
                return;
            }
            List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
            String lastCoding = codings.get(codings.size() - 1);
            int comma = lastCoding.lastIndexOf(',');
            if (!lastCoding.substring(comma + 1).strip().equalsIgnoreCase("chunked")) {
                protocolError(
                        "Transfer-Encoding '" + lastCoding + "' not ending in chunked from " + key.address(), null);
                return;
            }
        }
        responseStarted = true;
        reusable = request.keepAlive() && HttpUtil.isKeepAlive(response);
        List<Map.Entry<String, String>> list = new ArrayList<>(headers.size());
        for (Map.Entry<String, String> e : headers) {
            list.add(Map.entry(e.getKey(), e.getValue()));
        }
        listener.onResponseHead(status, response.status().reasonPhrase(), list);
    }

    void onBody(byte[] bytes) {
        if (done || interim) {
            return;
        }
        touch();
        listener.onResponseBody(ByteBuffer.wrap(bytes));
    }

    void onEnd(HttpHeaders trailerHeaders) {
        if (done) {
            return;
        }
        if (interim) {
            interim = false;
            return;
        }
        done = true;
        cancelTimer();
        List<Map.Entry<String, String>> list = List.of();
        if (!trailerHeaders.isEmpty()) {
            list = new ArrayList<>();
            for (Map.Entry<String, String> e : trailerHeaders) {
                list.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        HttpClientConnection conn = connection;
        conn.detach(reusable && bodySent);
        listener.onResponseEnd(list);
    }

    void onWritable() {
        if (!done && wantWritable) {
            wantWritable = false;
            listener.onWritable();
        }
    }

    void protocolError(String message, Throwable cause) {
        fail(new OutboundFailure(OutboundFailure.Kind.PROTOCOL, message, cause, reused, responseStarted));
    }

    void connectionClosed(Throwable cause) {
        fail(new OutboundFailure(
                OutboundFailure.Kind.CLOSED,
                "the connection to " + key.address() + " closed before the response ended"
                        + (cause == null ? "" : ": " + cause.getMessage()),
                cause,
                reused,
                responseStarted));
    }

    void fail(OutboundFailure failure) {
        if (done) {
            return;
        }
        done = true;
        cancelTimer();
        if (connection != null) {
            connection.close();
        } else {
            pool.forget(this);
        }
        listener.onFailure(failure);
    }

    // --- the response timeout ---------------------------------------------------------------------

    private void touch() {
        lastActivity = System.nanoTime();
    }

    private void armTimer() {
        long timeout = request.responseTimeout().toNanos();
        if (timeout <= 0) {
            return;
        }
        timer = loop.schedule(this::checkTimeout, timeout, TimeUnit.NANOSECONDS);
    }

    private void checkTimeout() {
        timer = null;
        if (done) {
            return;
        }
        long timeout = request.responseTimeout().toNanos();
        long idle = System.nanoTime() - lastActivity;
        if (suspended || idle < timeout) {
            timer = loop.schedule(this::checkTimeout, suspended ? timeout : timeout - idle, TimeUnit.NANOSECONDS);
            return;
        }
        fail(new OutboundFailure(
                OutboundFailure.Kind.TIMEOUT,
                "no answer from " + key.address() + " within "
                        + request.responseTimeout().toMillis() + " ms",
                null,
                reused,
                responseStarted));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
