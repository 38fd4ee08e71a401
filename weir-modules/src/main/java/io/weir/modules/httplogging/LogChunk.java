package io.weir.modules.httplogging;

import java.util.Arrays;

/**
 * A block of formatted log lines, whole lines only, each ending with CR LF, with the site and the
 * instant of each: filled by one thread (under its {@link LogWriter} slot's lock), then handed to
 * the writer thread as a whole, written, and reused. Lines of different sites may share a block;
 * the writer sends each line to its site's file.
 */
final class LogChunk {

    private final byte[] bytes;
    private final int[] ends;
    private final long[] millis;
    private final SiteLog[] logs;
    private int used;
    private int lines;

    /**
     * @param capacityBytes the bytes a block holds (a longer line gets a block of its own size)
     * @param maxLines      the lines a block holds
     */
    LogChunk(int capacityBytes, int maxLines) {
        this.bytes = new byte[capacityBytes];
        this.ends = new int[maxLines];
        this.millis = new long[maxLines];
        this.logs = new SiteLog[maxLines];
    }

    /**
     * Tells whether a line of this many bytes fits.
     *
     * @param length the line's length, CR LF included
     * @return true when both a line slot and the bytes are free
     */
    boolean fits(int length) {
        return lines < ends.length && used + length <= bytes.length;
    }

    /** @return true when no further line slot is free */
    boolean full() {
        return lines == ends.length;
    }

    /** @return the byte capacity */
    int capacity() {
        return bytes.length;
    }

    /**
     * Appends a line; the caller checked {@link #fits}.
     *
     * @param log     the line's site
     * @param instant the line's instant (epoch milliseconds), which picks its file
     * @param line    the line, CR LF included
     */
    void add(SiteLog log, long instant, W3cLine line) {
        System.arraycopy(line.bytes(), 0, bytes, used, line.length());
        used += line.length();
        ends[lines] = used;
        millis[lines] = instant;
        logs[lines] = log;
        lines++;
    }

    /** @return the number of lines */
    int lines() {
        return lines;
    }

    /** @return true when the block holds no line */
    boolean isEmpty() {
        return lines == 0;
    }

    /** @return the bytes; line {@code i} spans {@link #start(int)} to {@link #end(int)} */
    byte[] bytes() {
        return bytes;
    }

    /**
     * @param i the line's index
     * @return the offset of its first byte
     */
    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    /**
     * @param i the line's index
     * @return the offset after its CR LF
     */
    int end(int i) {
        return ends[i];
    }

    /**
     * @param i the line's index
     * @return its instant, epoch milliseconds
     */
    long millis(int i) {
        return millis[i];
    }

    /**
     * @param i the line's index
     * @return its site's log
     */
    SiteLog log(int i) {
        return logs[i];
    }

    /** Empties the block for reuse. */
    void clear() {
        Arrays.fill(logs, 0, lines, null);
        used = 0;
        lines = 0;
    }
}
