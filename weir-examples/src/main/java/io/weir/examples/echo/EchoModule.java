package io.weir.examples.echo;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpRequest;
import io.weir.api.provider.HttpEventProvider;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Answers {@code 200} with the request's own entity and its {@code Content-Type} (or
 * {@code application/octet-stream}). The entity is read with asynchronous
 * {@link HttpRequest#readEntityBody(ByteBuffer, boolean) readEntityBody}: while nothing has arrived
 * the module returns PENDING and no thread waits; {@link #onAsyncCompletion} receives each completed
 * read on the request's event loop and reads on. Each piece read is appended to the response
 * buffer, which goes out, with a {@code Content-Length}, when the entity has ended. A request
 * without an entity gets an empty {@code 200}. When the entity cannot be read (malformed,
 * over a limit, or the client left) the read fails and the server answers the status the failure
 * carries, as IIS does when {@code ReadEntityBody} fails inside a handler.
 */
final class EchoModule implements HttpModule {

    /** Bytes asked for per read. */
    static final int READ_SIZE = 16 * 1024;

    private final ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);

    EchoModule() {}

    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        String type = context.request().header("Content-Type").orElse("application/octet-stream");
        context.response().setHeader("Content-Type", type, true);
        return readOn(context);
    }

    @Override
    public RequestNotificationStatus onAsyncCompletion(
            HttpContext context,
            RequestNotification notification,
            boolean postNotification,
            HttpEventProvider provider,
            CompletionInfo completionInfo) {
        if (completionInfo.error().isPresent()) {
            Throwable error = completionInfo.error().get();
            if (error instanceof RuntimeException e) {
                throw e;
            }
            throw new IllegalStateException("reading the request entity failed", error);
        }
        long n = completionInfo.completionBytes();
        if (n < 0) {
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        append(context, (int) n);
        return readOn(context);
    }

    /** Reads until a read goes pending or the entity ends. */
    private RequestNotificationStatus readOn(HttpContext context) {
        while (true) {
            buffer.clear();
            int n = context.request().readEntityBody(buffer, true);
            if (n == HttpRequest.READ_PENDING) {
                return RequestNotificationStatus.PENDING;
            }
            if (n < 0) {
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            append(context, n);
        }
    }

    private void append(HttpContext context, int n) {
        if (n > 0) {
            context.response().writeEntityChunks(DataChunk.ofBytes(Arrays.copyOf(buffer.array(), n)));
        }
    }
}
