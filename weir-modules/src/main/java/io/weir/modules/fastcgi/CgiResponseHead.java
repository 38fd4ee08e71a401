package io.weir.modules.fastcgi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the header block a CGI or FastCGI script writes before its body (RFC 3875 section 6): lines
 * {@code Name: value} ended by LF or CRLF, up to an empty line. Fed incrementally as output
 * arrives; what follows the empty line stays in the buffer given to {@link #feed}.
 */
public final class CgiResponseHead {

    /** The most header bytes accepted before the script's output is refused as malformed. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    // one header line; grows (up to MAX_HEADER_BYTES) only for a long line, so that a request does
    // not allocate and clear 64 KiB for its few short headers
    private byte[] line = new byte[256];
    private int lineLength;
    private int total;
    private boolean complete;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();

    /** Creates an empty parser. */
    public CgiResponseHead() {}

    /**
     * Consumes header bytes from {@code output} up to and including the empty line that ends
     * them.
     *
     * @param output script output; left positioned at the first body byte when the head ends
     * @return true once the header block is complete
     * @throws IllegalArgumentException if the block exceeds {@link #MAX_HEADER_BYTES} or a line
     *                                  has no colon
     */
    public boolean feed(ByteBuffer output) {
        while (!complete && output.hasRemaining()) {
            byte b = output.get();
            if (++total > MAX_HEADER_BYTES) {
                throw new IllegalArgumentException("the script's header block exceeds " + MAX_HEADER_BYTES + " bytes");
            }
            if (b == '\n') {
                int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                if (end == 0) {
                    complete = true;
                } else {
                    addLine(new String(line, 0, end, StandardCharsets.ISO_8859_1));
                }
                lineLength = 0;
            } else {
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, Math.min(line.length * 4, MAX_HEADER_BYTES));
                }
                line[lineLength++] = b;
            }
        }
        return complete;
    }

    private void addLine(String text) {
        if ((text.charAt(0) == ' ' || text.charAt(0) == '\t') && !headers.isEmpty()) {
            Map.Entry<String, String> last = headers.remove(headers.size() - 1);
            headers.add(new SimpleImmutableEntry<>(last.getKey(), last.getValue() + " " + text.strip()));
            return;
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("the script wrote a header line without a colon: "
                    + (text.length() > 80 ? text.substring(0, 80) + "…" : text));
        }
        headers.add(new SimpleImmutableEntry<>(
                text.substring(0, colon).strip(), text.substring(colon + 1).strip()));
    }

    /** @return true once the empty line was read */
    public boolean isComplete() {
        return complete;
    }

    /** @return the header lines in order, names as written (Latin-1) */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /**
     * Returns the status the script asked for: the {@code Status:} header ("404 Not Found"), else
     * 302 when it sent a {@code Location:} (IIS answers a script's Location with a redirect, local
     * paths included), else 200.
     *
     * @return the code and reason phrase
     * @throws IllegalArgumentException if {@code Status:} is not a three-digit code
     */
    public Map.Entry<Integer, String> status() {
        String status = null;
        boolean location = false;
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("status")) {
                status = h.getValue();
            } else if (name.equals("location")) {
                location = true;
            }
        }
        if (status != null) {
            String s = status.strip();
            int space = s.indexOf(' ');
            String code = space < 0 ? s : s.substring(0, space);
            if (code.length() != 3 || !code.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("the script sent an invalid Status header: " + status);
            }
            int value = Integer.parseInt(code);
            if (value < 100) {
                throw new IllegalArgumentException("the script sent an invalid Status header: " + status);
            }
            return new SimpleImmutableEntry<>(
                    value, space < 0 ? "" : s.substring(space + 1).strip());
        }
        return location ? new SimpleImmutableEntry<>(302, "Found") : new SimpleImmutableEntry<>(200, "OK");
    }
}
