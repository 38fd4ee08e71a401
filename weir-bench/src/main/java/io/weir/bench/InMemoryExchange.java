package io.weir.bench;

import io.weir.api.http.DataChunk;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.HeaderStore;
import io.weir.core.spi.ListHeaderStore;
import io.weir.core.spi.ResponseHead;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A request handed to the engine without a transport: the pipeline walk alone, for the JMH
 * benchmarks. The "event loop" runs tasks on the calling thread; {@link #write} only records what
 * the engine produced, so that a benchmark can consume it (nothing is encoded or sent).
 */
public final class InMemoryExchange implements Exchange {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50_000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);
    private static final Executor CALLER = Runnable::run;

    private final String method;
    private final String rawUri;
    private final ListHeaderStore requestHeaders = new ListHeaderStore();
    private Object connectionAttachment;
    private ResponseHead head;
    private long entityBytes;
    private boolean complete;

    /**
     * Creates a request with a {@code Host} header.
     *
     * @param method the verb
     * @param rawUri the request-target
     */
    public InMemoryExchange(String method, String rawUri) {
        this.method = method;
        this.rawUri = rawUri;
        requestHeaders.set("Host", "localhost");
    }

    /**
     * Adds a request header, as a client would send it.
     *
     * @param name  the header's name
     * @param value its value
     * @return this exchange
     */
    public InMemoryExchange header(String name, String value) {
        requestHeaders.add(name, value);
        return this;
    }

    /** @return the head the engine wrote, or null before the first write */
    public ResponseHead head() {
        return head;
    }

    /** @return the number of entity bytes the engine handed over (file chunks by their length) */
    public long entityBytes() {
        return entityBytes;
    }

    /** @return true once the engine made its last write */
    public boolean isComplete() {
        return complete;
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
        return "HTTP/1.1";
    }

    @Override
    public HeaderStore requestHeaders() {
        return requestHeaders;
    }

    @Override
    public io.weir.core.spi.RequestBody requestBody() {
        return io.weir.core.spi.RequestBody.EMPTY;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return CLIENT;
    }

    @Override
    public InetSocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public Executor eventLoop() {
        return CALLER;
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public Object connectionAttachment() {
        return connectionAttachment;
    }

    @Override
    public void connectionAttachment(Object attachment) {
        this.connectionAttachment = attachment;
    }

    @Override
    public void write(ResponseHead head, List<DataChunk> chunks, boolean last) {
        if (head != null) {
            this.head = head;
        }
        for (DataChunk chunk : chunks) {
            entityBytes += chunk.length();
        }
        complete |= last;
    }

    @Override
    public void abort() {
        complete = true;
    }
}
