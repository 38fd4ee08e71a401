package io.weir.modules.fastcgi;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads FastCGI 1.0 records from a {@link FastCgiConnection}, dropping padding. Its buffer holds
 * the largest record (8 + 65,535 + 255 bytes), so a record's content is returned as a view of it
 * without copying; the view is valid until the next {@link #next()}. Not thread-safe; reusable
 * across connections with {@link #reset()}.
 */
public final class RecordReader {

    private final ByteBuffer buffer =
            ByteBuffer.allocate(FastCgiRecord.HEADER_LENGTH + FastCgiRecord.MAX_CONTENT_LENGTH + 255);
    private FastCgiConnection connection;

    /** Creates a reader with an empty buffer; {@link #reset(FastCgiConnection)} attaches it. */
    public RecordReader() {
        buffer.flip();
    }

    /**
     * Attaches the reader to a connection, dropping anything buffered from the previous one.
     *
     * @param from the connection to read
     * @return this reader
     */
    public RecordReader reset(FastCgiConnection from) {
        this.connection = from;
        buffer.clear().flip();
        return this;
    }

    /**
     * Reads the next record, blocking the calling thread (a virtual thread) until it is whole.
     *
     * @return the record; its content is a view of this reader's buffer
     * @throws EOFException if the application closed the connection before or inside a record
     * @throws IOException  if reading fails or the record is not FastCGI version 1
     */
    public FastCgiRecord next() throws IOException {
        fill(FastCgiRecord.HEADER_LENGTH);
        int at = buffer.position();
        int version = buffer.get(at) & 0xFF;
        if (version != FastCgiRecord.VERSION_1) {
            throw new IOException("not a FastCGI 1.0 record (version byte " + version + ")");
        }
        int type = buffer.get(at + 1) & 0xFF;
        int requestId = ((buffer.get(at + 2) & 0xFF) << 8) | (buffer.get(at + 3) & 0xFF);
        int contentLength = ((buffer.get(at + 4) & 0xFF) << 8) | (buffer.get(at + 5) & 0xFF);
        int padding = buffer.get(at + 6) & 0xFF;
        fill(FastCgiRecord.HEADER_LENGTH + contentLength + padding);
        int start = buffer.position() + FastCgiRecord.HEADER_LENGTH;
        ByteBuffer content = buffer.slice(start, contentLength);
        buffer.position(start + contentLength + padding);
        return new FastCgiRecord(type, requestId, content);
    }

    private void fill(int needed) throws IOException {
        if (buffer.remaining() >= needed) {
            return;
        }
        buffer.compact();
        while (buffer.position() < needed) {
            int n = connection.read(buffer);
            if (n < 0) {
                buffer.flip();
                throw new EOFException("the FastCGI application closed the connection"
                        + (buffer.hasRemaining() ? " inside a record" : ""));
            }
        }
        buffer.flip();
    }
}
