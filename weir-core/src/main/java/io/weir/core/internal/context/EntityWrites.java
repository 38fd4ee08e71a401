package io.weir.core.internal.context;

import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.ScriptMapInfo;
import io.weir.core.internal.handler.HandlerTable;
import io.weir.core.spi.Exchange;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The response's rules for entity writes that IIS's {@code WriteEntityChunks} and {@code Flush}
 * define: a synchronous write copies memory chunks, the buffer is flushed past the handler
 * mapping's {@code responseBufferLimit}, and an asynchronous write or flush completes (the module's
 * {@code onAsyncCompletion}) once the transport has written its bytes.
 */
final class EntityWrites {

    private EntityWrites() {}

    /**
     * Copies a memory chunk's bytes, as IIS copies data it buffers; a read-only buffer is kept (taken
     * as unchanging), a file chunk too.
     */
    static DataChunk copyOf(DataChunk chunk) {
        if (chunk instanceof DataChunk.Memory m && !m.buffer().isReadOnly()) {
            ByteBuffer source = m.buffer();
            byte[] copy = new byte[source.remaining()];
            source.get(source.position(), copy);
            return new DataChunk.Memory(ByteBuffer.wrap(copy).asReadOnlyBuffer());
        }
        return chunk;
    }

    /**
     * @return an unmodifiable copy of the chunks a send hands to the transport; one chunk (the
     *         common case) costs one small list and no array
     */
    static List<DataChunk> sendable(List<DataChunk> chunks) {
        return switch (chunks.size()) {
            case 0 -> List.of();
            case 1 -> List.of(chunks.get(0));
            default -> List.copyOf(chunks);
        };
    }

    /** @return the request's handler mapping's responseBufferLimit in bytes, IIS's 4 MiB default before one is mapped */
    static long bufferLimit(RequestContext root) {
        ScriptMapInfo map = root.handler.scriptMap();
        return map == null ? HandlerTable.DEFAULT_RESPONSE_BUFFER_LIMIT : map.responseBufferLimit();
    }

    /** Refuses an asynchronous write where no module call can wait for its completion. */
    static void checkAsync(RequestContext root, boolean inSendResponse) {
        if (inSendResponse) {
            throw new IllegalStateException("an asynchronous write or flush cannot be made from SEND_RESPONSE");
        }
        if (root.runningChild != null) {
            throw new IllegalStateException("an asynchronous write or flush cannot be made from a child request");
        }
        if (root.pipeline == null) {
            throw new IllegalStateException("an asynchronous write or flush is made from a notification method");
        }
    }

    /**
     * Resumes the module that wrote asynchronously once the transport has written every byte handed
     * to it so far; always in a later event-loop task, after the module returned PENDING.
     */
    static void completeWhenWritten(RequestContext root, Exchange exchange, long bytes) {
        CompletionInfo info = new CompletionInfo(bytes, Optional.empty());
        exchange.onWritten(() -> exchange.eventLoop().execute(() -> root.pipeline.complete(info)));
    }
}
