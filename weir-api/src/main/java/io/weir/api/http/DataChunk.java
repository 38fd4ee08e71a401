package io.weir.api.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A piece of a response entity, in memory or in a file; mirrors IIS's {@code HTTP_DATA_CHUNK}
 * ({@code HttpDataChunkFromMemory}, {@code HttpDataChunkFromFileHandle}).
 *
 * <p>File chunks are sent without copying through the JVM heap (sendfile) when the connection
 * allows it. A synchronous {@link HttpResponse#writeEntityChunks(DataChunk...)} copies the bytes of
 * a memory chunk, as IIS copies buffered data, unless its buffer is read-only (taken as unchanging,
 * and kept by reference); an asynchronous write keeps the buffer by reference until its
 * completion, as IIS does.
 */
public sealed interface DataChunk permits DataChunk.Memory, DataChunk.File {

    /**
     * Returns the number of bytes this chunk contributes to the entity.
     *
     * @return the length in bytes, zero or more
     */
    long length();

    /**
     * A chunk of bytes in memory.
     *
     * @param buffer the bytes between its position and limit; read-only use by the server
     */
    record Memory(ByteBuffer buffer) implements DataChunk {
        /**
         * Validates the buffer.
         *
         * @param buffer the bytes
         * @throws NullPointerException if {@code buffer} is null
         */
        public Memory {
            Objects.requireNonNull(buffer, "buffer");
        }

        @Override
        public long length() {
            return buffer.remaining();
        }
    }

    /**
     * A byte range of a file, sent zero-copy where possible. The file is opened when the response
     * is sent; if it has vanished or shrunk by then, the connection is closed.
     *
     * @param path   the absolute path of the file
     * @param offset the first byte, zero or more
     * @param length the number of bytes, zero or more
     */
    record File(Path path, long offset, long length) implements DataChunk {
        /**
         * Validates the range.
         *
         * @param path   the file
         * @param offset the first byte
         * @param length the number of bytes
         * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
         */
        public File {
            Objects.requireNonNull(path, "path");
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
            }
        }
    }

    /**
     * Wraps bytes in a memory chunk, without copying.
     *
     * @param bytes the bytes; not to be changed afterwards
     * @return the chunk
     */
    static DataChunk ofBytes(byte[] bytes) {
        return new Memory(ByteBuffer.wrap(bytes));
    }

    /**
     * Encodes text as UTF-8 into a memory chunk; its buffer is read-only (nobody else holds the
     * bytes), so a write keeps it without a copy.
     *
     * @param text the text
     * @return the chunk
     */
    static DataChunk ofUtf8(String text) {
        return new Memory(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
    }

    /**
     * Makes a chunk of a whole file.
     *
     * @param path   the file
     * @param length its size in bytes
     * @return the chunk
     */
    static DataChunk ofFile(Path path, long length) {
        return new File(path, 0, length);
    }
}
