package io.weir.core;

import io.weir.api.http.DataChunk;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.HeaderStore;
import io.weir.core.spi.ListHeaderStore;
import io.weir.core.spi.ResponseHead;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A warm-up request made by the server itself (GL_APPLICATION_PRELOAD): no client and no socket. It
 * runs on the preload's own thread, which stands in for an event loop; the response is kept only
 * as its status (the body is discarded), as IIS's Application Initialization discards the responses
 * of its warm-up requests.
 */
final class PreloadExchange implements Exchange {

    private final String rawUri;
    private final ListHeaderStore headers = new ListHeaderStore();
    private final Executor loop;
    private final InetSocketAddress local;
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private int code;
    private Object attachment;

    PreloadExchange(String rawUri, String host, InetSocketAddress local, Executor loop) {
        this.rawUri = rawUri;
        this.local = local;
        this.loop = loop;
        headers.add("Host", host);
        headers.add("User-Agent", "Weir application preload");
    }

    /** @return completed with the response's status code when the response has ended (0 when aborted) */
    CompletableFuture<Integer> status() {
        return status;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String rawUri() {
        return rawUri;
    }

    @Override
    public String protocolVersion() {
        return "HTTP/1.1";
    }

    @Override
    public HeaderStore requestHeaders() {
        return headers;
    }

    @Override
    public io.weir.core.spi.RequestBody requestBody() {
        return io.weir.core.spi.RequestBody.EMPTY;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public Executor eventLoop() {
        return loop;
    }

    @Override
    public boolean isConnected() {
        return !status.isDone();
    }

    @Override
    public Object connectionAttachment() {
        return attachment;
    }

    @Override
    public void connectionAttachment(Object newAttachment) {
        this.attachment = newAttachment;
    }

    @Override
    public void write(ResponseHead head, List<DataChunk> chunks, boolean last) {
        if (head != null) {
            code = head.status();
        }
        if (last) {
            status.complete(code);
        }
    }

    @Override
    public void abort() {
        status.complete(code);
    }

}
