package io.weir.modules.fastcgi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A request entity of unknown length (chunked transfer coding) held until it has ended, so that
 * the application gets its {@code CONTENT_LENGTH}, as nginx's request buffering and IIS's FastCGI
 * module give PHP: the first 1 MiB in memory, the rest in a temporary file that {@link #close()}
 * deletes. Not thread-safe: used by one request at a time.
 */
final class BodySpool implements AutoCloseable {

    private static final int MEMORY_LIMIT = 1024 * 1024;

    private byte[] memory = new byte[16 * 1024];
    private int inMemory;
    private FileChannel file;
    private Path path;
    private long length;

    /**
     * Appends the bytes of {@code data}.
     *
     * @param data the bytes, consumed
     * @throws IOException if the temporary file cannot be written
     */
    void append(ByteBuffer data) throws IOException {
        int n = data.remaining();
        length += n;
        if (file == null && inMemory + n <= MEMORY_LIMIT) {
            if (inMemory + n > memory.length) {
                memory = Arrays.copyOf(memory, Math.min(MEMORY_LIMIT, Math.max(memory.length * 2, inMemory + n)));
            }
            data.get(memory, inMemory, n);
            inMemory += n;
            return;
        }
        if (file == null) {
            path = Files.createTempFile("weir-fastcgi-body-", ".tmp");
            file = FileChannel.open(
                    path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        }
        while (data.hasRemaining()) {
            file.write(data);
        }
    }

    /** @return the bytes held */
    long length() {
        return length;
    }

    /**
     * Passes the bytes held to {@code out} in order, in pieces of at most {@code piece.capacity()}.
     *
     * @param piece a buffer to read the file part through
     * @param out   receives each piece (the buffer is reused after it returns)
     * @throws IOException if the file cannot be read or {@code out} fails
     */
    void replay(ByteBuffer piece, PieceSink out) throws IOException {
        if (inMemory > 0) {
            out.accept(ByteBuffer.wrap(memory, 0, inMemory));
        }
        if (file != null) {
            long at = 0;
            while (true) {
                piece.clear();
                int n = file.read(piece, at);
                if (n < 0) {
                    break;
                }
                at += n;
                piece.flip();
                out.accept(piece);
            }
        }
    }

    /** Receives a piece of the entity. */
    interface PieceSink {
        /**
         * @param piece the bytes, valid only during the call
         * @throws IOException if they cannot be passed on
         */
        void accept(ByteBuffer piece) throws IOException;
    }

    /** Drops the bytes and deletes the temporary file. Idempotent. */
    @Override
    public void close() {
        memory = null;
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // DELETE_ON_CLOSE removes it; nothing else to do
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // best effort
            }
            file = null;
        }
    }
}
