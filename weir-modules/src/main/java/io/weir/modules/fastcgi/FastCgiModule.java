package io.weir.modules.fastcgi;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.EntityReadException;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.http.ScriptMapInfo;
import io.weir.api.provider.HttpEventProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * FastCgiModule for one request: the handler of a mapping whose {@code scriptProcessor} names a
 * {@code fastCgi/application} (a pool Weir runs) or an external FastCGI server
 * ({@code unix:/path}, {@code tcp://host:port}). Mirrors IIS's {@code iisfcgi.dll}.
 *
 * <p>A request without an entity to an external server without a {@code fastCgi} entry runs on
 * the request's event loop ({@link LoopExchange}). Every other request runs on a virtual thread of
 * the server's blocking executor ({@link OffloadedCalls}), where the FastCGI socket I/O blocks only
 * that virtual thread. The
 * request entity is read asynchronously ({@code readEntityBody(buffer, true)}): when no body byte
 * has arrived the module returns PENDING and continues in {@code onAsyncCompletion} (also on a
 * virtual thread), writing each piece to the application as {@code FCGI_STDIN} before reading the
 * next, so the client's upload is paced by the application; an entity without
 * {@code Content-Length} is held in a {@link BodySpool} until it ends, and sent with its
 * {@code CONTENT_LENGTH}. The script's output is buffered up to the mapping's
 * {@code responseBufferLimit} (IIS's behaviour; a whole small page then goes out with a
 * {@code Content-Length}), and streamed past it in pieces, each drained to the client
 * ({@link HttpResponse#onClientWritable}) before more is read from the application, so the
 * client's reading paces the script's writing. A pool's process keeps its connection across
 * requests ({@code FCGI_KEEP_CONN}), and so do the connections to an external server that has a
 * {@code fastCgi} entry ({@link ConnectionPool}).
 */
final class FastCgiModule implements HttpModule {

    private static final System.Logger LOG = System.getLogger(FastCgiModule.class.getName());
    private static final int BODY_PIECE = 64 * 1024;
    private static final int STDERR_LIMIT = 64 * 1024;
    private static final HttpStatus QUEUE_FULL = new HttpStatus(503, 2, "Service Unavailable");
    static final HttpStatus BAD_GATEWAY = new HttpStatus(502, 3, "Bad Gateway");

    private final FastCgiPools pools;
    private final OffloadedCalls calls = new OffloadedCalls();
    private LoopExchange loop;
    private FastCgiEndpoint external;
    private ConnectionPool connections;
    private boolean reused;
    private boolean retried;
    private boolean idempotent;
    private int flushes;
    private int firstFlushLength;
    private BodySpool spool;
    private FastCgiApplication app;
    private ProcessPool pool;
    private volatile FastCgiProcess process;
    private volatile FastCgiConnection connection;
    private RecordEncoder encoder;
    private RecordReader reader;
    private RequestWatch watch;
    private ByteBuffer body;
    private String target;
    private FastCgiPools.Buffers borrowed;

    FastCgiModule(FastCgiPools pools) {
        this.pools = pools;
    }

    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        context.setRequestHandled();
        ScriptMapInfo map = context.scriptMap().orElse(null);
        String processor = map == null ? "" : map.scriptProcessor().trim();
        if (LoopExchange.fits(context)) {
            FastCgiEndpoint endpoint;
            try {
                endpoint = FastCgiEndpoint.parseExternal(processor);
            } catch (IllegalArgumentException e) {
                endpoint = null;
            }
            if (endpoint != null
                    && context.config(FastCgiSection.SECTION).find(processor).isEmpty()) {
                return LoopExchange.start(context, pools, endpoint, started -> loop = started);
            }
        }
        return calls.offload(context, () -> executeBlocking(context));
    }

    /** The virtual-thread path of {@link #onExecuteRequestHandler}. */
    private RequestNotificationStatus executeBlocking(HttpContext context) {
        ScriptMapInfo map = context.scriptMap().orElse(null);
        String scriptProcessor = map == null ? "" : map.scriptProcessor().trim();
        if (scriptProcessor.isEmpty()) {
            return fail(
                    context,
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    "The handler mapping of FastCgiModule has no scriptProcessor");
        }
        try {
            external = FastCgiEndpoint.parseExternal(scriptProcessor);
        } catch (IllegalArgumentException e) {
            return fail(context, HttpStatus.INTERNAL_SERVER_ERROR, e.getMessage());
        }
        app = context.config(FastCgiSection.SECTION).find(scriptProcessor).orElse(null);
        if (external == null) {
            if (app == null) {
                return fail(
                        context,
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "No fastCgi application entry matches " + "the scriptProcessor '" + scriptProcessor
                                + "' (fullPath|arguments)");
            }
            target = app.key();
        } else {
            target = external.toString();
        }
        long remaining = context.request().remainingEntityBytes();
        if (remaining < 0) {
            // chunked: the application needs CONTENT_LENGTH, so the entity is held until it ends
            // (no process is taken meanwhile, however slowly the client sends)
            spool = new BodySpool();
            body = ByteBuffer.allocate(BODY_PIECE);
            return pumpBody(context);
        }
        RequestNotificationStatus refused = begin(context, -1);
        if (refused != null) {
            return refused;
        }
        try {
            if (remaining == 0) {
                return endOfBody(context);
            }
        } catch (IOException e) {
            return broken(context, e, "The FastCGI process did not accept the request");
        }
        body = ByteBuffer.allocate(remaining < BODY_PIECE ? (int) remaining : BODY_PIECE);
        return pumpBody(context);
    }

    /**
     * Takes a process (or connects to the external server) and sends BEGIN_REQUEST and the
     * PARAMS stream.
     *
     * @param entityLength the length of a held entity, or -1 to take the request's Content-Length
     * @return null when the request went out; otherwise the status of the error response set
     */
    private RequestNotificationStatus begin(HttpContext context, long entityLength) {
        try {
            boolean keep;
            if (external != null) {
                // with a fastCgi entry the connections are kept (FCGI_KEEP_CONN) within its limits;
                // without one each request has its own, which the server closes
                try {
                    if (app != null) {
                        connections = pools.connections(external, app);
                        connection = connections.acquire();
                        reused = connections.wasKept(connection);
                        String method = context.request().method();
                        idempotent = !method.equals("POST") && !method.equals("PATCH") && !method.equals("LOCK");
                    } else {
                        connection = external.connect();
                    }
                } catch (IOException e) {
                    connections = null;
                    return fail(
                            context, BAD_GATEWAY, "The FastCGI server at " + target + " refused the connection: " + e);
                }
                borrowed = pools.borrowBuffers();
                encoder = borrowed.encoder();
                reader = borrowed.reader();
                watch = app != null
                        ? new RequestWatch(app.requestTimeout(), app.activityTimeout(), this::expire)
                        : new RequestWatch(Duration.ofSeconds(90), Duration.ofSeconds(70), this::expire);
                keep = app != null;
                pools.ensureTimer();
            } else {
                pool = pools.pool(app);
                process = pool.acquire();
                try {
                    connection = process.connection();
                } catch (IOException e) {
                    pool.release(process, false, true);
                    process = null;
                    return fail(
                            context,
                            HttpStatus.INTERNAL_SERVER_ERROR,
                            "The FastCGI process " + target + " does not accept connections: " + e);
                }
                encoder = process.encoder;
                reader = process.reader;
                watch = new RequestWatch(app.requestTimeout(), app.activityTimeout(), this::expire);
                keep = true;
            }
            pools.watch(watch);
            reader.reset(connection);
            encoder.reset();
            encoder.beginRequest(keep);
            CgiEnvironment.emit(context, entityLength, encoder::param);
            encoder.endParams();
            return null;
        } catch (ProcessPool.QueueFullException e) {
            return fail(context, QUEUE_FULL, e.getMessage());
        } catch (ProcessPool.PoolOfflineException e) {
            return fail(context, HttpStatus.INTERNAL_SERVER_ERROR, e.getMessage());
        } catch (IOException e) {
            return broken(context, e, "The FastCGI executable could not be started");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return broken(context, new IOException(e), "Interrupted while waiting for a FastCGI process");
        }
    }

    @Override
    public RequestNotificationStatus onAsyncCompletion(
            HttpContext context,
            RequestNotification notification,
            boolean postNotification,
            HttpEventProvider provider,
            CompletionInfo completionInfo) {
        if (loop != null) {
            return loop.expired();
        }
        calls.rethrowFailure();
        return calls.offload(context, () -> asyncCompletionBlocking(context, completionInfo));
    }

    /** The virtual-thread path of {@link #onAsyncCompletion}: the entity's next piece arrived (or it failed). */
    private RequestNotificationStatus asyncCompletionBlocking(HttpContext context, CompletionInfo completionInfo) {
        if (completionInfo.error().isPresent()) {
            release(false, false);
            Throwable error = completionInfo.error().get();
            if (error instanceof EntityReadException read) {
                throw read;
            }
            return broken(context, new IOException(error), "The request entity could not be read");
        }
        try {
            if (completionInfo.completionBytes() < 0) {
                return bodyEnded(context);
            }
            takeBodyPiece();
            return pumpBody(context);
        } catch (IOException e) {
            return broken(context, e, "The FastCGI process did not accept the request entity");
        }
    }

    /** Reads the entity and passes it on until it ends (then reads the response) or a read goes pending. */
    private RequestNotificationStatus pumpBody(HttpContext context) {
        try {
            while (true) {
                int n;
                try {
                    n = context.request().readEntityBody(body, true);
                } catch (EntityReadException e) {
                    release(false, false);
                    throw e;
                }
                if (n == HttpRequest.READ_PENDING) {
                    if (spool == null) {
                        flushEncoder();
                    }
                    return RequestNotificationStatus.PENDING;
                }
                if (n < 0) {
                    return bodyEnded(context);
                }
                takeBodyPiece();
            }
        } catch (IOException e) {
            return broken(context, e, "The FastCGI process did not accept the request entity");
        }
    }

    /** The piece read into {@link #body} goes to the application, or to the spool of a chunked entity. */
    private void takeBodyPiece() throws IOException {
        body.flip();
        if (spool != null) {
            spool.append(body);
        } else {
            encoder.stream(FastCgiRecord.STDIN, body);
            if (encoder.length() >= BODY_PIECE) {
                flushEncoder();
            }
        }
        body.clear();
    }

    private RequestNotificationStatus bodyEnded(HttpContext context) throws IOException {
        if (spool == null) {
            return endOfBody(context);
        }
        RequestNotificationStatus refused = begin(context, spool.length());
        if (refused != null) {
            spool.close();
            spool = null;
            return refused;
        }
        try {
            spool.replay(body, piece -> {
                encoder.stream(FastCgiRecord.STDIN, piece);
                if (encoder.length() >= BODY_PIECE) {
                    flushEncoder();
                }
            });
        } finally {
            spool.close();
            spool = null;
        }
        return endOfBody(context);
    }

    private void flushEncoder() throws IOException {
        if (encoder.length() > 0) {
            try {
                connection.write(encoder.buffer());
            } catch (IOException e) {
                if (flushes > 0 || !mayRetry()) {
                    throw e;
                }
                reconnect(e);
                connection.write(encoder.buffer());
            }
            if (flushes++ == 0) {
                firstFlushLength = encoder.length();
            }
            encoder.reset();
            watch.touch();
        }
    }

    /**
     * Tells whether the request may be sent again on a new connection: its connection to an
     * external server was a kept one, which the server may have closed just after its previous
     * request (a php-fpm worker that exits after {@code pm.max_requests}), it was not retried yet,
     * and its method is idempotent (as nginx, no POST, PATCH or LOCK is sent twice: a worker that
     * died silently may have run it).
     */
    private boolean mayRetry() {
        return connections != null && reused && !retried && idempotent;
    }

    /** Gives up the kept connection the server closed and takes a newly opened one. */
    private void reconnect(IOException cause) throws IOException {
        retried = true;
        reused = false;
        LOG.log(
                System.Logger.Level.DEBUG,
                "the kept connection to {0} was closed ({1}): sending the request on a new one",
                target,
                cause.toString());
        connections.release(connection, false);
        connection = null;
        try {
            connection = connections.acquire(true);
        } catch (ProcessPool.QueueFullException | ProcessPool.PoolOfflineException e) {
            throw new IOException(e.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reconnecting", cause);
        }
        reader.reset(connection);
    }

    private RequestNotificationStatus endOfBody(HttpContext context) throws IOException {
        encoder.endStream(FastCgiRecord.STDIN);
        flushEncoder();
        body = null;
        return readResponse(context);
    }

    /**
     * Waits (on this virtual thread) until what was flushed has drained to the client, so that the
     * client's reading paces the reading of the application's output. The application's activity
     * timeout does not run meanwhile (it is not the application that is slow); its request timeout does.
     */
    private void awaitClient(HttpResponse response) throws IOException {
        CountDownLatch drained = new CountDownLatch(1);
        response.onClientWritable(drained::countDown);
        watch.waitingForClient(true);
        try {
            while (!drained.await(1, TimeUnit.SECONDS)) {
                if (watch.expired() != null) {
                    throw new IOException(watch.expired());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the client was reading", e);
        } finally {
            watch.waitingForClient(false);
        }
    }

    /** Reads STDOUT/STDERR until END_REQUEST, writing the response as it goes. */
    private RequestNotificationStatus readResponse(HttpContext context) {
        HttpResponse response = context.response();
        CgiResponseHead head = new CgiResponseHead();
        StringBuilder stderr = null;
        long bufferLimit =
                context.scriptMap().map(ScriptMapInfo::responseBufferLimit).orElse(4L * 1024 * 1024);
        boolean streaming = false;
        long unflushed = 0;
        boolean anyRecord = false;
        try {
            while (true) {
                FastCgiRecord record;
                try {
                    record = reader.next();
                } catch (IOException e) {
                    if (anyRecord || flushes != 1 || !mayRetry()) {
                        throw e;
                    }
                    // the whole request went out in one write on a kept connection the server had
                    // closed: send it again on a new one
                    reconnect(e);
                    encoder.restore(firstFlushLength);
                    flushes = 0;
                    flushEncoder();
                    continue;
                }
                anyRecord = true;
                watch.touch();
                switch (record.type()) {
                    case FastCgiRecord.STDOUT -> {
                        ByteBuffer content = record.content();
                        if (!head.isComplete()) {
                            if (!head.feed(content)) {
                                continue;
                            }
                            applyHead(context, head);
                        }
                        if (!content.hasRemaining()) {
                            continue;
                        }
                        byte[] copy = new byte[content.remaining()];
                        content.get(copy);
                        response.writeEntityChunks(DataChunk.ofBytes(copy));
                        unflushed += copy.length;
                        // streaming from here on: past the mapping's responseBufferLimit, which the
                        // response itself flushes at (the headers are then out)
                        if (!streaming
                                && (response.bufferedEntityLength() > bufferLimit || context.responseHeadersSent())
                                && stderr == null) {
                            streaming = true;
                        }
                        if (streaming && unflushed >= BODY_PIECE) {
                            if (!context.connection().isConnected()) {
                                // the client left: stop the script rather than read output nobody receives
                                release(false, false);
                                response.resetConnection();
                                return RequestNotificationStatus.FINISH_REQUEST;
                            }
                            response.flush(true);
                            unflushed = 0;
                            awaitClient(response);
                        }
                    }
                    case FastCgiRecord.STDERR -> {
                        ByteBuffer content = record.content();
                        if (stderr == null) {
                            stderr = new StringBuilder();
                        }
                        if (stderr.length() < STDERR_LIMIT) {
                            stderr.append(StandardCharsets.UTF_8.decode(content));
                        }
                        if (app != null && app.stderrMode() == FastCgiApplication.StderrMode.TerminateProcess) {
                            LOG.log(
                                    System.Logger.Level.WARNING,
                                    "{0} wrote to stderr (stderrMode TerminateProcess): {1}",
                                    target,
                                    stderr.toString().strip());
                            release(false, false);
                            return errorAfterStart(
                                    context,
                                    HttpStatus.INTERNAL_SERVER_ERROR,
                                    "The FastCGI process wrote to stderr and was terminated (stderrMode TerminateProcess)");
                        }
                    }
                    case FastCgiRecord.END_REQUEST -> {
                        return finish(context, head, record, stderr, streaming);
                    }
                    default -> {
                        // FCGI_DATA, GET_VALUES_RESULT, UNKNOWN_TYPE: nothing a responder's web server uses
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            release(false, false);
            return errorAfterStart(
                    context, BAD_GATEWAY, "The FastCGI application sent a malformed response: " + e.getMessage());
        } catch (IOException e) {
            return broken(context, e, "The FastCGI process exited unexpectedly");
        }
    }

    private RequestNotificationStatus finish(
            HttpContext context, CgiResponseHead head, FastCgiRecord end, StringBuilder stderr, boolean streaming) {
        int protocolStatus = end.protocolStatus();
        if (process != null && protocolStatus == FastCgiRecord.REQUEST_COMPLETE) {
            // FCGI_KEEP_CONN: the process keeps the connection open for its next request
            process.keep(connection);
            connection = null;
        } else if (connections != null && protocolStatus == FastCgiRecord.REQUEST_COMPLETE) {
            connections.release(connection, true);
            connection = null;
        }
        release(true, false);
        HttpResponse response = context.response();
        if (protocolStatus != FastCgiRecord.REQUEST_COMPLETE) {
            return errorAfterStart(
                    context,
                    protocolStatus == FastCgiRecord.OVERLOADED
                            ? HttpStatus.SERVICE_UNAVAILABLE
                            : HttpStatus.INTERNAL_SERVER_ERROR,
                    "The FastCGI application refused the request (protocol status " + protocolStatus + ")");
        }
        FastCgiApplication.StderrMode mode =
                app == null ? FastCgiApplication.StderrMode.ReturnStdErrIn500 : app.stderrMode();
        if (stderr != null && !stderr.isEmpty()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "{0} wrote to stderr for {1} {2}: {3}",
                    target,
                    context.request().method(),
                    context.request().rawUrl(),
                    stderr.toString().strip());
            switch (mode) {
                case ReturnStdErrIn500 -> {
                    if (!response.headersSent()) {
                        response.clear();
                        response.setStatus(HttpStatus.INTERNAL_SERVER_ERROR, null, true);
                        response.setHeader("Content-Type", "text/plain; charset=utf-8", true);
                        response.writeEntityChunks(DataChunk.ofUtf8(stderr.toString()));
                        return RequestNotificationStatus.CONTINUE;
                    }
                }
                case ReturnGeneric500, TerminateProcess -> {
                    return errorAfterStart(
                            context,
                            HttpStatus.INTERNAL_SERVER_ERROR,
                            "The FastCGI process wrote to stderr (stderrMode " + mode + ")");
                }
                case IgnoreAndReturn200 -> {
                    // the script's own response stands
                }
            }
        }
        if (!head.isComplete()) {
            return errorAfterStart(
                    context, BAD_GATEWAY, "The FastCGI application ended the request without a complete header block");
        }
        if (streaming) {
            response.flush(true);
        }
        return RequestNotificationStatus.CONTINUE;
    }

    static void applyHead(HttpContext context, CgiResponseHead head) {
        HttpResponse response = context.response();
        Map.Entry<Integer, String> status = head.status();
        String reason = status.getValue().isEmpty() ? reasonPhrase(status.getKey()) : status.getValue();
        response.setStatus(new HttpStatus(status.getKey(), 0, reason));
        for (Map.Entry<String, String> h : head.headers()) {
            String name = h.getKey();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "status", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade" -> {
                    // the server frames the response itself
                }
                case "content-type", "location" -> response.setHeader(name, h.getValue(), true);
                default -> response.setHeader(name, h.getValue(), false);
            }
        }
    }

    private static String reasonPhrase(int code) {
        return switch (code) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + code;
        };
    }

    /** Called on the timer thread when a timeout passed: the blocked read fails and {@link #broken} reports it. */
    private void expire() {
        FastCgiConnection c = connection;
        if (c != null) {
            c.close();
        }
        FastCgiProcess p = process;
        if (p != null) {
            p.stop(Duration.ZERO);
        }
    }

    /** The connection or process failed: the process is replaced, the request gets IIS's 500 (or is dropped mid-response). */
    private RequestNotificationStatus broken(HttpContext context, IOException e, String what) {
        String timedOut = watch == null ? null : watch.expired();
        release(false, timedOut != null || process != null);
        String description = timedOut != null ? timedOut : what + " (" + target + "): " + e.getMessage();
        LOG.log(
                System.Logger.Level.WARNING,
                "{0} {1}: {2}",
                context.request().method(),
                context.request().rawUrl(),
                description);
        return errorAfterStart(context, HttpStatus.INTERNAL_SERVER_ERROR, description);
    }

    static RequestNotificationStatus errorAfterStart(HttpContext context, HttpStatus status, String description) {
        HttpResponse response = context.response();
        if (response.headersSent()) {
            response.resetConnection();
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        return fail(context, status, description);
    }

    static RequestNotificationStatus fail(HttpContext context, HttpStatus status, String description) {
        HttpResponse response = context.response();
        response.clear();
        response.setStatus(status, new IOException(description));
        response.setErrorDescription(description);
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    /** Closes the connection and gives the process back (or stops it). Idempotent. */
    private void release(boolean healthy, boolean failed) {
        if (watch != null) {
            pools.unwatch(watch);
        }
        if (connection != null) {
            if (connections != null) {
                connections.release(connection, false);
            } else {
                connection.close();
            }
            connection = null;
        }
        connections = null;
        if (process != null) {
            pool.release(process, healthy, failed);
            process = null;
        }
        if (borrowed != null) {
            pools.returnBuffers(borrowed);
            borrowed = null;
        }
        if (spool != null) {
            spool.close();
            spool = null;
        }
    }

    @Override
    public void dispose() {
        if (loop != null) {
            loop.dispose();
        }
        release(false, false);
    }
}
