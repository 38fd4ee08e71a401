package io.weir.server.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.weir.api.cache.KernelCacheEntry;
import io.weir.api.cache.KernelCacheHitListener;
import io.weir.api.cache.KernelCacheListing;
import io.weir.api.cache.KernelCacheStatistics;
import io.weir.api.cache.KernelResponseCache;
import io.weir.core.spi.HeaderStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
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
import java.util.function.Predicate;

/**
 * The transport's {@link KernelResponseCache}: entries looked up by the request-target as received,
 * each target holding its variants (by local address, port, {@code Host} and the request headers
 * the response varies on). A request whose target holds nothing costs one hash lookup of the
 * target string the transport already has: no key is built and nothing is allocated, so requests
 * the cache never answers pay next to nothing for it. Bodies are copied once into direct memory at
 * {@link #add}, where the response head is also encoded once ({@link EncodedHead}); a hit hands the
 * transport views of that memory, so head and body leave in one gather write. Bounded by the system
 * property {@value #MAX_BYTES_PROPERTY} (bytes, default 64 MiB, least recently used dropped first)
 * and by {@value #MAX_RESPONSE_PROPERTY} per body (default 262144, http.sys's {@code UriMaxUriBytes});
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
        /** The local address of {@link KernelCacheEntry#localAddress()}, compared without a string. */
        final InetAddress localAddress;

        final long lastModifiedEpochSecond;
        final long fileMillis;
        final long fileSize;
        final boolean encoded;
        /** The 200's head up to its last field, encoded once; null when a field is invalid. */
        final EncodedHead head;
        /** The head's bytes as the access log counts them for a whole 200. */
        final long logHeadBytes;

        final LongAdder hits = new LongAdder();
        volatile long checkedNanos = System.nanoTime();

        Slot(KernelCacheEntry entry, InetAddress localAddress, long fileMillis, long fileSize) {
            this.entry = entry;
            this.localAddress = localAddress;
            this.fileMillis = fileMillis;
            this.fileSize = fileSize;
            this.lastModifiedEpochSecond = parseDate(entry.lastModified());
            this.encoded = entry.headers().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Content-Encoding"));
            this.head = EncodedHead.of(entry.status(), entry.reason(), entry.headers());
            this.logHeadBytes = KernelCacheDispatcher.headBytes(entry.status(), entry.reason(), entry.headers());
        }

        /** @return true when this variant answers a request on that address and port with that Host */
        boolean answers(InetSocketAddress local, String host) {
            return entry.localPort() == local.getPort()
                    && (host == null ? entry.host().isEmpty() : entry.host().equalsIgnoreCase(host))
                    && localAddress.equals(local.getAddress());
        }

        boolean matches(HeaderStore headers) {
            for (Map.Entry<String, String> v : entry.varyBy().entrySet()) {
                String value = headers.get(v.getKey());
                if (!v.getValue().equals(value == null ? "" : value)) {
                    return false;
                }
            }
            return true;
        }

        /** @return true when the other slot is the same variant (address, port, Host, varied headers) */
        boolean sameVariant(Slot other) {
            return entry.localPort() == other.entry.localPort()
                    && entry.host().equals(other.entry.host())
                    && localAddress.equals(other.localAddress)
                    && entry.varyBy().equals(other.entry.varyBy());
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

    @Override
    public boolean add(KernelCacheEntry entry) {
        int length = entry.body().remaining();
        if (length > maxResponseBytes) {
            return false;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(entry.localAddress()); // a literal: no name lookup
        } catch (UnknownHostException e) {
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
        Slot slot = new Slot(held, address, fileMillis, fileSize);
        entries.asMap().compute(entry.rawUrl(), (k, old) -> {
            List<Slot> slots = new ArrayList<>(old == null ? List.of() : Arrays.asList(old));
            slots.removeIf(s -> s.sameVariant(slot));
            slots.add(slot);
            return slots.toArray(Slot[]::new);
        });
        adds.increment();
        return true;
    }

    /**
     * Returns the variants held for a request-target: the dispatcher's first step for every
     * request, so it builds nothing and allocates nothing.
     *
     * @param rawUrl the request-target as received
     * @return the variants, or null when the target holds none (do not modify the array)
     */
    Slot[] candidates(String rawUrl) {
        return entries.getIfPresent(rawUrl);
    }

    /**
     * Finds the variant that answers a request among a target's candidates, dropping it when it
     * expired or its file changed.
     *
     * @param slots  the target's {@link #candidates}
     * @param local  the local address the request came in on
     * @param host   the request's {@code Host} header, or null
     * @param headers the request's headers
     * @return the slot, or null for a miss
     */
    Slot find(Slot[] slots, InetSocketAddress local, String host, HeaderStore headers) {
        for (Slot s : slots) {
            if (s.answers(local, host) && s.matches(headers)) {
                if (current(s)) {
                    return s;
                }
                remove(s.entry.rawUrl(), s);
                break;
            }
        }
        return null;
    }

    /** Counts a request looked up and not answered from the cache. */
    void miss() {
        misses.increment();
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
