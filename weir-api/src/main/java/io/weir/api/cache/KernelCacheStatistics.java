package io.weir.api.cache;

/**
 * The figures of a cache at one moment, as the runtime status and {@code weir list cache} show them;
 * IIS's "Kernel: URI Cache" and "Output Cache" performance counters.
 *
 * @param entries the entries held
 * @param bytes   the bytes of their bodies
 * @param hits    requests answered from the cache since start
 * @param misses  requests looked up and not answered from it since start
 * @param adds    entries added since start
 * @param flushes entries removed before expiry (file change, flush, size) since start
 */
public record KernelCacheStatistics(long entries, long bytes, long hits, long misses, long adds, long flushes) {}
