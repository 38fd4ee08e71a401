package io.weir.api.http;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Metadata of a file or directory on disk, as seen through the server's file cache; mirrors IIS's
 * {@code IHttpFileInfo}. Immutable and thread-safe; a snapshot taken when it was looked up.
 */
public interface HttpFileInfo {

    /**
     * Returns the absolute physical path.
     *
     * @return the path
     */
    Path path();

    /**
     * Tells whether this is a directory.
     *
     * @return true for a directory, false for a regular file
     */
    boolean isDirectory();

    /**
     * Returns the size.
     *
     * @return the size in bytes; 0 for a directory
     */
    long size();

    /**
     * Returns the last modification time, truncated to whole seconds as HTTP dates are.
     *
     * @return the time
     */
    Instant lastModified();

    /**
     * Returns the last modification time formatted as an HTTP date (RFC 9110 IMF-fixdate).
     *
     * @return for example {@code "Sun, 06 Nov 1994 08:49:37 GMT"}
     */
    String lastModifiedString();

    /**
     * Returns the strong entity tag of the file's current content, with its quotes, built from
     * the modification time and size as IIS does.
     *
     * @return for example {@code "\"1b6c3a2f-3e8\""}
     */
    String etag();

    /**
     * Returns the file's content when the server's file cache holds it (small regular files, by
     * default up to 262,144 bytes); mirrors {@code IHttpFileInfo::GetFileBuffer}. The content is the
     * file as it was when this information was looked up; send it with
     * {@link DataChunk.Memory} instead of a {@link DataChunk.File} to save the open, read and close
     * of the file per request.
     *
     * @return a read-only buffer over the whole content (a new view per call, position 0), or empty
     *         for a directory, a larger file, or when the content is not cached
     */
    default Optional<ByteBuffer> fileBuffer() {
        return Optional.empty();
    }

    /**
     * Returns the store that lives with this entry of the file cache; mirrors
     * {@code IHttpFileInfo::GetModuleContextContainer}. A module keeps what it derived from the file
     * (a parsed template, a compressed copy) here: every request that sees the same unchanged file
     * gets the same entry. When the file changes the cache makes a new entry (with an empty
     * container) and the old entry's stored contexts are cleaned up once it leaves the cache, as
     * they are when an entry is evicted or expires.
     *
     * @return the container, never null
     */
    HttpModuleContextContainer moduleContextContainer();
}
