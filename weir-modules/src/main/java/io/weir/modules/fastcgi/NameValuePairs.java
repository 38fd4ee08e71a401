package io.weir.modules.fastcgi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The FastCGI 1.0 name-value pair encoding used by {@code FCGI_PARAMS} and
 * {@code FCGI_GET_VALUES[_RESULT]}: each length is one byte when under 128, else four bytes with
 * the high bit set (31-bit lengths), then the name bytes and the value bytes.
 */
public final class NameValuePairs {

    private NameValuePairs() {}

    /**
     * Writes one length in the pair encoding.
     *
     * @param target where to write; must have room for 4 bytes at {@code at}
     * @param at     the offset
     * @param length the length, 0 to 2^31-1
     * @return the offset after the written bytes
     */
    static int writeLength(byte[] target, int at, int length) {
        if (length < 128) {
            target[at] = (byte) length;
            return at + 1;
        }
        target[at] = (byte) ((length >>> 24) | 0x80);
        target[at + 1] = (byte) (length >>> 16);
        target[at + 2] = (byte) (length >>> 8);
        target[at + 3] = (byte) length;
        return at + 4;
    }

    /**
     * Decodes a whole sequence of pairs, names and values as UTF-8.
     *
     * @param content the bytes, consumed
     * @return the pairs in order
     * @throws IllegalArgumentException if a length runs past the end of {@code content}
     */
    public static List<Map.Entry<String, String>> decode(ByteBuffer content) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        while (content.hasRemaining()) {
            int nameLength = readLength(content);
            int valueLength = readLength(content);
            if (nameLength > content.remaining() || valueLength > content.remaining() - nameLength) {
                throw new IllegalArgumentException("name-value pair runs past the end of the content");
            }
            byte[] name = new byte[nameLength];
            content.get(name);
            byte[] value = new byte[valueLength];
            content.get(value);
            pairs.add(new SimpleImmutableEntry<>(
                    new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8)));
        }
        return pairs;
    }

    private static int readLength(ByteBuffer content) {
        if (!content.hasRemaining()) {
            throw new IllegalArgumentException("name-value pair length missing");
        }
        int first = content.get() & 0xFF;
        if (first < 128) {
            return first;
        }
        if (content.remaining() < 3) {
            throw new IllegalArgumentException("four-byte name-value pair length cut short");
        }
        return ((first & 0x7F) << 24)
                | ((content.get() & 0xFF) << 16)
                | ((content.get() & 0xFF) << 8)
                | (content.get() & 0xFF);
    }
}
