package io.weir.core.internal.context;

import io.weir.api.http.CompletionInfo;
import io.weir.api.http.EntityReadException;
import io.weir.api.http.HttpRequest;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.HeaderStore;
import io.weir.core.spi.RequestBody;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The request of one {@link RequestContext}; mirrors {@code IHttpRequest}. */
final class RequestImpl implements HttpRequest {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final RequestContext context;
    private final Exchange exchange;
    private final String rawUrl;
    private String method;
    private String urlPath;
    private String queryString;
    private boolean urlChanged;
    private final HeaderStore headers;
    /** Bytes put back with insertEntityBody (and replacements that did not fit), read first. */
    /** Bytes put back in front of the entity (insertEntityBody, a READ_ENTITY replacement); null until the first. */
    private ArrayDeque<ByteBuffer> inserted;
    /** The request entity as the transport streams it. */
    private final RequestBody body;
    /** The part of the last chunk polled from {@link #body} not read yet, or null. */
    private ByteBuffer current;
    /** Bytes polled from {@link #body} so far. */
    private long polled;
    /** Set once a read failed: every later read fails the same way. */
    private EntityReadException failure;
    /** The destination of the pending asynchronous read, or null. */
    private ByteBuffer pendingRead;
    /** The request id ({@link RequestId}), drawn on first use; 0 until then. */
    private long requestId;

    RequestImpl(
            RequestContext context,
            Exchange exchange,
            String method,
            String rawUrl,
            String urlPath,
            String queryString,
            HeaderStore headers,
            RequestBody body) {
        this.context = context;
        this.exchange = exchange;
        this.method = method;
        this.rawUrl = rawUrl;
        this.urlPath = urlPath;
        this.queryString = queryString;
        this.headers = headers;
        this.body = body == null ? RequestBody.EMPTY : body;
    }

    /** @return this request's id, drawn on the first call (requests nobody asks pay nothing) */
    long requestId() {
        if (requestId == 0) {
            requestId = RequestId.draw();
        }
        return requestId;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public void setMethod(String newMethod) {
        if (newMethod == null || newMethod.isEmpty() || !newMethod.chars().allMatch(RequestImpl::isTokenChar)) {
            throw new IllegalArgumentException("not an HTTP method token: " + newMethod);
        }
        this.method = newMethod;
    }

    private static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    @Override
    public String urlPath() {
        return urlPath;
    }

    @Override
    public String rawUrl() {
        return rawUrl;
    }

    @Override
    public String queryString() {
        return queryString;
    }

    @Override
    public void setUrl(String url, boolean resetQueryString) {
        if (!context.mayChangeUrl()) {
            throw new IllegalStateException("setUrl is allowed in GL_PRE_BEGIN_REQUEST and BEGIN_REQUEST only, where"
                    + " IIS requires it (later its behaviour is undefined); module '"
                    + context.pipeline.currentModuleName()
                    + "' called it in " + context.pipeline.position() + ": run the URL with executeRequest instead");
        }
        String[] parts = UrlPath.split(url);
        if (parts == null || !url.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute URL path: " + url);
        }
        String normalized = UrlPath.normalize(parts[0]);
        if (normalized == null) {
            throw new IllegalArgumentException("URL cannot be normalized: " + url);
        }
        this.urlPath = normalized;
        if (url.indexOf('?') >= 0) {
            this.queryString = parts[1];
        } else if (resetQueryString) {
            this.queryString = "";
        }
        this.urlChanged = true;
        context.urlChanged();
    }

    @Override
    public boolean urlChanged() {
        return urlChanged;
    }

    @Override
    public Optional<String> header(String name) {
        String first = headers.get(name);
        if (first == null) {
            return Optional.empty();
        }
        List<String> all = headers.getAll(name);
        return Optional.of(all.size() <= 1 ? first : String.join(", ", all));
    }

    /** @param name a header name @return its first value or null, without Optional */
    String firstHeader(String name) {
        return headers.get(name);
    }

    @Override
    public List<String> headers(String name) {
        return headers.getAll(name);
    }

    @Override
    public List<String> headerNames() {
        return headers.names();
    }

    @Override
    public void setHeader(String name, String value, boolean replace) {
        HeaderList.validate(name, value);
        if (replace) {
            headers.set(name, value);
        } else {
            headers.add(name, value);
        }
    }

    @Override
    public void deleteHeader(String name) {
        headers.remove(name);
    }

    @Override
    public String httpVersion() {
        return exchange.protocolVersion();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return exchange.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return exchange.localAddress();
    }

    @Override
    public long remainingEntityBytes() {
        long n = current == null ? 0 : current.remaining();
        if (inserted != null) {
            for (ByteBuffer b : inserted) {
                n += b.remaining();
            }
        }
        long declared = body.declaredLength();
        if (declared >= 0) {
            return n + Math.max(0, declared - polled);
        }
        return body.isComplete() || failure != null ? n : -1;
    }

    @Override
    public int readEntityBody(ByteBuffer destination, boolean async) {
        if (pendingRead != null) {
            throw new IllegalStateException("an asynchronous entity read is already pending");
        }
        if (!async && !exchange.inEventLoop()) {
            return readWaiting(destination);
        }
        int start = destination.position();
        int n = fill(destination);
        if (n == 0 && destination.hasRemaining()) {
            if (!async) {
                throw new IllegalStateException(
                        "a synchronous readEntityBody would wait for the client on the event loop "
                                + "(nothing of the entity has arrived yet): use readEntityBody(buffer, true) and return PENDING, "
                                + "or declare the notification blocking");
            }
            pendingRead = destination;
            body.onAvailable(this::completePendingRead);
            return READ_PENDING;
        }
        return raise(destination, start, n);
    }

    /**
     * A synchronous read on a blocking thread: waits until bytes arrive or the entity ends or fails,
     * as IIS's synchronous read does. The read itself (and READ_ENTITY) runs on the event loop,
     * which owns the transport's body.
     */
    private int readWaiting(ByteBuffer destination) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        exchange.eventLoop().execute(() -> attemptRead(destination, done));
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new EntityReadException(e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EntityReadException("interrupted while waiting for the request entity", e);
        }
    }

    private void attemptRead(ByteBuffer destination, CompletableFuture<Integer> done) {
        try {
            int start = destination.position();
            int n = fill(destination);
            if (n == 0 && destination.hasRemaining()) {
                body.onAvailable(() -> attemptRead(destination, done));
                return;
            }
            done.complete(raise(destination, start, n));
        } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
        }
    }

    /** The transport has something for the pending asynchronous read: read, then resume the module. */
    private void completePendingRead() {
        ByteBuffer destination = pendingRead;
        if (destination == null) {
            return;
        }
        CompletionInfo info;
        try {
            int start = destination.position();
            int n = fill(destination);
            if (n == 0) {
                body.onAvailable(this::completePendingRead);
                return;
            }
            pendingRead = null;
            info = new CompletionInfo(raise(destination, start, n), Optional.empty());
        } catch (EntityReadException e) {
            pendingRead = null;
            info = new CompletionInfo(0, Optional.of(e));
        }
        context.pipeline.complete(info);
    }

    /**
     * Copies what is available into {@code destination} without raising READ_ENTITY.
     *
     * @return the bytes copied, 0 when nothing is available yet, -1 at the end
     * @throws EntityReadException when the entity failed
     */
    private int fill(ByteBuffer destination) {
        if (failure != null) {
            throw failure;
        }
        int n = 0;
        while (destination.hasRemaining()) {
            ByteBuffer head = inserted == null ? null : inserted.peekFirst();
            boolean fromBody = false;
            if (head == null) {
                if (current == null || !current.hasRemaining()) {
                    current = body.poll();
                    if (current != null) {
                        polled += current.remaining();
                    }
                }
                head = current;
                fromBody = true;
            }
            if (head == null) {
                break;
            }
            int k = Math.min(destination.remaining(), head.remaining());
            destination.put(head.slice(head.position(), k));
            head.position(head.position() + k);
            n += k;
            if (!head.hasRemaining()) {
                if (fromBody) {
                    current = null;
                } else {
                    inserted.pollFirst();
                }
            }
        }
        if (n > 0 || !destination.hasRemaining()) {
            return n;
        }
        Throwable cause = body.failure();
        if (cause != null) {
            throw fail(cause);
        }
        return body.isComplete() ? -1 : 0;
    }

    /** Raises READ_ENTITY for a completed read; applies a replacement or a failure a module set. */
    private int raise(ByteBuffer destination, int start, int n) {
        ByteBuffer read =
                n > 0 ? destination.duplicate().position(start).limit(start + n).slice() : EMPTY;
        if (context.pipeline == null) {
            return n;
        }
        ReadEntityEvent event = new ReadEntityEvent(read, body.receivedBytes());
        context.pipeline.notifications().readEntity(event);
        if (event.error() != null) {
            throw fail(event.error());
        }
        ByteBuffer replaced = event.entity();
        if (replaced == read) {
            return n;
        }
        destination.position(start);
        ByteBuffer replacement = replaced.duplicate();
        int k = Math.min(destination.remaining(), replacement.remaining());
        destination.put(replacement.slice(replacement.position(), k));
        replacement.position(replacement.position() + k);
        if (replacement.hasRemaining()) {
            inserted().addFirst(replacement);
        }
        if (k == 0 && n < 0) {
            return -1;
        }
        return k;
    }

    /** Makes the entity failed for good: the status (when nothing was sent) and a close after the response. */
    private EntityReadException fail(Throwable cause) {
        if (failure == null) {
            failure = cause instanceof EntityReadException e
                    ? e
                    : new EntityReadException("the request entity cannot be read: " + cause.getMessage(), cause);
            RequestErrors.entityFailed(context.response, cause);
        }
        return failure;
    }

    @Override
    public void insertEntityBody(ByteBuffer bytes) {
        if (bytes.hasRemaining()) {
            inserted().addFirst(bytes);
        }
    }

    private ArrayDeque<ByteBuffer> inserted() {
        if (inserted == null) {
            inserted = new ArrayDeque<>(2);
        }
        return inserted;
    }
}
