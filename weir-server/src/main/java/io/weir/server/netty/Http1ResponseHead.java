package io.weir.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import io.weir.api.http.DataChunk;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An HTTP/1.1 response head (RFC 9112 section 4 and 5) written from Weir's header list straight into
 * one pooled buffer, with a small body after it: the bytes Netty's {@code HttpResponseEncoder}
 * writes for the same response, without its {@code HttpResponse} and {@code HttpHeaders} objects.
 *
 * <p>The checks are those of Netty's validating header factory and status: a field name must be a
 * token (RFC 9110 section 5.1), a field value must not start with whitespace or contain a control
 * character other than HTAB (no CR or LF, so no response splitting), a reason phrase must not
 * contain CR or LF. Characters are written as Netty writes them: one byte each, {@code ?} for a
 * character above U+00FF.
 */
final class Http1ResponseHead {

    private static final byte[] HTTP_1_1 = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    /** RFC 9110 tchar, by ASCII code. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    /** What the transport adds to the module's fields. */
    record Framing(String altSvc, long contentLength, boolean close, boolean keepAlive) {}

    private Http1ResponseHead() {}

    /**
     * Writes the status line, the module's fields (without Connection, Content-Length and
     * Transfer-Encoding, and without Alt-Svc when the transport sets it), then {@code alt-svc},
     * {@code content-length}, {@code connection} and {@code date} (unless the module set one), the
     * empty line, and the body.
     *
     * @param alloc   the channel's allocator
     * @param status  the status code
     * @param reason  the reason phrase
     * @param fields  the module's header fields, in order
     * @param framing what the transport adds
     * @param body    the body, in-memory chunks only (read, not consumed), or null for none
     * @param bodyLength the body's length in bytes (the scratch array grows to it once)
     * @return the buffer, for the caller to write and the channel to release
     * @throws IllegalArgumentException when a name, a value or the reason phrase is invalid
     */
    static ByteBuf encode(
            ByteBufAllocator alloc,
            int status,
            String reason,
            List<Map.Entry<String, String>> fields,
            Framing framing,
            List<DataChunk> body,
            int bodyLength) {
        checkReason(status, reason);
        Scratch head = SCRATCH.get();
        head.length = 0;
        head.bytes(HTTP_1_1);
        head.decimal(status);
        head.ascii(" ");
        head.ascii(reason);
        head.crlf();
        boolean date = false;
        for (int i = 0, n = fields.size(); i < n; i++) {
            Map.Entry<String, String> e = fields.get(i);
            String name = e.getKey();
            if (name.equalsIgnoreCase("connection")
                    || name.equalsIgnoreCase("content-length")
                    || name.equalsIgnoreCase("transfer-encoding")
                    || framing.altSvc() != null && name.equalsIgnoreCase("alt-svc")) {
                continue;
            }
            date |= name.equalsIgnoreCase("date");
            field(head, name, e.getValue());
        }
        if (framing.altSvc() != null) {
            field(head, "alt-svc", framing.altSvc());
        }
        if (framing.contentLength() >= 0) {
            head.bytes(CONTENT_LENGTH);
            head.decimal(framing.contentLength());
            head.crlf();
        }
        if (framing.close()) {
            head.bytes(CONNECTION_CLOSE);
        } else if (framing.keepAlive()) {
            head.bytes(CONNECTION_KEEP_ALIVE);
        }
        if (!date) {
            head.bytes(DATE);
            AsciiString now = HttpDate.now();
            head.bytes(now.array(), now.arrayOffset(), now.length());
            head.crlf();
        }
        head.crlf();
        if (body != null) {
            head.ensure(bodyLength);
            // the body joins the head in the scratch array: one copy into the pooled buffer, and no
            // ByteBuffer view per chunk (a read-only buffer has no accessible array)
            for (int i = 0, n = body.size(); i < n; i++) {
                head.bytes(((DataChunk.Memory) body.get(i)).buffer());
            }
        }
        ByteBuf buf = alloc.buffer(head.length);
        try {
            buf.writeBytes(head.bytes, 0, head.length);
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /**
     * The thread's array the head is composed in before one copy into the pooled buffer (plain
     * array stores instead of a bounds-checked buffer write per byte). A head is composed and
     * copied within one call, so one array per thread serves every connection of its event loop.
     */
    private static final class Scratch {
        byte[] bytes = new byte[1024];
        int length;

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        void bytes(byte[] b) {
            bytes(b, 0, b.length);
        }

        void bytes(byte[] b, int offset, int count) {
            ensure(count);
            System.arraycopy(b, offset, bytes, length, count);
            length += count;
        }

        /** The buffer's remaining bytes, read with absolute gets (its position is left alone). */
        void bytes(ByteBuffer b) {
            int count = b.remaining();
            ensure(count);
            b.get(b.position(), bytes, length, count);
            length += count;
        }

        void crlf() {
            ensure(2);
            bytes[length++] = '\r';
            bytes[length++] = '\n';
        }

        /** One byte per character, {@code ?} above U+00FF, as Netty's encoder writes them. */
        void ascii(String s) {
            int n = s.length();
            ensure(n);
            byte[] b = bytes;
            int at = length;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                b[at++] = c > 0xFF ? (byte) '?' : (byte) c;
            }
            length = at;
        }

        void decimal(long value) {
            ensure(20);
            if (value < 0) {
                bytes[length++] = '-';
                value = -value;
            }
            int digits = 1;
            for (long v = value / 10; v > 0; v /= 10) {
                digits++;
            }
            int at = length + digits;
            for (int i = 1; i <= digits; i++) {
                bytes[at - i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            length = at;
        }
    }

    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    private static final byte[] CONTENT_LENGTH = ascii("content-length: ");
    private static final byte[] CONNECTION_CLOSE = ascii("connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("connection: keep-alive\r\n");
    private static final byte[] DATE = ascii("date: ");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void field(Scratch head, String name, String value) {
        checkName(name);
        checkValue(name, value);
        head.ascii(name);
        head.ensure(2);
        head.bytes[head.length++] = ':';
        head.bytes[head.length++] = ' ';
        head.ascii(value);
        head.crlf();
    }

    private static void checkReason(int status, String reason) {
        if (status < 0) {
            throw new IllegalArgumentException("status code " + status);
        }
        if (reason == null) {
            throw new IllegalArgumentException("no reason phrase");
        }
        for (int i = 0, n = reason.length(); i < n; i++) {
            char c = reason.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException("the reason phrase contains CR or LF");
            }
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0, n = name.length(); i < n; i++) {
            char c = name.charAt(i);
            if (c >= 128 || !TCHAR[c]) {
                throw new IllegalArgumentException(
                        "header name " + name + " has a prohibited character 0x" + Integer.toHexString(c));
            }
        }
    }

    private static void checkValue(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("header " + name + " has no value");
        }
        int n = value.length();
        if (n == 0) {
            return;
        }
        char first = value.charAt(0);
        if (first < 33 || first == 127) {
            throw invalidValue(name, first);
        }
        for (int i = 1; i < n; i++) {
            char c = value.charAt(i);
            if ((c < 32 && c != '\t') || c == 127) {
                throw invalidValue(name, c);
            }
        }
    }

    private static IllegalArgumentException invalidValue(String name, char c) {
        return new IllegalArgumentException(
                "the value of header " + name + " has a prohibited character 0x" + Integer.toHexString(c));
    }
}
