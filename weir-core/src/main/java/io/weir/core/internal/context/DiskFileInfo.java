package io.weir.core.internal.context;

import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.core.internal.stored.ContextContainer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a file's metadata, and for small files its content, as the file cache holds it.
 * The ETag is built from the modification time and size, as IIS builds it from the file's
 * last-write time (it adds a change number; Weir has none). Immutable.
 */
public final class DiskFileInfo implements HttpFileInfo {

    /** RFC 9110 IMF-fixdate. */
    public static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final Path path;
    private final boolean directory;
    private final long size;
    private final long lastModifiedMillis;
    private final Object fileKey;
    private final Instant lastModified;
    private final String lastModifiedString;
    private final String etag;
    private final ByteBuffer content;
    private final Optional<HttpFileInfo> asOptional;
    private volatile ContextContainer container;

    DiskFileInfo(Path path, BasicFileAttributes attributes, ByteBuffer content) {
        this.path = path;
        this.directory = attributes.isDirectory();
        this.size = directory ? 0 : attributes.size();
        this.lastModifiedMillis = attributes.lastModifiedTime().toMillis();
        this.fileKey = attributes.fileKey();
        this.lastModified = Instant.ofEpochSecond(Math.floorDiv(lastModifiedMillis, 1000));
        this.lastModifiedString = HTTP_DATE.format(lastModified);
        this.etag = "\"" + Long.toHexString(lastModified.getEpochSecond()) + "-" + Long.toHexString(size) + "\"";
        this.content = content == null ? null : content.asReadOnlyBuffer();
        this.asOptional = Optional.of(this);
    }

    /**
     * Tells whether fresh attributes still describe the file this snapshot was taken of.
     *
     * @param attributes the result of a new stat
     * @return true when kind, size, modification time and file identity are unchanged
     */
    boolean isCurrent(BasicFileAttributes attributes) {
        return attributes.isDirectory() == directory
                && (directory || attributes.size() == size)
                && attributes.lastModifiedTime().toMillis() == lastModifiedMillis
                && Objects.equals(attributes.fileKey(), fileKey);
    }

    /** @return this snapshot as an Optional, without allocating one per request */
    Optional<HttpFileInfo> asOptional() {
        return asOptional;
    }

    /** @return the bytes of cached content, 0 when none */
    int contentBytes() {
        return content == null ? 0 : content.capacity();
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public boolean isDirectory() {
        return directory;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Instant lastModified() {
        return lastModified;
    }

    @Override
    public String lastModifiedString() {
        return lastModifiedString;
    }

    @Override
    public String etag() {
        return etag;
    }

    @Override
    public Optional<ByteBuffer> fileBuffer() {
        return content == null ? Optional.empty() : Optional.of(content.duplicate());
    }

    /** The entry's container, created on first use; shared by every request that sees this snapshot. */
    @Override
    public HttpModuleContextContainer moduleContextContainer() {
        ContextContainer c = container;
        if (c == null) {
            synchronized (this) {
                c = container;
                if (c == null) {
                    c = new ContextContainer();
                    container = c;
                }
            }
        }
        return c;
    }

    /** Cleans up what modules stored with this entry; called when the entry leaves the file cache. */
    void cleanupContainer() {
        ContextContainer c = container;
        if (c != null) {
            c.cleanup();
        }
    }
}
