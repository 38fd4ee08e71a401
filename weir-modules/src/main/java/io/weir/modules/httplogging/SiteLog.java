package io.weir.modules.httplogging;

import io.weir.api.http.StoredContext;
import io.weir.modules.httplogging.LogFileSettings.LogPeriod;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The W3C log of one site: its settings (immutable, read by the event loops that format lines) and
 * its open file (touched only by the writer thread). Kept in the site's module context container.
 *
 * <p>The file is opened when the first line for it is written, appending to a file of the same name
 * if one exists, and starts with IIS's directives ({@code #Software}, {@code #Version: 1.0},
 * {@code #Date} of the opening, {@code #Fields}), written each time the file is opened, as IIS does
 * after a restart. Lines end with CR LF. Bytes are gathered in a 64 KiB buffer holding whole lines
 * only and written with one {@code write} per buffer, so that two processes appending to one file
 * never split each other's lines.
 */
final class SiteLog implements StoredContext {

    private static final int BUFFER_BYTES = 64 * 1024;

    /** The log of a site that writes no W3C file (disabled, another format, or ETW only). */
    static final SiteLog NONE = new SiteLog();

    private final boolean enabled;
    private final String siteName;
    private final LogFileSettings settings;
    private final Path folder;
    private final ZoneId zone;
    private final boolean utf8;
    private final Charset charset;
    private final LogField[] fields;
    private final CustomField[] customFields;
    private final String fieldsDirective;

    // writer-thread state
    private FileChannel channel;
    private Path path;
    private long periodEnd = Long.MIN_VALUE;
    private long size;
    private int sequence;
    private ByteBuffer buffer;
    private long retryAtMillis = Long.MIN_VALUE;
    private long lastMillis;
    private int bufferedLines;
    private long lostLines;

    private SiteLog() {
        this.enabled = false;
        this.siteName = "";
        this.settings = null;
        this.folder = null;
        this.zone = ZoneOffset.UTC;
        this.utf8 = true;
        this.charset = StandardCharsets.UTF_8;
        this.fields = new LogField[0];
        this.customFields = new CustomField[0];
        this.fieldsDirective = "";
    }

    /**
     * @param siteId   the site's id
     * @param settings the site's effective {@code logFile}
     * @param utf8     {@code log@logInUTF8}
     */
    SiteLog(long siteId, LogFileSettings settings, boolean utf8) {
        this.enabled = true;
        this.siteName = "W3SVC" + siteId;
        this.settings = settings;
        this.folder = settings.directory().resolve(siteName);
        this.zone = settings.localTimeRollover() ? ZoneId.systemDefault() : ZoneOffset.UTC;
        this.utf8 = utf8;
        this.charset = utf8 ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII;
        this.fields = settings.fields().toArray(new LogField[0]);
        StringBuilder directive = new StringBuilder("#Fields:");
        for (LogField f : fields) {
            directive.append(' ').append(f.w3cName());
        }
        this.customFields = settings.customFields().toArray(new CustomField[0]);
        for (CustomField f : customFields) {
            directive.append(' ').append(f.logFieldName());
        }
        this.fieldsDirective = directive.toString();
    }

    /** @return false for {@link #NONE} */
    boolean enabled() {
        return enabled;
    }

    /** @return {@code W3SVC<id>}, the {@code s-sitename} value and the folder name */
    String siteName() {
        return siteName;
    }

    /** @return the fields of a line, in IIS's order */
    LogField[] fields() {
        return fields;
    }

    /** @return the custom fields, written after {@link #fields()} */
    CustomField[] customFields() {
        return customFields;
    }

    /** @return true when lines are UTF-8, false for US-ASCII ({@code log@logInUTF8}) */
    boolean utf8() {
        return utf8;
    }

    /** @return the {@code maxLogLineLength}, in characters */
    int maxLineLength() {
        return settings.maxLogLineLength();
    }

    /** @return the site's folder, {@code <directory>/W3SVC<id>} */
    Path folder() {
        return folder;
    }

    /** @return the file being written, or null */
    Path currentFile() {
        return path;
    }

    /** Nothing to release here: the writer closes the file when it stops. */
    @Override
    public void cleanupStoredContext() {
        // the writer thread owns the file and closes it on terminate()
    }

    // ---------------------------------------------------------------------------------------------
    // Writer thread only
    // ---------------------------------------------------------------------------------------------

    /**
     * Appends one line, opening or rolling over the file first when needed.
     *
     * @param millis   the line's instant, which picks the timed file
     * @param bytes    holds the line, CR LF included, in this log's encoding
     * @param start    the line's first byte
     * @param end      the offset after its CR LF
     * @param software the {@code #Software} value
     * @return false when the line was dropped because the folder or file could not be written
     *         recently (retried 5 seconds after a failure)
     * @throws IOException when writing fails now; the file is closed and retried later
     */
    boolean write(long millis, byte[] bytes, int start, int end, String software) throws IOException {
        if (channel == null && millis < retryAtMillis) {
            return false;
        }
        lastMillis = millis;
        int length = end - start;
        try {
            if (channel == null || mustRoll(millis, length)) {
                open(millis, length, software);
            }
            append(bytes, start, length);
            bufferedLines++;
        } catch (IOException | RuntimeException e) {
            failed(millis);
            throw e;
        }
        return true;
    }

    private boolean mustRoll(long millis, int length) {
        if (settings.period() == LogPeriod.MAX_SIZE) {
            return size > 0 && size + length > settings.truncateSize();
        }
        return millis >= periodEnd;
    }

    private void open(long millis, int firstLine, String software) throws IOException {
        boolean rollBySize = channel != null && settings.period() == LogPeriod.MAX_SIZE;
        close();
        Files.createDirectories(folder);
        String name;
        if (settings.period() == LogPeriod.MAX_SIZE) {
            if (sequence == 0) {
                sequence = Math.max(1, highestSequence());
                Path existing = folder.resolve(LogFileNaming.sizeName(utf8, sequence));
                if (Files.exists(existing)
                        && Files.size(existing) > 0
                        && Files.size(existing) + firstLine > settings.truncateSize()) {
                    sequence++;
                }
            } else if (rollBySize) {
                sequence++;
            }
            name = LogFileNaming.sizeName(utf8, sequence);
        } else {
            Instant instant = Instant.ofEpochMilli(millis);
            name = LogFileNaming.timedName(settings.period(), utf8, instant, zone);
            periodEnd = LogFileNaming.periodEnd(settings.period(), instant, zone);
        }
        path = folder.resolve(name);
        channel =
                FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = channel.size();
        if (buffer == null) {
            buffer = ByteBuffer.allocate(BUFFER_BYTES);
        }
        String directives = "#Software: " + software + "\r\n#Version: 1.0\r\n#Date: " + W3cFormat.dateTime(millis)
                + "\r\n" + fieldsDirective + "\r\n";
        byte[] bytes = directives.getBytes(charset);
        append(bytes, 0, bytes.length);
    }

    private int highestSequence() throws IOException {
        int highest = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                highest = Math.max(
                        highest,
                        LogFileNaming.sequenceOf(utf8, file.getFileName().toString()));
            }
        }
        return highest;
    }

    private void append(byte[] bytes, int start, int length) throws IOException {
        if (length > buffer.remaining()) {
            writeOut();
            if (length > buffer.capacity()) {
                ByteBuffer direct = ByteBuffer.wrap(bytes, start, length);
                while (direct.hasRemaining()) {
                    channel.write(direct);
                }
                size += length;
                return;
            }
        }
        buffer.put(bytes, start, length);
        size += length;
    }

    /**
     * Writes the buffered lines to the file (no {@code fsync}, as IIS).
     *
     * @throws IOException when the write fails; the file is closed and retried later
     */
    void flush() throws IOException {
        if (channel == null) {
            return;
        }
        try {
            writeOut();
        } catch (IOException | RuntimeException e) {
            failed(lastMillis);
            throw e;
        }
    }

    private void writeOut() throws IOException {
        if (buffer == null || buffer.position() == 0) {
            return;
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
        bufferedLines = 0;
    }

    /**
     * Returns, and resets, the number of buffered lines lost when a write failed.
     *
     * @return the count since the last call
     */
    long takeLostLines() {
        long lost = lostLines;
        lostLines = 0;
        return lost;
    }

    /**
     * Flushes and closes the file; the next line opens it again.
     *
     * @throws IOException when the last write or the close fails
     */
    void close() throws IOException {
        if (channel == null) {
            return;
        }
        try {
            writeOut();
        } finally {
            FileChannel c = channel;
            channel = null;
            c.close();
        }
    }

    private void failed(long millis) {
        retryAtMillis = millis + 5000;
        lostLines += bufferedLines;
        bufferedLines = 0;
        if (buffer != null) {
            buffer.clear();
        }
        FileChannel c = channel;
        channel = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }
}
