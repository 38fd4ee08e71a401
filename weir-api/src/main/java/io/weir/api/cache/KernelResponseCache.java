package io.weir.api.cache;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * The transport's response cache, Weir's counterpart of http.sys's kernel response cache: a request
 * that matches an entry is answered by the transport before the request pipeline runs (no module
 * sees it; {@link KernelCacheHitListener}s hear of it). The transport answers only GET and HEAD
 * requests without {@code Authorization} and without a body whose target, {@code Host}, local
 * address and varied headers match an entry exactly, and answers conditional requests (304) and
 * single byte ranges (206) from the entry; anything else goes to the pipeline. Entries are dropped
 * when they expire, when their dependency file changes (checked at most once a second per entry),
 * when not hit for two minutes (http.sys's {@code UriScavengerPeriod}) and, least recently used
 * first, when the cache's size limit is reached.
 *
 * <p>Obtained from {@link io.weir.api.HttpServer#kernelResponseCache()}. Thread-safe; every method
 * may be called from any thread, an event loop included.
 */
public interface KernelResponseCache {

    /**
     * Adds or replaces the entry under its key and variant; mirrors sending a response to http.sys
     * with a cache policy. An entry whose body exceeds {@link #maxResponseBytes()} is not kept.
     *
     * @param entry the complete response
     * @return true when the entry was kept
     */
    boolean add(KernelCacheEntry entry);

    /**
     * Removes the entries a predicate selects; mirrors {@code HttpFlushResponseCache}.
     *
     * @param which selects the entries to remove
     * @return how many were removed
     */
    int removeIf(Predicate<KernelCacheEntry> which);

    /**
     * Removes the entries that depend on a file (or on a file below a folder).
     *
     * @param changed the changed file or folder, absolute
     * @return how many were removed
     */
    default int invalidate(Path changed) {
        Path normalized = changed.toAbsolutePath().normalize();
        return removeIf(e -> e.dependency() != null && e.dependency().startsWith(normalized));
    }

    /**
     * Returns the entries with their hit counts, for {@code weir list cache}.
     *
     * @return a snapshot, in no particular order
     */
    List<KernelCacheListing> list();

    /**
     * Returns the cache's figures now.
     *
     * @return entries, bytes, hits, misses, additions and removals
     */
    KernelCacheStatistics statistics();

    /**
     * Returns the largest body an entry may have.
     *
     * @return bytes
     */
    long maxResponseBytes();

    /**
     * Adds a listener told of every hit, on the event loop that answered it (it must not block).
     *
     * @param listener the listener; added once even when passed again
     */
    void addHitListener(KernelCacheHitListener listener);
}
