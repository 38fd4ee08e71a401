package io.weir.modules.fastcgi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds the records a web server sends for one request (FastCGI 1.0, responder role, one request
 * per connection) into one growable buffer: {@code FCGI_BEGIN_REQUEST}, the {@code FCGI_PARAMS}
 * stream of name-value pairs, and {@code FCGI_STDIN}. Each stream is split into records of at most
 * 65,535 content bytes padded to 8-byte boundaries, and ended by an empty record. Not thread-safe;
 * reused across requests with {@link #reset()}.
 */
public final class RecordEncoder {

    private byte[] bytes;
    private int length;
    private int paramsStart = -1;

    /** Creates an encoder with a 4 KiB buffer that grows as needed. */
    public RecordEncoder() {
        bytes = new byte[4096];
    }

    /** Drops what was encoded, keeping the buffer. */
    public void reset() {
        length = 0;
        paramsStart = -1;
    }

    /**
     * Appends {@code FCGI_BEGIN_REQUEST} for the responder role.
     *
     * @param keepConnection true to set {@code FCGI_KEEP_CONN}
     * @return this encoder
     */
    public RecordEncoder beginRequest(boolean keepConnection) {
        header(FastCgiRecord.BEGIN_REQUEST, 8, 0);
        ensure(8);
        bytes[length++] = 0;
        bytes[length++] = (byte) FastCgiRecord.ROLE_RESPONDER;
        bytes[length++] = (byte) (keepConnection ? FastCgiRecord.FLAG_KEEP_CONN : 0);
        Arrays.fill(bytes, length, length + 5, (byte) 0);
        length += 5;
        return this;
    }

    /**
     * Appends one name-value pair to the {@code FCGI_PARAMS} stream; the records are cut when the
     * stream is closed with {@link #endParams()}.
     *
     * @param name  the name, Latin-1 (CGI variable names are ASCII)
     * @param value the value, its characters written as UTF-8
     * @return this encoder
     */
    public RecordEncoder param(String name, String value) {
        if (paramsStart < 0) {
            paramsStart = length;
        }
        byte[] n = ascii(name);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        ensure(8 + n.length + v.length);
        length = NameValuePairs.writeLength(bytes, length, n.length);
        length = NameValuePairs.writeLength(bytes, length, v.length);
        System.arraycopy(n, 0, bytes, length, n.length);
        length += n.length;
        System.arraycopy(v, 0, bytes, length, v.length);
        length += v.length;
        return this;
    }

    /**
     * Cuts the pairs appended since the last {@code endParams} into {@code FCGI_PARAMS} records
     * and appends the empty record that ends the stream.
     *
     * @return this encoder
     */
    public RecordEncoder endParams() {
        if (paramsStart >= 0) {
            byte[] pairs = Arrays.copyOfRange(bytes, paramsStart, length);
            length = paramsStart;
            paramsStart = -1;
            stream(FastCgiRecord.PARAMS, ByteBuffer.wrap(pairs));
        }
        header(FastCgiRecord.PARAMS, 0, 0);
        return this;
    }

    /**
     * Appends {@code data} as records of the given stream type (not the ending empty record).
     *
     * @param type the stream, {@link FastCgiRecord#STDIN} or {@link FastCgiRecord#PARAMS}
     * @param data the bytes, consumed
     * @return this encoder
     */
    public RecordEncoder stream(int type, ByteBuffer data) {
        while (data.hasRemaining()) {
            int n = Math.min(data.remaining(), FastCgiRecord.MAX_CONTENT_LENGTH);
            int padding = FastCgiRecord.paddingFor(n);
            header(type, n, padding);
            ensure(n + padding);
            data.get(bytes, length, n);
            length += n;
            Arrays.fill(bytes, length, length + padding, (byte) 0);
            length += padding;
        }
        return this;
    }

    /**
     * Appends the empty record that ends a stream.
     *
     * @param type the stream, for example {@link FastCgiRecord#STDIN}
     * @return this encoder
     */
    public RecordEncoder endStream(int type) {
        header(type, 0, 0);
        return this;
    }

    /**
     * Appends {@code FCGI_ABORT_REQUEST}.
     *
     * @return this encoder
     */
    public RecordEncoder abortRequest() {
        header(FastCgiRecord.ABORT_REQUEST, 0, 0);
        return this;
    }

    /**
     * Returns what was encoded since the last reset, as a view of the internal buffer.
     *
     * @return a buffer from position 0 to the encoded length, valid until the next append or reset
     */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes, 0, length);
    }

    /**
     * Makes the first {@code length} bytes encoded before the last {@link #reset()} the content
     * again, to send them once more (a request retried on a new connection); valid only while
     * nothing was appended since that reset.
     *
     * @param length the length the content had before the reset
     * @throws IllegalStateException if something was appended since, or the length is out of range
     */
    public void restore(int length) {
        if (this.length != 0 || length < 0 || length > bytes.length) {
            throw new IllegalStateException("nothing to restore");
        }
        this.length = length;
    }

    /** @return the number of bytes encoded since the last reset */
    public int length() {
        return length;
    }

    private void header(int type, int contentLength, int padding) {
        ensure(FastCgiRecord.HEADER_LENGTH);
        bytes[length++] = FastCgiRecord.VERSION_1;
        bytes[length++] = (byte) type;
        bytes[length++] = (byte) (FastCgiRecord.REQUEST_ID >> 8);
        bytes[length++] = (byte) FastCgiRecord.REQUEST_ID;
        bytes[length++] = (byte) (contentLength >> 8);
        bytes[length++] = (byte) contentLength;
        bytes[length++] = (byte) padding;
        bytes[length++] = 0;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    private static byte[] ascii(String s) {
        byte[] b = new byte[s.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) s.charAt(i);
        }
        return b;
    }
}
