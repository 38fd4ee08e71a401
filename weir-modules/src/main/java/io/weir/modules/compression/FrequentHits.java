package io.weir.modules.compression;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Counts requests per static file to tell when it is "frequently hit" as IIS means it
 * ({@code serverRuntime@frequentHitThreshold} requests within {@code frequentHitTimePeriod}):
 * static compression makes a compressed copy only of such files. Counters live in a bounded
 * cache, so a crawl of many files costs bounded memory.
 */
final class FrequentHits {

    /** One file's window. */
    private static final class Window {
        private long start;
        private long count;

        synchronized boolean hit(long now, long threshold, long periodNanos) {
            if (count == 0 || now - start > periodNanos) {
                start = now;
                count = 0;
            }
            count++;
            return count >= threshold;
        }
    }

    private final Cache<Path, Window> windows = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    /**
     * Records a request for a file.
     *
     * @param file    the file
     * @param runtime the thresholds
     * @return true when this request makes (or keeps) the file frequently hit
     */
    boolean hit(Path file, ServerRuntimeSection runtime) {
        if (runtime.frequentHitThreshold() <= 1) {
            return true;
        }
        return windows.get(file, f -> new Window())
                .hit(
                        System.nanoTime(),
                        runtime.frequentHitThreshold(),
                        runtime.frequentHitTimePeriod().toNanos());
    }
}
