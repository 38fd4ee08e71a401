package io.weir.server.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.weir.api.cache.KernelCacheEntry;
import io.weir.api.cache.KernelCacheHitListener;
import io.weir.api.cache.KernelCacheListing;
import io.weir.api.cache.KernelCacheStatistics;
import io.weir.api.cache.KernelResponseCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The transport's {@link KernelResponseCache}: entries keyed by local address, port, {@code Host}
 * and request-target, each key holding its variants (by the request headers the response varies
 * on). Bodies are copied once into direct memory at {@link #add}; a hit hands the transport a view
 * of that memory, so head and body leave in one gather write. Bounded by the system property
 * {@value #MAX_BYTES_PROPERTY} (bytes, default 64 MiB, least recently used dropped first) and by
 * {@value #MAX_RESPONSE_PROPERTY} per body (default 262144, http.sys's {@code UriMaxUriBytes});
 * entries not hit for 120 seconds are dropped (http.sys's {@code UriScavengerPeriod}). Thread-safe.
 */
public final class KernelCache implements KernelResponseCache {

    /** The system property bounding the bodies held, in bytes. */
    public static final String MAX_BYTES_PROPERTY = "weir.kernelCache.maxBytes";
    /** The system property bounding one body, in bytes. */
    public static final String MAX_RESPONSE_PROPERTY = "weir.kernelCache.maxResponseBytes";

    private static final int ENTRY_OVERHEAD_BYTES = 512;
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** One variant with its counters and the state of its dependency when it was added. */
    static final class Slot {
        final KernelCacheEntry entry;
        final long lastModifiedEpochSecond;
        final long fileMillis;
        final long fileSize;
        final boolean encoded;
        final LongAdder hits = new LongAdder();
        volatile long checkedNanos = System.nanoTime();

        Slot(KernelCacheEntry entry, long fileMillis, long fileSize) {
            this.entry = entry;
            this.fileMillis = fileMillis;
            this.fileSize = fileSize;
            this.lastModifiedEpochSecond = parseDate(entry.lastModified());
            this.encoded = entry.headers().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Content-Encoding"));
        }

        boolean matches(Function<String, String> header) {
            for (Map.Entry<String, String> v : entry.varyBy().entrySet()) {
                String value = header.apply(v.getKey());
                if (!v.getValue().equals(value == null ? "" : value)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final long maxResponseBytes;
    private final Cache<String, Slot[]> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder adds = new LongAdder();
    private final LongAdder flushes = new LongAdder();
    private final List<KernelCacheHitListener> listeners = new CopyOnWriteArrayList<>();

    /** Creates the cache with the limits of the system properties. */
    public KernelCache() {
        this(Long.getLong(MAX_BYTES_PROPERTY, 64L * 1024 * 1024), Long.getLong(MAX_RESPONSE_PROPERTY, 262_144L));
    }

    /**
     * @param maxBytes         the bodies held at most, in bytes
     * @param maxResponseBytes the largest body, in bytes
     */
    public KernelCache(long maxBytes, long maxResponseBytes) {
        this.maxResponseBytes = maxResponseBytes;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String k, Slot[] v) -> weight(v))
                .expireAfterAccess(Duration.ofSeconds(120))
                .executor(Runnable::run)
                .removalListener((String k, Slot[] v, RemovalCause cause) -> {
                    if (v != null && cause.wasEvicted()) {
                        flushes.add(v.length);
                    }
                })
                .build();
    }

    private static int weight(Slot[] slots) {
        long w = 0;
        for (Slot s : slots) {
            w += ENTRY_OVERHEAD_BYTES + s.entry.body().remaining();
        }
        return (int) Math.min(Integer.MAX_VALUE, w);
    }

    /** @return true when nothing is cached (the dispatcher's fast path) */
    boolean isEmpty() {
        return entries.asMap().isEmpty();
    }

    @Override
    public boolean add(KernelCacheEntry entry) {
        int length = entry.body().remaining();
        if (length > maxResponseBytes) {
            return false;
        }
        long fileMillis = 0;
        long fileSize = -1;
        if (entry.dependency() != null) {
            try {
                BasicFileAttributes a = Files.readAttributes(entry.dependency(), BasicFileAttributes.class);
                fileMillis = a.lastModifiedTime().toMillis();
                fileSize = a.size();
            } catch (IOException e) {
                return false;
            }
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(length);
        direct.put(entry.body().duplicate()).flip();
        KernelCacheEntry held = new KernelCacheEntry(
                entry.localAddress(),
                entry.localPort(),
                entry.host(),
                entry.rawUrl(),
                entry.varyBy(),
                entry.status(),
                entry.reason(),
                entry.headers(),
                direct,
                entry.etag(),
                entry.lastModified(),
                entry.expiresAtNanos(),
                entry.dependency(),
                entry.siteId(),
                entry.siteName(),
                entry.urlPath(),
                entry.queryString());
        Slot slot = new Slot(held, fileMillis, fileSize);
        entries.asMap().compute(entry.key(), (k, old) -> {
            List<Slot> slots = new ArrayList<>(old == null ? List.of() : Arrays.asList(old));
            slots.removeIf(s -> s.entry.varyBy().equals(held.varyBy()));
            slots.add(slot);
            return slots.toArray(Slot[]::new);
        });
        adds.increment();
        return true;
    }

    /**
     * Finds the entry that answers a request, dropping it when it expired or its file changed.
     *
     * @param key    the request's key ({@link KernelCacheEntry#key(String, int, String, String)})
     * @param header the request's headers by lower-case name
     * @return the slot, or null for a miss
     */
    Slot find(String key, Function<String, String> header) {
        Slot[] slots = entries.getIfPresent(key);
        if (slots != null) {
            for (Slot s : slots) {
                if (s.matches(header)) {
                    if (current(s)) {
                        return s;
                    }
                    remove(key, s);
                    break;
                }
            }
        }
        misses.increment();
        return null;
    }

    /** Counts a hit answered from a slot. */
    void hit(Slot slot) {
        slot.hits.increment();
        hits.increment();
    }

    /** @return the hit listeners */
    List<KernelCacheHitListener> listeners() {
        return listeners;
    }

    private boolean current(Slot s) {
        long now = System.nanoTime();
        if (now - s.entry.expiresAtNanos() >= 0 && s.entry.expiresAtNanos() != Long.MAX_VALUE) {
            return false;
        }
        Path file = s.entry.dependency();
        if (file == null || now - s.checkedNanos < RECHECK_NANOS) {
            return true;
        }
        s.checkedNanos = now;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() == s.fileMillis && a.size() == s.fileSize;
        } catch (IOException e) {
            return false;
        }
    }

    private void remove(String key, Slot slot) {
        entries.asMap().computeIfPresent(key, (k, old) -> {
            List<Slot> slots = new ArrayList<>(Arrays.asList(old));
            if (slots.remove(slot)) {
                flushes.increment();
            }
            return slots.isEmpty() ? null : slots.toArray(Slot[]::new);
        });
    }

    @Override
    public int removeIf(Predicate<KernelCacheEntry> which) {
        int removed = 0;
        for (Map.Entry<String, Slot[]> e : entries.asMap().entrySet()) {
            for (Slot s : e.getValue()) {
                if (which.test(s.entry)) {
                    remove(e.getKey(), s);
                    removed++;
                }
            }
        }
        return removed;
    }

    @Override
    public List<KernelCacheListing> list() {
        List<KernelCacheListing> list = new ArrayList<>();
        long now = System.nanoTime();
        for (Slot[] slots : entries.asMap().values()) {
            for (Slot s : slots) {
                KernelCacheEntry e = s.entry;
                String until = e.expiresAtNanos() == Long.MAX_VALUE
                        ? "change"
                        : Long.toString(Math.max(0, TimeUnit.NANOSECONDS.toSeconds(e.expiresAtNanos() - now)));
                list.add(new KernelCacheListing(
                        e.siteName(), e.host(), e.rawUrl(), e.body().remaining(), s.hits.sum(), until));
            }
        }
        return list;
    }

    @Override
    public KernelCacheStatistics statistics() {
        long bytes = 0;
        long count = 0;
        for (Slot[] slots : entries.asMap().values()) {
            for (Slot s : slots) {
                bytes += s.entry.body().remaining();
                count++;
            }
        }
        return new KernelCacheStatistics(count, bytes, hits.sum(), misses.sum(), adds.sum(), flushes.sum());
    }

    @Override
    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    @Override
    public void addHitListener(KernelCacheHitListener listener) {
        if (!listeners.contains(listener)) {
            listeners.add(listener);
        }
    }

    /** @return epoch seconds of an HTTP-date, or Long.MIN_VALUE when absent or malformed */
    static long parseDate(String httpDate) {
        if (httpDate == null) {
            return Long.MIN_VALUE;
        }
        try {
            return ZonedDateTime.parse(httpDate.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toEpochSecond();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }
}
