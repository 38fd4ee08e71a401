package io.weir.core.spi;

import io.weir.api.http.DataChunk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A request handed to the engine without a client or a socket: the server's own warm-up requests
 * (application preload), the testkit's in-memory pipeline harness and the JMH benchmarks. Nothing
 * is encoded or sent; {@link #write} records the head the engine wrote, counts the entity bytes
 * and, when asked to, keeps the body (file chunks read from disk).
 *
 * <p>Configure it before handing it to the engine; the engine then calls it on its
 * {@link #eventLoop()} (by default the calling thread). What it recorded may be read from another
 * thread once {@link #written()} has completed.
 */
public final class MemoryExchange implements Exchange {

    private final String method;
    private final String rawUri;
    private final ListHeaderStore requestHeaders = new ListHeaderStore();
    private final CompletableFuture<MemoryExchange> written = new CompletableFuture<>();
    private String protocol = "HTTP/1.1";
    private ByteBuffer entity;
    private InetSocketAddress remote = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 80);
    private Executor loop = Runnable::run;
    private ByteArrayOutputStream body;
    private ConnectionAttachment connectionAttachment;
    private ResponseHead head;
    private long entityBytes;
    private volatile boolean complete;
    private volatile boolean aborted;

    /**
     * Creates a request with no headers, no entity, HTTP/1.1, from {@code 127.0.0.1:0} to
     * {@code 127.0.0.1:80}, whose event loop is the calling thread.
     *
     * @param method the verb
     * @param rawUri the request-target, for example {@code "/a%20b?x=1"}
     */
    public MemoryExchange(String method, String rawUri) {
        this.method = Objects.requireNonNull(method, "method");
        this.rawUri = Objects.requireNonNull(rawUri, "rawUri");
    }

    /**
     * Adds a request header, as a client would send it.
     *
     * @param name  the header's name
     * @param value its value
     * @return this exchange
     */
    public MemoryExchange header(String name, String value) {
        requestHeaders.add(name, value);
        return this;
    }

    /**
     * Sets the protocol version.
     *
     * @param version {@code "HTTP/1.1"}, {@code "HTTP/1.0"} or {@code "HTTP/2"}
     * @return this exchange
     */
    public MemoryExchange protocol(String version) {
        this.protocol = Objects.requireNonNull(version, "version");
        return this;
    }

    /**
     * Sets the request entity (the caller adds the {@code Content-Length} header).
     *
     * @param bytes the entity, not copied
     * @return this exchange
     */
    public MemoryExchange entity(byte[] bytes) {
        this.entity = ByteBuffer.wrap(bytes);
        return this;
    }

    /**
     * Sets the two ends of the pretended connection.
     *
     * @param client the client's address
     * @param server the local address
     * @return this exchange
     */
    public MemoryExchange addresses(InetSocketAddress client, InetSocketAddress server) {
        this.remote = Objects.requireNonNull(client, "client");
        this.local = Objects.requireNonNull(server, "server");
        return this;
    }

    /**
     * Sets the thread the engine runs this request on.
     *
     * @param executor the event loop; tasks must run in order
     * @return this exchange
     */
    public MemoryExchange eventLoop(Executor executor) {
        this.loop = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Keeps the response entity's bytes (memory chunks copied, file chunks read) for {@link #body()}.
     *
     * @return this exchange
     */
    public MemoryExchange keepBody() {
        this.body = new ByteArrayOutputStream();
        return this;
    }

    /**
     * Completes when the engine made its last write, or aborted the exchange.
     *
     * @return completes with this exchange; never completes exceptionally
     */
    public CompletableFuture<MemoryExchange> written() {
        return written;
    }

    /** @return the last head the engine wrote, or null before the first write */
    public ResponseHead head() {
        return head;
    }

    /** @return the number of entity bytes the engine handed over (file chunks by their length) */
    public long entityBytes() {
        return entityBytes;
    }

    /** @return the entity bytes kept so far; empty unless {@link #keepBody()} was called */
    public byte[] body() {
        return body == null ? new byte[0] : body.toByteArray();
    }

    /** @return true once the engine made its last write (false when it aborted instead) */
    public boolean isComplete() {
        return complete;
    }

    /** @return true once the engine aborted the exchange */
    public boolean isAborted() {
        return aborted;
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
        return requestHeaders;
    }

    @Override
    public RequestBody requestBody() {
        return entity == null ? RequestBody.EMPTY : RequestBody.of(entity);
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

    /** @return true until the last write or an abort */
    @Override
    public boolean isConnected() {
        return !complete && !aborted;
    }

    @Override
    public ConnectionAttachment connectionAttachment() {
        return connectionAttachment;
    }

    @Override
    public void connectionAttachment(ConnectionAttachment attachment) {
        this.connectionAttachment = attachment;
    }

    @Override
    public void write(ResponseHead newHead, List<DataChunk> chunks, boolean last) {
        if (newHead != null) {
            head = newHead;
        }
        for (DataChunk chunk : chunks) {
            entityBytes += chunk.length();
            if (body == null) {
                continue;
            }
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
            complete = true;
            written.complete(this);
        }
    }

    @Override
    public void abort() {
        aborted = true;
        written.complete(this);
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
}
