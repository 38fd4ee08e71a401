package io.weir.core.context;

import io.weir.api.http.HttpFileInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * A snapshot of a file's metadata. The ETag is built from the modification time and size, as IIS
 * builds it from the file's last-write time (it adds a change number; Weir has none).
 */
public final class DiskFileInfo implements HttpFileInfo {

    /** RFC 9110 IMF-fixdate. */
    public static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final Path path;
    private final boolean directory;
    private final long size;
    private final Instant lastModified;
    private String lastModifiedString;
    private String etag;

    private DiskFileInfo(Path path, boolean directory, long size, Instant lastModified) {
        this.path = path;
        this.directory = directory;
        this.size = size;
        this.lastModified = lastModified;
    }

    /**
     * Reads a path's metadata (one {@code stat}); links are followed.
     *
     * @param path an absolute path
     * @return the information, or empty when nothing (or something other than a file or
     *         directory) exists there, or it cannot be read
     */
    public static Optional<HttpFileInfo> read(Path path) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        if (!attributes.isRegularFile() && !attributes.isDirectory()) {
            return Optional.empty();
        }
        return Optional.of(new DiskFileInfo(path, attributes.isDirectory(),
                attributes.isDirectory() ? 0 : attributes.size(),
                Instant.ofEpochSecond(attributes.lastModifiedTime().toMillis() / 1000)));
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
        String s = lastModifiedString;
        if (s == null) {
            s = HTTP_DATE.format(lastModified);
            lastModifiedString = s;
        }
        return s;
    }

    @Override
    public String etag() {
        String e = etag;
        if (e == null) {
            e = "\"" + Long.toHexString(lastModified.getEpochSecond()) + "-" + Long.toHexString(size) + "\"";
            etag = e;
        }
        return e;
    }
}
