package io.weir.modules.fastcgi;

import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.http.ScriptMapInfo;
import io.weir.api.outbound.OutboundAddress;
import io.weir.api.outbound.OutboundConnector;
import io.weir.api.outbound.OutboundFailure;
import io.weir.api.outbound.OutboundStream;
import io.weir.api.outbound.OutboundStreamListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One FastCGI request to an external server without a {@code fastCgi} entry (its own connection,
 * closed by the server after the response, as nginx's {@code fastcgi_pass} without
 * {@code fastcgi_keep_conn}), run entirely on the request's event loop through the server's
 * {@link OutboundConnector}: the records go out in one write, the answer is parsed as it arrives,
 * and the pipeline resumes with {@code indicateCompletion}. No thread is handed the request, so a
 * small page costs no thread switch between Weir and the application (on the virtual-thread path
 * it cost four: event loop, virtual thread, the JDK's socket poller, virtual thread, event loop).
 *
 * <p>Used for requests without an entity ({@code Content-Length: 0} or none); the others, and
 * requests to a pool of Weir's or to kept connections, take {@link FastCgiModule}'s virtual-thread
 * path. Output past the mapping's {@code responseBufferLimit} is streamed, and reading from the
 * application is suspended while the client does not take it. The timeouts (90 s for the request,
 * 70 s between two reads, as on the other path for an external server) are checked by the pools'
 * timer, which resumes the request with {@code postCompletion}; {@link #expired()} then ends it on
 * the event loop.
 */
final class LoopExchange implements OutboundStreamListener {

    private static final System.Logger LOG = System.getLogger(LoopExchange.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final int STDERR_LIMIT = 64 * 1024;

    private final HttpContext context;
    private final FastCgiPools pools;
    private final FastCgiEndpoint endpoint;
    private final RequestWatch watch;
    private final long bufferLimit;
    private final CgiResponseHead head = new CgiResponseHead();
    /** Set once by whoever ends the request: the event loop (response or failure) or the timer. */
    private final AtomicBoolean ended = new AtomicBoolean();

    private ByteBuffer request;
    private OutboundStream stream;
    /** The start of a record whose remaining bytes have not arrived, kept between two reads. */
    private ByteBuffer partial;

    private StringBuilder stderr;
    private boolean streaming;
    private boolean waitingForClient;
    private boolean inCall;
    private boolean finished;
    private RequestNotificationStatus finalStatus;

    private LoopExchange(HttpContext context, FastCgiPools pools, FastCgiEndpoint endpoint) {
        this.context = context;
        this.pools = pools;
        this.endpoint = endpoint;
        this.watch = new RequestWatch(Duration.ofSeconds(90), Duration.ofSeconds(70), this::timedOut);
        this.bufferLimit =
                context.scriptMap().map(ScriptMapInfo::responseBufferLimit).orElse(4L * 1024 * 1024);
    }

    /**
     * Tells whether a request can take this path: no entity, and a server that offers an outbound
     * connector.
     *
     * @param context the request, on its event loop
     * @return true when {@link #start} may be used
     */
    static boolean fits(HttpContext context) {
        return context.request().remainingEntityBytes() == 0
                && context.server().outboundConnector().isPresent();
    }

    /**
     * Sends the request and returns PENDING (or the final status when it ended at once, such as
     * a refused connection).
     *
     * @param context  the request, on its event loop
     * @param pools    the module's pools (for the timer)
     * @param endpoint the external server
     * @param started  receives the exchange, for {@code onAsyncCompletion} after a timeout
     * @return PENDING, or the final status
     */
    static RequestNotificationStatus start(
            HttpContext context,
            FastCgiPools pools,
            FastCgiEndpoint endpoint,
            java.util.function.Consumer<LoopExchange> started) {
        LoopExchange exchange = new LoopExchange(context, pools, endpoint);
        started.accept(exchange);
        return exchange.send();
    }

    private RequestNotificationStatus send() {
        RecordEncoder encoder = new RecordEncoder();
        encoder.beginRequest(false);
        CgiEnvironment.emit(context, -1, encoder::param);
        encoder.endParams();
        encoder.endStream(FastCgiRecord.STDIN);
        ByteBuffer encoded = encoder.buffer();
        request = ByteBuffer.wrap(Arrays.copyOfRange(encoded.array(), 0, encoded.limit()));
        inCall = true;
        try {
            pools.ensureTimer();
            pools.watch(watch);
            context.server().outboundConnector().orElseThrow().openStream(address(), CONNECT_TIMEOUT, this);
        } catch (IOException | IllegalStateException e) {
            complete(FastCgiModule.fail(
                    context, HttpStatus.SERVICE_UNAVAILABLE, "FastCgiModule cannot reach " + endpoint + ": " + e));
        } finally {
            inCall = false;
        }
        return finished ? finalStatus : RequestNotificationStatus.PENDING;
    }

    private OutboundAddress address() {
        if (endpoint.address() instanceof UnixDomainSocketAddress unix) {
            return new OutboundAddress.UnixDomain(unix.getPath());
        }
        InetSocketAddress inet = (InetSocketAddress) endpoint.address();
        return new OutboundAddress.Tcp(inet.getHostString(), inet.getPort());
    }

    @Override
    public void onConnected(OutboundStream opened) {
        stream = opened;
        if (ended.get()) {
            opened.close();
            return;
        }
        opened.write(request);
        request = null;
        watch.touch();
    }

    @Override
    public void onData(ByteBuffer bytes) {
        if (ended.get()) {
            return;
        }
        watch.touch();
        ByteBuffer in = bytes;
        if (partial != null) {
            ByteBuffer joined = ByteBuffer.allocate(partial.remaining() + bytes.remaining());
            joined.put(partial).put(bytes).flip();
            in = joined;
            partial = null;
        }
        try {
            while (!finished && in.remaining() >= FastCgiRecord.HEADER_LENGTH) {
                int at = in.position();
                int version = in.get(at) & 0xFF;
                if (version != FastCgiRecord.VERSION_1) {
                    throw new IllegalArgumentException("not a FastCGI 1.0 record (version byte " + version + ")");
                }
                int type = in.get(at + 1) & 0xFF;
                int contentLength = ((in.get(at + 4) & 0xFF) << 8) | (in.get(at + 5) & 0xFF);
                int padding = in.get(at + 6) & 0xFF;
                int whole = FastCgiRecord.HEADER_LENGTH + contentLength + padding;
                if (in.remaining() < whole) {
                    break;
                }
                ByteBuffer content = in.slice(at + FastCgiRecord.HEADER_LENGTH, contentLength);
                in.position(at + whole);
                record(type, content);
            }
        } catch (IllegalArgumentException e) {
            complete(FastCgiModule.errorAfterStart(
                    context,
                    FastCgiModule.BAD_GATEWAY,
                    "The FastCGI application sent a malformed response: " + e.getMessage()));
            return;
        }
        if (!finished && in.hasRemaining()) {
            partial = ByteBuffer.allocate(in.remaining()).put(in).flip();
        }
    }

    private void record(int type, ByteBuffer content) {
        switch (type) {
            case FastCgiRecord.STDOUT -> stdout(content);
            case FastCgiRecord.STDERR -> {
                if (stderr == null) {
                    stderr = new StringBuilder();
                }
                if (stderr.length() < STDERR_LIMIT) {
                    stderr.append(StandardCharsets.UTF_8.decode(content));
                }
            }
            case FastCgiRecord.END_REQUEST ->
                end(content.remaining() >= 5 ? content.get(content.position() + 4) & 0xFF : -1);
            default -> {
                // FCGI_DATA, GET_VALUES_RESULT, UNKNOWN_TYPE: nothing a responder's web server uses
            }
        }
    }

    private void stdout(ByteBuffer content) {
        if (!head.isComplete()) {
            if (!head.feed(content)) {
                return;
            }
            FastCgiModule.applyHead(context, head);
        }
        if (!content.hasRemaining()) {
            return;
        }
        HttpResponse response = context.response();
        byte[] copy = new byte[content.remaining()];
        content.get(copy);
        response.writeEntityChunks(DataChunk.ofBytes(copy));
        if (!streaming
                && stderr == null
                && (response.bufferedEntityLength() > bufferLimit || context.responseHeadersSent())) {
            streaming = true;
        }
        if (!streaming) {
            return;
        }
        response.flush(true);
        if (!response.isClientWritable() && !waitingForClient) {
            // the client's reading paces the application's writing
            waitingForClient = true;
            watch.waitingForClient(true);
            stream.suspendReads();
            response.onClientWritable(this::clientDrained);
        }
    }

    private void clientDrained() {
        waitingForClient = false;
        watch.waitingForClient(false);
        if (ended.get()) {
            return;
        }
        if (!context.connection().isConnected()) {
            // the client left: stop the script rather than read output nobody receives
            context.response().resetConnection();
            complete(RequestNotificationStatus.FINISH_REQUEST);
            return;
        }
        stream.resumeReads();
    }

    private void end(int protocolStatus) {
        HttpResponse response = context.response();
        if (protocolStatus != FastCgiRecord.REQUEST_COMPLETE) {
            complete(FastCgiModule.errorAfterStart(
                    context,
                    protocolStatus == FastCgiRecord.OVERLOADED
                            ? HttpStatus.SERVICE_UNAVAILABLE
                            : HttpStatus.INTERNAL_SERVER_ERROR,
                    "The FastCGI application refused the request (protocol status " + protocolStatus + ")"));
            return;
        }
        if (stderr != null && !stderr.isEmpty()) {
            // without a fastCgi entry, stderrMode is its default: ReturnStdErrIn500
            LOG.log(
                    System.Logger.Level.INFO,
                    "{0} wrote to stderr for {1} {2}: {3}",
                    endpoint,
                    context.request().method(),
                    context.request().rawUrl(),
                    stderr.toString().strip());
            if (!response.headersSent()) {
                response.clear();
                response.setStatus(HttpStatus.INTERNAL_SERVER_ERROR, null, true);
                response.setHeader("Content-Type", "text/plain; charset=utf-8", true);
                response.writeEntityChunks(DataChunk.ofUtf8(stderr.toString()));
                complete(RequestNotificationStatus.CONTINUE);
                return;
            }
        }
        if (!head.isComplete()) {
            complete(FastCgiModule.errorAfterStart(
                    context,
                    FastCgiModule.BAD_GATEWAY,
                    "The FastCGI application ended the request without a complete header block"));
            return;
        }
        if (streaming) {
            response.flush(true);
        }
        complete(RequestNotificationStatus.CONTINUE);
    }

    @Override
    public void onClosed() {
        if (!ended.get()) {
            broken("The FastCGI process exited unexpectedly (" + endpoint
                    + "): the connection closed before the end of the request");
        }
    }

    @Override
    public void onFailure(OutboundFailure failure) {
        if (ended.get()) {
            return;
        }
        if (failure.kind() == OutboundFailure.Kind.CONNECT) {
            complete(FastCgiModule.fail(
                    context,
                    FastCgiModule.BAD_GATEWAY,
                    "The FastCGI server at " + endpoint + " refused the connection: " + failure.message()));
        } else {
            broken("The FastCGI process exited unexpectedly (" + endpoint + "): " + failure.message());
        }
    }

    private void broken(String description) {
        LOG.log(
                System.Logger.Level.WARNING,
                "{0} {1}: {2}",
                context.request().method(),
                context.request().rawUrl(),
                description);
        complete(FastCgiModule.errorAfterStart(context, HttpStatus.INTERNAL_SERVER_ERROR, description));
    }

    /** On the timer thread: the request or activity timeout passed; the event loop ends it in {@link #expired()}. */
    private void timedOut() {
        if (ended.compareAndSet(false, true)) {
            pools.unwatch(watch);
            context.postCompletion(0);
        }
    }

    /**
     * Ends a request the timer stopped, on the event loop ({@code onAsyncCompletion}).
     *
     * @return the status of the error response
     */
    RequestNotificationStatus expired() {
        if (stream != null) {
            stream.close();
        }
        String reason = watch.expired();
        LOG.log(
                System.Logger.Level.WARNING,
                "{0} {1}: {2}",
                context.request().method(),
                context.request().rawUrl(),
                reason);
        return FastCgiModule.errorAfterStart(context, HttpStatus.INTERNAL_SERVER_ERROR, reason);
    }

    /** Ends the request once: closes the connection and resumes the pipeline (at once when still in the call). */
    private void complete(RequestNotificationStatus status) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        pools.unwatch(watch);
        if (stream != null) {
            stream.close();
        }
        finished = true;
        finalStatus = status;
        if (!inCall) {
            context.indicateCompletion(status);
        }
    }

    /** Closes the connection when the request is torn down meanwhile. Idempotent. */
    void dispose() {
        if (ended.compareAndSet(false, true)) {
            pools.unwatch(watch);
        }
        if (stream != null) {
            stream.close();
        }
    }
}
