package io.weir.examples.streaming;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import java.nio.ByteBuffer;

/**
 * Answers with a generated entity of {@code ?bytes=N} bytes (1 GiB by default): a repeating
 * pattern of the letters a to z, so a client can check every byte. It writes the entity in
 * pieces of {@value #PIECE} bytes with asynchronous {@code writeEntityChunks}: each write returns
 * with its completion pending, the module returns PENDING, and {@link #onAsyncCompletion} runs once
 * the connection has taken the piece, refills the same buffer and writes the next. The module
 * therefore produces no faster than the client reads and holds one buffer, whatever the size; the
 * same loop written with synchronous writes would queue the whole entity in the server's memory
 * for a slow client. This is IIS's {@code WriteEntityChunks(fAsync = TRUE)} pattern.
 */
final class GeneratedStreamModule implements HttpModule {

    /** The size of each write, in bytes. */
    static final int PIECE = 256 * 1024;

    /** The entity's size without {@code ?bytes=}, in bytes. */
    static final long DEFAULT_BYTES = 1L << 30;

    private final byte[] piece = new byte[PIECE];
    private long remaining;
    private long offset;
    private boolean finalSendPending;

    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        try {
            remaining = requestedBytes(context.request().queryString());
        } catch (NumberFormatException e) {
            context.response().setStatus(new HttpStatus(400, 0, "Bad Request"));
            context.response().writeEntityChunks(DataChunk.ofUtf8("bytes must be a non-negative number\n"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        context.response().setHeader("Content-Type", "application/octet-stream", true);
        return writeNext(context);
    }

    @Override
    public RequestNotificationStatus onAsyncCompletion(
            HttpContext context,
            RequestNotification notification,
            boolean postNotification,
            HttpEventProvider provider,
            CompletionInfo completionInfo) {
        if (completionInfo.error().isPresent() || !context.connection().isConnected() || finalSendPending) {
            return RequestNotificationStatus.FINISH_REQUEST; // done, or the client went away
        }
        return writeNext(context);
    }

    private RequestNotificationStatus writeNext(HttpContext context) {
        if (remaining == 0) {
            finalSendPending = true;
            return context.response().flush(true, false)
                    ? RequestNotificationStatus.PENDING
                    : RequestNotificationStatus.FINISH_REQUEST;
        }
        int n = (int) Math.min(PIECE, remaining);
        for (int i = 0; i < n; i++) {
            piece[i] = (byte) ('a' + (offset + i) % 26);
        }
        offset += n;
        remaining -= n;
        context.response().writeEntityChunks(true, true, new DataChunk.Memory(ByteBuffer.wrap(piece, 0, n)));
        return RequestNotificationStatus.PENDING;
    }

    static long requestedBytes(String query) {
        for (String pair : query.split("&")) {
            if (pair.startsWith("bytes=")) {
                long n = Long.parseLong(pair.substring("bytes=".length()));
                if (n < 0) {
                    throw new NumberFormatException("negative: " + n);
                }
                return n;
            }
        }
        return DEFAULT_BYTES;
    }
}
