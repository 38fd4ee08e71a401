package io.weir.server.cache;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The part of a cached response's HTTP/1.1 head that is the same for every request it answers: the
 * status line and the entry's header fields, encoded once when the entry is added, as the transport's
 * response-head writer encodes them (RFC 9112 sections 4 and 5; names as given, one byte per
 * character, {@code ?} above U+00FF; {@code Connection}, {@code Content-Length} and
 * {@code Transfer-Encoding} fields left out, the transport writing its own). What depends on the
 * request or the clock ({@code alt-svc} of a TLS listener, {@code content-length}, {@code connection},
 * {@code date}, the empty line) is written per hit by the transport after these bytes. http.sys keeps
 * its cached responses ready to send in the same way. Immutable.
 */
public final class EncodedHead {

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

    private final byte[] bytes;
    private final boolean hasDate;
    private final boolean hasAltSvc;
    private final boolean close;

    private EncodedHead(byte[] bytes, boolean hasDate, boolean hasAltSvc, boolean close) {
        this.bytes = bytes;
        this.hasDate = hasDate;
        this.hasAltSvc = hasAltSvc;
        this.close = close;
    }

    /**
     * Encodes a head once.
     *
     * @param status  the status code
     * @param reason  the reason phrase
     * @param headers the header fields in order
     * @return the encoded head, or null when the reason phrase, a name or a value is one the
     *         transport refuses (such an entry is answered through the ordinary response path,
     *         which reports it)
     */
    public static EncodedHead of(int status, String reason, List<Map.Entry<String, String>> headers) {
        if (status < 100 || status > 999 || reason == null || reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
            return null;
        }
        StringBuilder text = new StringBuilder(256)
                .append("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(reason)
                .append("\r\n");
        boolean date = false;
        boolean altSvc = false;
        boolean close = false;
        for (Map.Entry<String, String> e : headers) {
            String name = e.getKey();
            String value = e.getValue();
            if (name.equalsIgnoreCase("connection")) {
                close |= value != null && value.equalsIgnoreCase("close");
                continue;
            }
            if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")) {
                continue;
            }
            if (!validName(name) || !validValue(value)) {
                return null;
            }
            date |= name.equalsIgnoreCase("date");
            altSvc |= name.equalsIgnoreCase("alt-svc");
            text.append(name).append(": ").append(value).append("\r\n");
        }
        byte[] out = new byte[text.length()];
        for (int i = 0; i < out.length; i++) {
            char c = text.charAt(i);
            out[i] = c > 0xFF ? (byte) '?' : (byte) c;
        }
        return new EncodedHead(out, date, altSvc, close);
    }

    /** @return the status line and the fields, each line ended by CR LF (a copy) */
    public byte[] bytes() {
        return Arrays.copyOf(bytes, bytes.length);
    }

    /** @return the number of bytes of {@link #bytes()} */
    public int length() {
        return bytes.length;
    }

    /**
     * Appends the encoded bytes to a buffer.
     *
     * @param buf the buffer, with room or able to grow
     */
    public void writeTo(ByteBuf buf) {
        buf.writeBytes(bytes);
    }

    /** @return true when the fields carry a {@code Date} (the transport then writes none) */
    public boolean hasDate() {
        return hasDate;
    }

    /** @return true when the fields carry an {@code Alt-Svc} (a TLS listener's own one replaces it) */
    public boolean hasAltSvc() {
        return hasAltSvc;
    }

    /** @return true when a {@code Connection: close} field asks for the connection to close */
    public boolean close() {
        return close;
    }

    private static boolean validName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0, n = name.length(); i < n; i++) {
            char c = name.charAt(i);
            if (c >= 128 || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean validValue(String value) {
        if (value == null) {
            return false;
        }
        int n = value.length();
        if (n == 0) {
            return true;
        }
        char first = value.charAt(0);
        if (first < 33 || first == 127) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = value.charAt(i);
            if ((c < 32 && c != '\t') || c == 127) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
