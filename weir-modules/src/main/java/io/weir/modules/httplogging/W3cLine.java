package io.weir.modules.httplogging;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One W3C extended log line being formatted, as the bytes the file gets, written as IIS writes
 * them: fields separated by one space, {@code -} for an empty or absent value, a space inside a
 * value written as {@code +}. Reused line after line by the thread that owns it (no String, no
 * encoder per line); not thread-safe.
 *
 * <p>Encoding: UTF-8 when the site's log is UTF-8 ({@code log@logInUTF8}, the default), else
 * US-ASCII with {@code ?} for every character ASCII cannot hold (as {@code String.getBytes} would
 * write; a surrogate pair counts as one character).
 *
 * <p>Where IIS is silent Weir chooses: a control character (below U+0020, or U+007F) inside a value
 * is written as {@code %XX} so that a value can never break a line or a field (CR, LF and NUL
 * cannot reach the log anyway: the transport refuses them in the request line and headers); IPv6
 * addresses are written in their RFC 5952 short form ({@code ::1}), as IIS writes them.
 */
final class W3cLine {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final int KEPT_CAPACITY = 4096;

    private byte[] bytes = new byte[512];
    private int length;
    private boolean utf8 = true;
    // the last two addresses written and their text: a connection's requests repeat them
    private InetAddress lastAddress;
    private byte[] lastText;
    private InetAddress previousAddress;
    private byte[] previousText;

    /**
     * Empties the line for the next one.
     *
     * @param utf8 true for UTF-8, false for US-ASCII
     */
    void reset(boolean utf8) {
        if (bytes.length > KEPT_CAPACITY) {
            bytes = new byte[512];
        }
        length = 0;
        this.utf8 = utf8;
    }

    /** @return the bytes; only the first {@link #length()} are the line */
    byte[] bytes() {
        return bytes;
    }

    /** @return the line's length in bytes */
    int length() {
        return length;
    }

    /** @return the line decoded, for tests and messages */
    @Override
    public String toString() {
        return new String(bytes, 0, length, utf8 ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /**
     * Appends one ASCII character as is (a separator, a digit).
     *
     * @param c the character, below U+0080
     * @return this line
     */
    W3cLine ascii(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /**
     * Appends ASCII bytes as they are (a cached date, a field known to hold no space).
     *
     * @param ascii the bytes
     * @return this line
     */
    W3cLine ascii(byte[] ascii) {
        ensure(ascii.length);
        System.arraycopy(ascii, 0, bytes, length, ascii.length);
        length += ascii.length;
        return this;
    }

    /**
     * Appends a number in decimal.
     *
     * @param value the number
     * @return this line
     */
    W3cLine number(long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return ascii(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
            }
            ascii('-');
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits);
        int end = length + digits;
        for (int i = end - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + (int) (value % 10));
            value /= 10;
        }
        length = end;
        return this;
    }

    /**
     * Appends a value: {@code -} when null or empty, spaces as {@code +}, control characters as
     * {@code %XX}, other characters in the line's encoding.
     *
     * @param value the value, may be null
     * @return this line
     */
    W3cLine value(CharSequence value) {
        int n = value == null ? 0 : value.length();
        if (n == 0) {
            return ascii('-');
        }
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c > 0x20 && c < 0x7f) {
                if (length == bytes.length) {
                    ensure(n - i);
                }
                bytes[length++] = (byte) c;
            } else if (c == ' ') {
                ascii('+');
            } else if (c < 0x20 || c == 0x7f) {
                ensure(3);
                bytes[length++] = '%';
                bytes[length++] = HEX[c >> 4];
                bytes[length++] = HEX[c & 0xf];
            } else {
                i = nonAscii(value, i, n);
            }
        }
        return this;
    }

    /** Writes the character at {@code i} (not ASCII); returns the index of its last UTF-16 unit. */
    private int nonAscii(CharSequence value, int i, int n) {
        char c = value.charAt(i);
        int codePoint = c;
        int last = i;
        boolean valid = true;
        if (Character.isHighSurrogate(c)) {
            if (i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                codePoint = Character.toCodePoint(c, value.charAt(i + 1));
                last = i + 1;
            } else {
                valid = false;
            }
        } else if (Character.isLowSurrogate(c)) {
            valid = false;
        }
        if (!utf8 || !valid) {
            ascii('?');
            return last;
        }
        ensure(4);
        if (codePoint < 0x800) {
            bytes[length++] = (byte) (0xc0 | codePoint >> 6);
            bytes[length++] = (byte) (0x80 | codePoint & 0x3f);
        } else if (codePoint < 0x10000) {
            bytes[length++] = (byte) (0xe0 | codePoint >> 12);
            bytes[length++] = (byte) (0x80 | codePoint >> 6 & 0x3f);
            bytes[length++] = (byte) (0x80 | codePoint & 0x3f);
        } else {
            bytes[length++] = (byte) (0xf0 | codePoint >> 18);
            bytes[length++] = (byte) (0x80 | codePoint >> 12 & 0x3f);
            bytes[length++] = (byte) (0x80 | codePoint >> 6 & 0x3f);
            bytes[length++] = (byte) (0x80 | codePoint & 0x3f);
        }
        return last;
    }

    /**
     * Appends an IP address: dotted quad, or the RFC 5952 form of IPv6 (lower case, the longest
     * run of two or more zero groups as {@code ::}, the scope kept after {@code %}).
     *
     * @param address the address, may be null ({@code -})
     * @return this line
     */
    W3cLine address(InetAddress address) {
        if (address == null) {
            return ascii('-');
        }
        if (same(address, lastAddress)) {
            return ascii(lastText);
        }
        if (same(address, previousAddress)) {
            return ascii(previousText);
        }
        int begin = length;
        writeAddress(address);
        previousAddress = lastAddress;
        previousText = lastText;
        lastAddress = address;
        lastText = Arrays.copyOfRange(bytes, begin, length);
        return this;
    }

    /**
     * Whether two addresses have the same text: equal IPv4 addresses (compared without the copy
     * {@code getAddress()} makes; every connection has its own address object), or the same object
     * (IPv6 equality ignores the scope, which the text shows).
     */
    private static boolean same(InetAddress address, InetAddress known) {
        return address == known || address instanceof Inet4Address && address.equals(known);
    }

    private void writeAddress(InetAddress address) {
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    ascii('.');
                }
                number(b[i] & 0xff);
            }
            return;
        }
        if (!(address instanceof Inet6Address v6)) {
            value(address.getHostAddress());
            return;
        }
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength && i - start >= 2) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                ascii(':').ascii(':');
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength) {
                ascii(':');
            }
            hex(groups[i]);
        }
        if (v6.getScopedInterface() != null) {
            ascii('%').value(v6.getScopedInterface().getName());
        } else if (v6.getScopeId() != 0) {
            ascii('%').number(v6.getScopeId());
        }
    }

    private void hex(int group) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int digit = group >> shift & 0xf;
            if (digit != 0 || started || shift == 0) {
                ascii((char) "0123456789abcdef".charAt(digit));
                started = true;
            }
        }
    }

    /**
     * Cuts the line to at most {@code maxChars} UTF-16 characters of its text (IIS's
     * {@code maxLogLineLength}), never inside a character's encoding; a surrogate pair that would be
     * cut in two is dropped whole.
     *
     * @param maxChars the maximum, at least 1
     */
    void truncate(int maxChars) {
        if (length <= maxChars) {
            return; // each character takes at least one byte
        }
        int chars = 0;
        int i = 0;
        while (i < length) {
            int lead = bytes[i] & 0xff;
            int size = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
            int units = size == 4 ? 2 : 1;
            if (chars + units > maxChars) {
                break;
            }
            chars += units;
            i += size;
        }
        length = Math.min(i, length);
    }

    /** Ends the line with CR LF. */
    void endLine() {
        ensure(2);
        bytes[length++] = '\r';
        bytes[length++] = '\n';
    }
}
