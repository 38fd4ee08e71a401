package io.weir.server.netty;

import io.netty.buffer.ByteBuf;

/**
 * The chunked transfer coding's grammar (RFC 9112 section 7.1), checked byte by byte ahead of
 * Netty's decoder, which stops reading a chunk-size line at the first {@code ;} and ignores the
 * extensions after it. Here every chunk line must be
 * {@code chunk-size *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] ) CRLF}
 * (section 7.1.1) and no longer than the header-line limit; a bare {@code ;}, an empty name, a
 * control character or an unterminated quoted string is refused, as nginx, Jetty and http.sys do.
 * Chunk data is skipped by its size; trailer lines are only measured (Netty checks their syntax).
 *
 * <p>One instance follows one message body; {@link #scan} may be called with any split of the
 * bytes and resumes where the previous call stopped. Used for requests by the transport's decoder
 * and for backend responses by the outbound connector's.
 */
public final class ChunkedSyntax {

    private static final int SIZE_FIRST = 0;
    private static final int SIZE = 1;
    private static final int BEFORE_SEMICOLON = 2;
    private static final int NAME_FIRST = 3;
    private static final int NAME = 4;
    private static final int AFTER_NAME = 5;
    private static final int VALUE_FIRST = 6;
    private static final int TOKEN_VALUE = 7;
    private static final int QUOTED = 8;
    private static final int QUOTED_PAIR = 9;
    private static final int AFTER_VALUE = 10;
    private static final int SIZE_LF = 11;
    private static final int DATA = 12;
    private static final int DATA_CR = 13;
    private static final int DATA_LF = 14;
    private static final int TRAILER_FIRST = 15;
    private static final int TRAILER = 16;
    private static final int LAST_LF = 17;
    private static final int DONE = 18;
    private static final int FAILED = 19;

    private final int maxLineLength;
    private int state = SIZE_FIRST;
    private long size;
    private long remaining;
    private int lineLength;
    private String error;

    /** @param maxLineLength the longest chunk line or trailer line accepted, in bytes without CRLF */
    public ChunkedSyntax(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    /** @return true once the body's last CRLF has been scanned */
    public boolean done() {
        return state == DONE;
    }

    /** @return why the body is malformed, or null while it is not */
    public String error() {
        return error;
    }

    /**
     * Scans {@code buffer}'s bytes from {@code from} to {@code to}.
     *
     * @return where scanning stopped: {@code to}, or the index just after the body's end, or the
     *         index of the first invalid byte (then {@link #error()} says why)
     */
    public int scan(ByteBuf buffer, int from, int to) {
        int i = from;
        while (i < to && state != DONE && state != FAILED) {
            if (state == DATA) {
                int n = (int) Math.min(remaining, to - i);
                remaining -= n;
                i += n;
                if (remaining == 0) {
                    state = DATA_CR;
                }
                continue;
            }
            int b = buffer.getByte(i) & 0xFF;
            if (state != DATA_CR && state != DATA_LF && b != '\r' && b != '\n' && ++lineLength > maxLineLength) {
                return fail(i, "chunk line longer than " + maxLineLength + " bytes");
            }
            if (!step(b)) {
                return i;
            }
            i++;
        }
        return i;
    }

    private boolean step(int b) {
        switch (state) {
            case SIZE_FIRST -> {
                if (hex(b) < 0) {
                    return failed("chunk size does not start with a hex digit");
                }
                size = hex(b);
                state = SIZE;
            }
            case SIZE -> {
                if (hex(b) >= 0) {
                    if (size > (Long.MAX_VALUE >> 4)) {
                        return failed("chunk size overflow");
                    }
                    size = (size << 4) | hex(b);
                } else if (b == ';') {
                    state = NAME_FIRST;
                } else if (b == ' ' || b == '\t') {
                    state = BEFORE_SEMICOLON;
                } else if (b == '\r') {
                    state = SIZE_LF;
                } else {
                    return failed("invalid character in chunk size");
                }
            }
            case BEFORE_SEMICOLON -> {
                if (b == ';') {
                    state = NAME_FIRST;
                } else if (b != ' ' && b != '\t') {
                    return failed("whitespace in a chunk line not followed by an extension");
                }
            }
            case NAME_FIRST -> {
                if (token(b)) {
                    state = NAME;
                } else if (b != ' ' && b != '\t') {
                    return failed("chunk extension without a name");
                }
            }
            case NAME -> {
                if (b == '=') {
                    state = VALUE_FIRST;
                } else if (b == ' ' || b == '\t') {
                    state = AFTER_NAME;
                } else if (!token(b)) {
                    return endOfExtension(b);
                }
            }
            case AFTER_NAME -> {
                if (b == '=') {
                    state = VALUE_FIRST;
                } else if (b != ' ' && b != '\t') {
                    return endOfExtension(b);
                }
            }
            case VALUE_FIRST -> {
                if (b == '"') {
                    state = QUOTED;
                } else if (token(b)) {
                    state = TOKEN_VALUE;
                } else if (b != ' ' && b != '\t') {
                    return failed("chunk extension without a value after '='");
                }
            }
            case TOKEN_VALUE -> {
                if (b == ' ' || b == '\t') {
                    state = AFTER_VALUE;
                } else if (!token(b)) {
                    return endOfExtension(b);
                }
            }
            case QUOTED -> {
                if (b == '"') {
                    state = AFTER_VALUE;
                } else if (b == '\\') {
                    state = QUOTED_PAIR;
                } else if (b != '\t' && (b < 0x20 || b == 0x7F)) {
                    return failed("control character in a quoted chunk extension");
                }
            }
            case QUOTED_PAIR -> {
                if (b != '\t' && (b < 0x20 || b == 0x7F)) {
                    return failed("control character in a quoted chunk extension");
                }
                state = QUOTED;
            }
            case AFTER_VALUE -> {
                if (b != ' ' && b != '\t') {
                    return endOfExtension(b);
                }
            }
            case SIZE_LF -> {
                if (b != '\n') {
                    return failed("chunk line not ended by CRLF");
                }
                lineLength = 0;
                if (size == 0) {
                    state = TRAILER_FIRST;
                } else {
                    remaining = size;
                    state = DATA;
                }
            }
            case DATA_CR -> {
                if (b != '\r') {
                    return failed("chunk data not followed by CRLF");
                }
                state = DATA_LF;
            }
            case DATA_LF -> {
                if (b != '\n') {
                    return failed("chunk data not followed by CRLF");
                }
                lineLength = 0;
                state = SIZE_FIRST;
            }
            case TRAILER_FIRST -> {
                if (b == '\n') {
                    return failed("bare LF in the trailer section");
                }
                state = b == '\r' ? LAST_LF : TRAILER;
            }
            case TRAILER -> {
                if (b == '\n') {
                    lineLength = 0;
                    state = TRAILER_FIRST;
                }
            }
            case LAST_LF -> {
                if (b != '\n') {
                    return failed("trailer section not ended by CRLF");
                }
                state = DONE;
            }
            default -> throw new IllegalStateException("state " + state);
        }
        return true;
    }

    /** After an extension's name or value: another extension, the end of the line, or an error. */
    private boolean endOfExtension(int b) {
        if (b == ';') {
            state = NAME_FIRST;
        } else if (b == '\r') {
            state = SIZE_LF;
        } else {
            return failed("invalid character in a chunk extension");
        }
        return true;
    }

    private boolean failed(String reason) {
        state = FAILED;
        error = reason;
        return false;
    }

    private int fail(int at, String reason) {
        failed(reason);
        return at;
    }

    private static int hex(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** RFC 9110 section 5.6.2's tchar. */
    private static boolean token(int b) {
        if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
            return true;
        }
        return switch (b) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }
}
