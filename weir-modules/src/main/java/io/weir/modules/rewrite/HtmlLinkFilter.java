package io.weir.modules.rewrite;

import io.weir.api.http.DataChunk;
import io.weir.api.http.StoredContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * Rewrites attribute values of chosen HTML tags in a response body as it is sent, one send at a
 * time: each send's bytes are scanned for start tags; a tag cut by the end of a send is held back
 * (at most {@link #MAX_CARRY} bytes; a longer one goes out unchanged) and completed with the next
 * send, so the body is never buffered whole. Comments are passed through untouched. The body is
 * read as bytes: tags and attribute names are ASCII; attribute values are matched and rewritten as
 * UTF-8 text, as written (entities such as {@code &amp;} are not decoded).
 *
 * <p>One instance per response; used on the request's event loop only.
 */
final class HtmlLinkFilter implements StoredContext {

    /** The longest tag held back across sends, in bytes. */
    static final int MAX_CARRY = 64 * 1024;

    private final BiFunction<String, String, String> rewrite;
    private byte[] carry = new byte[0];

    /**
     * @param rewrite given a lower-case "tag attribute" pair ("a href") and the value, returns the
     *                new value or null to keep it
     */
    HtmlLinkFilter(BiFunction<String, String, String> rewrite) {
        this.rewrite = rewrite;
    }

    /**
     * Filters the chunks of one send.
     *
     * @param chunks the chunks of the send, in order (file chunks are read)
     * @param last   whether this is the final send (nothing is held back)
     * @return the bytes to send instead
     */
    byte[] filter(List<DataChunk> chunks, boolean last) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        for (DataChunk c : chunks) {
            switch (c) {
                case DataChunk.Memory m -> {
                    ByteBuffer b = m.buffer().duplicate();
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    in.writeBytes(bytes);
                }
                case DataChunk.File f -> in.writeBytes(read(f));
            }
        }
        return filterText(in.toString(StandardCharsets.ISO_8859_1), last).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Filters the next piece of the body.
     *
     * @param piece the bytes as ISO-8859-1 characters (one per byte)
     * @param last  whether the body ends with this piece (nothing is held back)
     * @return the text to send instead, as ISO-8859-1 characters
     */
    String filterText(String piece, boolean last) {
        String text = carry.length == 0 ? piece : new String(carry, StandardCharsets.ISO_8859_1) + piece;
        StringBuilder out = new StringBuilder(text.length() + 64);
        carry = new byte[0];
        int i = 0;
        int n = text.length();
        while (i < n) {
            int lt = text.indexOf('<', i);
            if (lt < 0) {
                out.append(text, i, n);
                break;
            }
            out.append(text, i, lt);
            if (text.startsWith("<!--", lt)) {
                int end = text.indexOf("-->", lt + 4);
                if (end < 0) {
                    if (holdBack(text, lt, last)) {
                        break;
                    }
                    out.append(text, lt, n);
                    break;
                }
                out.append(text, lt, end + 3);
                i = end + 3;
                continue;
            }
            int end = tagEnd(text, lt + 1);
            if (end < 0) {
                if (holdBack(text, lt, last)) {
                    break;
                }
                out.append(text, lt, n);
                break;
            }
            out.append(rewriteTag(text.substring(lt, end + 1)));
            i = end + 1;
        }
        return out.toString();
    }

    private boolean holdBack(String text, int from, boolean last) {
        if (last || text.length() - from > MAX_CARRY) {
            return false;
        }
        carry = text.substring(from).getBytes(StandardCharsets.ISO_8859_1);
        return true;
    }

    /** @return the index of the '>' closing the tag that starts before {@code from}, or -1 */
    private static int tagEnd(String text, int from) {
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return i;
            }
        }
        return -1;
    }

    /** Rewrites the attributes of one tag ({@code <name ...>}), keeping everything else as written. */
    private String rewriteTag(String tag) {
        int i = 1;
        int n = tag.length();
        while (i < n && isNameChar(tag.charAt(i))) {
            i++;
        }
        if (i == 1) {
            return tag; // an end tag, a declaration or a stray '<'
        }
        String name = tag.substring(1, i).toLowerCase(Locale.ROOT);
        StringBuilder out = null;
        int copied = 0;
        while (i < n) {
            while (i < n && !isNameChar(tag.charAt(i))) {
                i++;
            }
            int attrStart = i;
            while (i < n && isNameChar(tag.charAt(i))) {
                i++;
            }
            if (attrStart == i) {
                break;
            }
            String attribute = tag.substring(attrStart, i).toLowerCase(Locale.ROOT);
            int j = i;
            while (j < n && tag.charAt(j) == ' ') {
                j++;
            }
            if (j >= n || tag.charAt(j) != '=') {
                continue;
            }
            j++;
            while (j < n && tag.charAt(j) == ' ') {
                j++;
            }
            int valueStart;
            int valueEnd;
            if (j < n && (tag.charAt(j) == '"' || tag.charAt(j) == '\'')) {
                valueStart = j + 1;
                valueEnd = tag.indexOf(tag.charAt(j), valueStart);
                if (valueEnd < 0) {
                    break;
                }
                i = valueEnd + 1;
            } else {
                valueStart = j;
                valueEnd = j;
                while (valueEnd < n && !Character.isWhitespace(tag.charAt(valueEnd)) && tag.charAt(valueEnd) != '>') {
                    valueEnd++;
                }
                i = valueEnd;
            }
            String raw = tag.substring(valueStart, valueEnd);
            String value = new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            String replaced = rewrite.apply(name + " " + attribute, value);
            if (replaced != null) {
                if (out == null) {
                    out = new StringBuilder(tag.length() + 32);
                }
                out.append(tag, copied, valueStart)
                        .append(new String(replaced.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
                copied = valueEnd;
            }
        }
        if (out == null) {
            return tag;
        }
        return out.append(tag, copied, n).toString();
    }

    private static boolean isNameChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == ':');
    }

    private static byte[] read(DataChunk.File f) {
        try (FileChannel channel = FileChannel.open(f.path(), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) f.length());
            long position = f.offset();
            while (b.hasRemaining()) {
                int read = channel.read(b, position);
                if (read < 0) {
                    break;
                }
                position += read;
            }
            return b.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Nothing to release. */
    @Override
    public void cleanupStoredContext() {}
}
