package io.weir.core.internal.context;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.provider.CacheOperation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's file cache, the role of IIS's FileCacheModule: metadata of files and directories
 * with their formatted validators, and the content of small regular files, so that serving a small
 * static file costs one {@code stat} and no open/read/close.
 *
 * <p>Every lookup stats the path and uses the cached entry only when kind, size, modification time
 * and file identity (device and inode) are unchanged, so an edited or replaced file is never served
 * stale. Content is read only for regular files of at most {@link #MAX_CACHED_FILE_BYTES}; an entry
 * whose file changed while it was being read keeps no content. Bounded by total weight; entries
 * not used for five minutes are dropped. Thread-safe; the stat is the only blocking call, as in
 * every static file server.
 */
public final class FileCache {

    /**
     * Largest file whose content is cached, in bytes: the {@code weir.fileCache.maxFileBytes}
     * system property, 256 KiB by default (IIS's file cache default).
     */
    public static final int MAX_CACHED_FILE_BYTES = Integer.getInteger("weir.fileCache.maxFileBytes", 256 * 1024);

    private static final long MAX_WEIGHT_BYTES = 64L * 1024 * 1024;
    private static final int ENTRY_OVERHEAD_BYTES = 512;

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * Told about the cache's insertions and removals, the operations IIS's {@code ICacheProvider}
     * describes (GL_CACHE_OPERATION). Insertions are reported on the thread that looked the file up
     * (often an event loop: the listener must only hand the work on); removals on Caffeine's
     * maintenance executor.
     */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param operation ADD for an insertion, DELETE for a removal (explicit, replaced by a newer
         *                  entry for a changed file, expired, or evicted for size)
         * @param key       the cached path
         * @param record    the entry added or removed
         */
        void cacheOperation(CacheOperation operation, Path key, HttpFileInfo record);
    }

    private volatile Listener listener;

    private final Cache<Path, DiskFileInfo> entries = Caffeine.newBuilder()
            .maximumWeight(MAX_WEIGHT_BYTES)
            .weigher((Path p, DiskFileInfo f) -> ENTRY_OVERHEAD_BYTES + f.contentBytes())
            .expireAfterAccess(Duration.ofMinutes(5))
            .removalListener((Path key, DiskFileInfo value, RemovalCause cause) -> {
                if (value != null) {
                    value.cleanupContainer();
                }
                Listener l = listener;
                if (l != null && key != null) {
                    l.cacheOperation(CacheOperation.DELETE, key, value);
                }
            })
            .build();

    /** @param newListener told about insertions and removals from now on; null for none */
    public void listener(Listener newListener) {
        this.listener = newListener;
    }

    /** Performs the cache's pending maintenance (expired entries are dropped), as GL_CACHE_CLEANUP's periodic run does. */
    public void cleanUp() {
        entries.cleanUp();
    }

    /**
     * Looks a path up.
     *
     * @param path an absolute path
     * @return its information, or empty when nothing (or neither a file nor a directory) is there
     */
    public Optional<HttpFileInfo> lookup(Path path) {
        BasicFileAttributes attributes = stat(path);
        if (attributes == null) {
            entries.invalidate(path);
            return Optional.empty();
        }
        DiskFileInfo cached = entries.getIfPresent(path);
        if (cached != null && cached.isCurrent(attributes)) {
            hits.increment();
            return cached.asOptional();
        }
        misses.increment();
        DiskFileInfo fresh = load(path, attributes);
        entries.put(path, fresh);
        Listener l = listener;
        if (l != null) {
            l.cacheOperation(CacheOperation.ADD, path, fresh);
        }
        return fresh.asOptional();
    }

    /**
     * Stats a path; a missing file is the common case of a URL served by no file (a proxied or
     * generated response, a 404), so it is answered without an exception and its stack trace
     * ({@code readAttributesIfExists}, Java 20+).
     */
    private static BasicFileAttributes stat(Path path) {
        try {
            BasicFileAttributes a =
                    path.getFileSystem().provider().readAttributesIfExists(path, BasicFileAttributes.class);
            return a != null && (a.isRegularFile() || a.isDirectory()) ? a : null;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static DiskFileInfo load(Path path, BasicFileAttributes attributes) {
        ByteBuffer content = null;
        if (attributes.isRegularFile() && attributes.size() <= MAX_CACHED_FILE_BYTES) {
            try {
                byte[] bytes = Files.readAllBytes(path);
                BasicFileAttributes after = stat(path);
                DiskFileInfo check = new DiskFileInfo(path, attributes, null);
                if (after != null && check.isCurrent(after) && bytes.length == attributes.size()) {
                    // Direct memory: the transport writes it to the socket without a heap-to-native copy.
                    content = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
                }
            } catch (IOException | SecurityException | OutOfMemoryError e) {
                content = null;
            }
        }
        return new DiskFileInfo(path, attributes, content);
    }

    /** @return how many lookups of an existing file found it cached and current, since start */
    public long hits() {
        return hits.sum();
    }

    /** @return how many lookups of an existing file had to read it (absent or changed), since start */
    public long misses() {
        return misses.sum();
    }

    /**
     * @param path an absolute path
     * @return the cached entry, without a stat (it may be stale); empty when none is cached
     */
    public Optional<HttpFileInfo> cached(Path path) {
        DiskFileInfo f = entries.getIfPresent(path);
        return f == null ? Optional.empty() : f.asOptional();
    }

    /**
     * Drops the entry of a path, or of every path at or under it.
     *
     * @param path  an absolute path
     * @param under true to drop every entry at or under {@code path}
     * @return the entries dropped
     */
    public List<HttpFileInfo> invalidate(Path path, boolean under) {
        List<HttpFileInfo> dropped = new ArrayList<>();
        if (!under) {
            DiskFileInfo f = entries.asMap().remove(path);
            if (f != null) {
                dropped.add(f);
            }
            return dropped;
        }
        entries.asMap().entrySet().removeIf(e -> {
            if (e.getKey().startsWith(path)) {
                dropped.add(e.getValue());
                return true;
            }
            return false;
        });
        return dropped;
    }

    /**
     * @param path an absolute path
     * @return the cached entries at or under it
     */
    public List<HttpFileInfo> entriesUnder(Path path) {
        List<HttpFileInfo> found = new ArrayList<>();
        entries.asMap().forEach((k, v) -> {
            if (k.startsWith(path)) {
                found.add(v);
            }
        });
        return found;
    }

    /** Drops every entry (GL_CACHE_CLEANUP's job in a later version). */
    public void clear() {
        entries.invalidateAll();
    }
}
