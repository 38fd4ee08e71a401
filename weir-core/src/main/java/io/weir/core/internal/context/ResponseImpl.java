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
final class ResponseImpl implements HttpResponse, HttpCachePolicy {

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
    private boolean kernelCache = true;
    private List<String> varyBy;
    private boolean suppressEntity;
    /** A flush(false) sent the last entity data; the final send only ends the exchange. */
    private boolean completed;
    /** The final send's SEND_RESPONSE event while a module that returned PENDING holds it. */
    private SendResponseEvent waitingSend;

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
        chunks.clear();
        buffered = 0;
        bufferedMemory = 0;
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
        if (!inSendResponse && (!buffering || bufferedMemory > EntityWrites.bufferLimit(root))) {
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
        long before = bytesSent;
        send(false, moreData, null);
        EntityWrites.completeWhenWritten(root, exchange, bytesSent - before);
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
        send(false, moreData, null);
    }

    @Override
    public void disableBuffering() {
        buffering = false;
    }

    @Override
    public void redirect(String url, HttpStatus redirectStatus, boolean includeParameters) {
        checkHeadersNotSent();
        String target = url;
        if (includeParameters && !root.request().queryString().isEmpty()) {
            target += (target.indexOf('?') < 0 ? "?" : "&") + root.request().queryString();
        }
        if (target.startsWith("/")) {
            String host = root.request()
                    .header("Host")
                    .orElse(root.request().localAddress().getHostString());
            target = (root.connection().isSecure() ? "https://" : "http://") + host + target;
        }
        clear();
        setStatus(redirectStatus);
        setHeader("Location", target, true);
        setHeader("Content-Type", "text/html; charset=UTF-8", true);
        String escaped = ErrorPage.escape(target);
        writeEntityChunks(DataChunk.ofUtf8("<head><title>Document Moved</title></head>\n<body><h1>Object Moved</h1>"
                + "This document may be found <a href=\"" + escaped + "\">here</a></body>"));
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
        return this;
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

    @Override
    public void disableKernelCache() {
        kernelCache = false;
    }

    @Override
    public boolean isKernelCacheEnabled() {
        return kernelCache;
    }

    @Override
    public void appendVaryByHeader(String header) {
        if (varyBy == null) {
            varyBy = new ArrayList<>(2);
        }
        varyBy.add(header);
    }

    @Override
    public List<String> varyByHeaders() {
        return varyBy == null ? List.of() : Collections.unmodifiableList(varyBy);
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

    private boolean send(boolean last, boolean moreData, SendResponseEvent waiting) {
        boolean first = !headersSent;
        boolean finalSend = last || !moreData;
        if (root.pipeline != null && root.pipeline.notifications().hasSendResponseModules()) {
            SendResponseEvent event = waiting != null ? waiting : new SendResponseEvent(this, first, finalSend);
            inSendResponse = true;
            boolean waits = false;
            try {
                waits = waiting != null
                        ? root.pipeline.notifications().continueSend(event)
                        : root.pipeline.notifications().sendResponse(event, last);
            } finally {
                inSendResponse = waits;
            }
            if (waits) {
                waitingSend = event;
                return true;
            }
            if (reset) {
                endByReset();
                return false;
            }
            if (event.disconnect()) {
                needDisconnect = true;
            }
        }
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
        return false;
    }
}
