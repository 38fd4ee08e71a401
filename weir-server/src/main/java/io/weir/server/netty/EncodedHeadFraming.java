package io.weir.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import io.weir.server.cache.EncodedHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Completes an {@link EncodedHead} for one request: after its bytes, the fields
 * {@link Http1ResponseHead} writes after a response's own ({@code alt-svc}, {@code content-length},
 * {@code connection}, {@code date}) in the same order and form, then the empty line and, when small,
 * the body; so that a kernel-style cache hit leaves byte for byte as the same response encoded whole.
 * The encoded bytes go out as they are: nothing is validated or converted per hit.
 */
final class EncodedHeadFraming {

    private static final byte[] ALT_SVC = ascii("alt-svc: ");
    private static final byte[] CONTENT_LENGTH = ascii("content-length: ");
    private static final byte[] CONNECTION_CLOSE = ascii("connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("connection: keep-alive\r\n");
    private static final byte[] DATE = ascii("date: ");
    /** Room for the framing fields and the date (an alt-svc value is added to it). */
    private static final int FRAMING_BYTES = 128;

    private EncodedHeadFraming() {}

    /**
     * Writes the head and, when given, the body into one pooled buffer.
     *
     * @param alloc         the channel's allocator
     * @param head          the encoded status line and fields
     * @param altSvc        the listener's {@code alt-svc} value, or null
     * @param contentLength the entity's length in bytes
     * @param close         true to add {@code connection: close}
     * @param keepAlive     true to add {@code connection: keep-alive} (HTTP/1.0 keeping the connection)
     * @param body          the body to copy after the head (read, not consumed), or null
     * @return the buffer, for the caller to write and the channel to release
     */
    static ByteBuf encode(
            ByteBufAllocator alloc,
            EncodedHead head,
            String altSvc,
            long contentLength,
            boolean close,
            boolean keepAlive,
            ByteBuffer body) {
        int bodyLength = body == null ? 0 : body.remaining();
        ByteBuf buf = alloc.buffer(head.length() + FRAMING_BYTES + (altSvc == null ? 0 : altSvc.length()) + bodyLength);
        try {
            head.writeTo(buf);
            if (altSvc != null) {
                buf.writeBytes(ALT_SVC);
                buf.writeCharSequence(altSvc, StandardCharsets.ISO_8859_1);
                crlf(buf);
            }
            buf.writeBytes(CONTENT_LENGTH);
            decimal(buf, contentLength);
            crlf(buf);
            if (close) {
                buf.writeBytes(CONNECTION_CLOSE);
            } else if (keepAlive) {
                buf.writeBytes(CONNECTION_KEEP_ALIVE);
            }
            if (!head.hasDate()) {
                buf.writeBytes(DATE);
                AsciiString now = HttpDate.now();
                buf.writeBytes(now.array(), now.arrayOffset(), now.length());
                crlf(buf);
            }
            crlf(buf);
            if (body != null) {
                buf.writeBytes(body.duplicate());
            }
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    private static void crlf(ByteBuf buf) {
        buf.writeShort(('\r' << 8) | '\n');
    }

    private static void decimal(ByteBuf buf, long value) {
        if (value < 10) {
            buf.writeByte((int) ('0' + value));
            return;
        }
        decimal(buf, value / 10);
        buf.writeByte((int) ('0' + value % 10));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
