package io.weir.testkit;

import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpStatus;
import io.weir.core.pipeline.PipelineObserver;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.HeaderStore;
import io.weir.core.spi.ListHeaderStore;
import io.weir.core.spi.ResponseHead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One in-memory request for {@link PipelineHarness}: the transport SPI the engine writes to, plus
 * what the harness's observer recorded for it. Confined to the harness's event loop, except
 * {@link #done} and the snapshot taken after it completes.
 */
final class HarnessExchange implements Exchange {

    private final String method;
    private final String rawUri;
    private final String protocol;
    private final ListHeaderStore headers;
    private final ByteBuffer entity;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final Executor loop;
    private final List<ModuleNotification> events = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<HarnessResponse> done = new CompletableFuture<>();
    private Object attachment;
    private ResponseHead head;
    private HttpStatus finalStatus;
    private boolean lastWritten;
    private boolean ended;
    private boolean aborted;

    HarnessExchange(String method, String rawUri, String protocol, List<Map.Entry<String, String>> headers,
            byte[] entity, InetSocketAddress remote, InetSocketAddress local, Executor loop) {
        this.method = method;
        this.rawUri = rawUri;
        this.protocol = protocol;
        this.headers = new ListHeaderStore();
        headers.forEach(h -> this.headers.add(h.getKey(), h.getValue()));
        this.entity = ByteBuffer.wrap(entity);
        this.remote = remote;
        this.local = local;
        this.loop = loop;
    }

    CompletableFuture<HarnessResponse> done() {
        return done;
    }

    synchronized List<String> eventsSoFar() {
        return events.stream().map(ModuleNotification::toString).toList();
    }

    synchronized void record(PipelineObserver.Event e) {
        ModuleNotification.Delivery delivery = switch (e.kind()) {
            case CALL -> ModuleNotification.Delivery.CALL;
            case ASYNC_COMPLETION -> ModuleNotification.Delivery.ASYNC_COMPLETION;
            case INDICATED_COMPLETION -> ModuleNotification.Delivery.INDICATED_COMPLETION;
        };
        String child = e.childRequest() ? e.context().request().rawUrl() : null;
        events.add(new ModuleNotification(e.module(), e.notification(), e.post(), delivery, e.status(), child,
                e.error()));
    }

    synchronized void ended(HttpContext context) {
        ended = true;
        if (context != null) {
            finalStatus = context.response().status();
        }
        completeIfDone();
    }

    private void completeIfDone() {
        if ((ended && lastWritten) || aborted) {
            int status = head == null ? 0 : head.status();
            int sub = finalStatus != null && head != null && finalStatus.code() == head.status()
                    ? finalStatus.subStatus() : 0;
            done.complete(new HarnessResponse(status, sub, head == null ? "" : head.reason(),
                    head == null ? List.of() : List.copyOf(head.headers()), head == null ? -1 : head.contentLength(),
                    body.toByteArray(), List.copyOf(events), aborted));
        }
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String rawUri() {
        return rawUri;
    }

    @Override
    public String protocolVersion() {
        return protocol;
    }

    @Override
    public HeaderStore requestHeaders() {
        return headers;
    }

    @Override
    public io.weir.core.spi.RequestBody requestBody() {
        return io.weir.core.spi.RequestBody.of(entity);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
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
    public synchronized boolean isConnected() {
        return !aborted && !done.isDone();
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
    public synchronized void write(ResponseHead newHead, List<DataChunk> chunks, boolean last) {
        if (newHead != null) {
            head = newHead;
        }
        for (DataChunk chunk : chunks) {
            if (chunk instanceof DataChunk.Memory memory) {
                ByteBuffer b = memory.buffer().duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                body.writeBytes(bytes);
            } else if (chunk instanceof DataChunk.File file) {
                body.writeBytes(read(file));
            }
        }
        if (last) {
            lastWritten = true;
            completeIfDone();
        }
    }

    private static byte[] read(DataChunk.File file) {
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(file.length()));
            long position = file.offset();
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    break;
                }
                position += n;
            }
            return buffer.array();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file chunk " + file.path(), e);
        }
    }

    @Override
    public synchronized void abort() {
        aborted = true;
        completeIfDone();
    }

}
