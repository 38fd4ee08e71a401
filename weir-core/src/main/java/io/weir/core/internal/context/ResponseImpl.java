package io.weir.core.internal.context;

import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpCachePolicy;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.ResponseHead;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The response of a top-level request (child requests write into their parent's); mirrors
 * {@code IHttpResponse}. Buffered as IIS buffers: chunks accumulate until the final send or a
 * flush, each of which raises SEND_RESPONSE once before anything is written.
 */
final class ResponseImpl implements HttpResponse {

    private final RequestContext root;
    private final Exchange exchange;
    private final String serverHeader;
    private HttpStatus status = HttpStatus.OK;
    private Throwable statusError;
    private boolean trySkipCustomErrors;
    private boolean inSendResponse;
    private final HeaderList headers = new HeaderList();
    private final ArrayList<DataChunk> chunks = new ArrayList<>(2);
    /** The read-only view {@link #entityChunks()} returns: one object per response, not per call. */
    private final List<DataChunk> chunksView = Collections.unmodifiableList(chunks);

    private long buffered;
    /** The memory bytes of {@link #buffered}, checked against the mapping's responseBufferLimit. */
    private long bufferedMemory;

    private boolean headersSent;
    private boolean buffering = true;
    private boolean needDisconnect;
    private boolean reset;
    /** The reset was the engine's (a failure after the headers went out): an orderly close, not a TCP reset. */
    private boolean dropOnly;

    private String errorDescription = "";
    private long bytesSent;
    private final ResponseCachePolicy cachePolicy = new ResponseCachePolicy();
    private boolean suppressEntity;
    /** A flush(false) sent the last entity data; the final send only ends the exchange. */
    private boolean completed;
    /** The final send's SEND_RESPONSE event while a module that returned PENDING holds it. */
    private SendResponseEvent waitingSend;
    /** A flush a SEND_RESPONSE module holds ({@link HeldFlush}); written on the flushing thread, read on the event loop. */
    volatile HeldFlush heldFlush;
    /** True while a blocking thread raises SEND_RESPONSE for a flush (completions wait for it). */
    volatile boolean raisingFlush;

    ResponseImpl(RequestContext root, Exchange exchange, String serverHeader) {
        this.root = root;
        this.exchange = exchange;
        this.serverHeader = serverHeader;
        headers.add("Server", serverHeader);
    }

    private void checkHeadersNotSent() {
        if (headersSent) {
            throw new IllegalStateException("the response headers have already been sent");
        }
    }

    @Override
    public int statusCode() {
        return status.code();
    }

    @Override
    public HttpStatus status() {
        return status;
    }

    @Override
    public void setStatus(HttpStatus newStatus) {
        checkHeadersNotSent();
        this.status = Objects.requireNonNull(newStatus, "status");
        this.statusError = null;
        this.trySkipCustomErrors = false;
        if (newStatus.code() >= 400) {
            RequestErrors.statusSetByCurrentModule(root);
        }
    }

    @Override
    public void setStatus(HttpStatus newStatus, Throwable error) {
        setStatus(newStatus);
        this.statusError = error;
    }

    @Override
    public void setStatus(HttpStatus newStatus, Throwable error, boolean trySkip) {
        setStatus(newStatus);
        this.statusError = error;
        this.trySkipCustomErrors = trySkip;
    }

    @Override
    public boolean trySkipCustomErrors() {
        return trySkipCustomErrors;
    }

    @Override
    public Optional<Throwable> statusError() {
        return Optional.ofNullable(statusError);
    }

    @Override
    public Optional<String> statusModule() {
        return status.code() >= 400 ? Optional.ofNullable(RequestErrors.recordedModule(root)) : Optional.empty();
    }

    @Override
    public Optional<String> statusNotification() {
        return statusModule().isPresent()
                ? Optional.ofNullable(RequestErrors.recordedNotification(root))
                : Optional.empty();
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    @Override
    public List<String> headerNames() {
        return headers.names();
    }

    @Override
    public void setHeader(String name, String value, boolean replace) {
        checkHeadersNotSent();
        HeaderList.validate(name, value);
        if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException(name + " is set by the server from the entity");
        }
        if (replace) {
            headers.set(name, value);
        } else if (name.equalsIgnoreCase("Set-Cookie")) {
            headers.add(name, value);
        } else {
            headers.append(name, value);
        }
    }

    @Override
    public void deleteHeader(String name) {
        checkHeadersNotSent();
        headers.remove(name);
    }

    @Override
    public void clear() {
        clearEntity();
        if (!headersSent) {
            status = HttpStatus.OK;
            statusError = null;
            trySkipCustomErrors = false;
            errorDescription = "";
            clearHeaders();
        }
    }

    @Override
    public void clearEntity() {
        chunks.clear();
        buffered = 0;
        bufferedMemory = 0;
    }

    @Override
    public void clearHeaders() {
        checkHeadersNotSent();
        headers.clear();
        headers.add("Server", serverHeader);
    }

    @Override
    public void writeEntityChunks(DataChunk... newChunks) {
        if (completed) {
            throw new IllegalStateException("the response was completed by flush(false)");
        }
        for (DataChunk c : newChunks) {
            append(EntityWrites.copyOf(Objects.requireNonNull(c, "chunk")));
        }
        if (!inSendResponse && heldFlush == null && (!buffering || bufferedMemory > EntityWrites.bufferLimit(root))) {
            flush(true);
        }
    }

    @Override
    public boolean writeEntityChunks(boolean async, boolean moreData, DataChunk... newChunks) {
        if (!async) {
            writeEntityChunks(newChunks);
            if (!moreData) {
                flush(false);
            }
            return false;
        }
        if (completed) {
            throw new IllegalStateException("the response was completed by flush(false)");
        }
        EntityWrites.checkAsync(root, inSendResponse);
        for (DataChunk c : newChunks) {
            append(Objects.requireNonNull(c, "chunk"));
        }
        return flush(true, moreData);
    }

    @Override
    public boolean flush(boolean async, boolean moreData) {
        if (!async) {
            flush(moreData);
            return false;
        }
        EntityWrites.checkAsync(root, inSendResponse);
        if (reset || completed) {
            return false;
        }
        HeldFlush held = heldFlush;
        if (held != null) { // joins the held send, and completes once it is written
            held.moreData &= moreData;
            held.completesWriter = true;
            return true;
        }
        long before = bytesSent;
        if (!send(false, moreData, null)) {
            EntityWrites.completeWhenWritten(root, exchange, bytesSent - before);
        } else {
            heldFlush.completesWriter = true;
        }
        return true;
    }

    private void append(DataChunk c) {
        chunks.add(c);
        buffered += c.length();
        if (c instanceof DataChunk.Memory) {
            bufferedMemory += c.length();
        }
    }

    @Override
    public List<DataChunk> entityChunks() {
        return chunksView;
    }

    @Override
    public long bufferedEntityLength() {
        return buffered;
    }

    @Override
    public void flush(boolean moreData) {
        if (reset || completed) {
            return;
        }
        HeldFlush held = heldFlush;
        if (held != null) { // the buffered data goes out with the held send
            held.moreData &= moreData;
            return;
        }
        send(false, moreData, null);
    }

    @Override
    public void disableBuffering() {
        buffering = false;
    }

    @Override
    public void redirect(String url, HttpStatus redirectStatus, boolean includeParameters) {
        checkHeadersNotSent();
        ErrorPage.redirect(root, this, url, redirectStatus, includeParameters);
    }

    @Override
    public void setNeedDisconnect() {
        needDisconnect = true;
    }

    @Override
    public boolean needDisconnect() {
        return needDisconnect || reset;
    }

    @Override
    public void resetConnection() {
        reset = true;
    }

    boolean isReset() {
        return reset;
    }

    /** Drops the connection at the end without a further response and without a TCP reset (a failure after the headers went out). */
    void dropConnection() {
        reset = true;
        dropOnly = true;
    }

    private void endByReset() {
        if (dropOnly) {
            exchange.abort();
        } else {
            exchange.reset();
        }
    }

    @Override
    public boolean headersSent() {
        return headersSent;
    }

    @Override
    public void setErrorDescription(String description) {
        errorDescription = description == null ? "" : description;
    }

    @Override
    public String errorDescription() {
        return errorDescription;
    }

    @Override
    public HttpCachePolicy cachePolicy() {
        return cachePolicy;
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public boolean isClientWritable() {
        return exchange.isWritable();
    }

    @Override
    public void onClientWritable(Runnable task) {
        exchange.onWritable(task);
    }

    /** The status line and headers before a child request run with NO_HEADERS. */
    record Head(HttpStatus status, Throwable error, boolean trySkip, List<Map.Entry<String, String>> headers) {}

    /** @return the status and headers now, for {@link #restoreHead} */
    Head snapshotHead() {
        return new Head(status, statusError, trySkipCustomErrors, headers.snapshot());
    }

    /** Puts back the status and headers a child request run with NO_HEADERS changed, when they are not sent yet. */
    void restoreHead(Head head) {
        if (headersSent) {
            return;
        }
        status = head.status();
        statusError = head.error();
        trySkipCustomErrors = head.trySkip();
        headers.restore(head.headers());
    }

    /** Marks the current error status as one custom errors must not replace (a child run with DISABLE_CUSTOM_ERROR). */
    void skipCustomErrors() {
        trySkipCustomErrors = true;
    }

    /** @return true while SEND_RESPONSE runs for a send */
    boolean inSendResponse() {
        return inSendResponse;
    }

    /** Suppresses the entity of the response (HEAD): the length is kept, no body bytes go out. */
    void suppressEntity() {
        suppressEntity = true;
    }

    /**
     * The request's final send: SEND_RESPONSE, then the engine's own error page when an error
     * status still has no entity (no error-page module such as CustomErrorModule supplied one),
     * then the write. A SEND_RESPONSE module that returns PENDING holds the send (the response stays
     * in SEND_RESPONSE, so writes only buffer) until the pipeline calls this again after its completion.
     *
     * @return true when the send waits for a PENDING SEND_RESPONSE module
     */
    boolean finalSend() {
        SendResponseEvent waiting = waitingSend;
        waitingSend = null;
        if (waiting == null && reset) {
            endByReset();
            return false;
        }
        if (waiting == null && completed) {
            exchange.write(null, List.of(), true);
            return false;
        }
        return send(true, false, waiting);
    }

    /** Appends a chunk without flushing, for the engine's own error page. */
    void appendEngineChunk(DataChunk chunk) {
        append(chunk);
    }

    /** @return true when a SEND_RESPONSE module holds the send (the final send's, or a flush's on the event loop) */
    private boolean send(boolean last, boolean moreData, SendResponseEvent waiting) {
        boolean first = !headersSent;
        boolean finalSend = last || !moreData;
        if (root.pipeline != null && root.pipeline.notifications().hasSendResponseModules()) {
            SendResponseEvent event = waiting != null ? waiting : new SendResponseEvent(this, first, finalSend);
            boolean blocking = !last && !exchange.inEventLoop();
            raisingFlush = blocking;
            inSendResponse = true;
            boolean waits = false;
            try {
                waits = waiting != null
                        ? root.pipeline.notifications().continueSend(event)
                        : root.pipeline.notifications().sendResponse(event);
            } finally {
                inSendResponse = waits && last;
                if (waits && !last) {
                    heldFlush = new HeldFlush(event, moreData);
                }
                raisingFlush = false;
            }
            if (waits && last) {
                waitingSend = event;
                return true;
            }
            if (waits) {
                return !blocking || HeldFlush.await(root, heldFlush);
            }
            if (reset) {
                endByReset();
                return false;
            }
            if (event.disconnect()) {
                needDisconnect = true;
            }
        }
        writeOut(first, last, finalSend);
        return false;
    }

    /** Goes on with a held flush whose module completed; on the event loop. @return true when held further */
    boolean sendHeld(HeldFlush held) {
        heldFlush = null;
        if (send(false, held.moreData, held.event)) {
            heldFlush = held;
            return true;
        }
        return false;
    }

    private void writeOut(boolean first, boolean last, boolean finalSend) {
        if (first && last && status.code() >= 400 && buffered == 0) {
            ErrorPage.write(root, this);
        }
        List<DataChunk> out = EntityWrites.sendable(chunks);
        long length = buffered;
        chunks.clear();
        buffered = 0;
        bufferedMemory = 0;
        ResponseHead head = null;
        if (first) {
            String hsts = root.site.strictTransportSecurity();
            if (hsts != null && exchange.isSecure()) {
                // RFC 6797: only over a secure transport; IIS adds it to every response of the site
                headers.set("Strict-Transport-Security", hsts);
            }
            int code = status.code();
            boolean noBody = code < 200 || code == 204 || code == 304;
            long contentLength = finalSend ? (noBody ? 0 : length) : -1;
            head = new ResponseHead(code, status.reason(), headers.entries(), contentLength, needDisconnect);
            headersSent = true;
            if (noBody) {
                out = List.of();
                length = 0;
            }
        }
        if (suppressEntity) {
            out = List.of();
        } else {
            bytesSent += length;
        }
        if (finalSend && !last) {
            completed = true;
        }
        exchange.write(head, out, last);
    }
}
