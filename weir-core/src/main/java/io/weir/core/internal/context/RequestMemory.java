package io.weir.core.internal.context;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory behind {@code ModuleAllocator.allocateMemory} (IIS's {@code IModuleAllocator}: "allocate
 * from the request's memory pool, freed by IIS at request end"). Blocks of 64 bytes to 64 KiB come
 * from a process-wide pool, one free list per power-of-two size; each request keeps the blocks it
 * took and gives them back, zeroed, when it ends (after every module's {@code dispose()}), so no
 * request sees another's data. Larger requests are plain heap allocations the garbage collector
 * reclaims. Each free list keeps at most {@value #MAX_FREE_PER_CLASS} blocks.
 */
public final class RequestMemory {

    private static final int MIN_SHIFT = 6;
    private static final int MAX_SHIFT = 16;
    static final int MAX_FREE_PER_CLASS = 256;

    @SuppressWarnings("unchecked")
    private static final ConcurrentLinkedQueue<byte[]>[] FREE = new ConcurrentLinkedQueue[MAX_SHIFT - MIN_SHIFT + 1];

    private static final AtomicInteger[] FREE_COUNT = new AtomicInteger[FREE.length];
    private static final AtomicLong OUTSTANDING = new AtomicLong();

    static {
        for (int i = 0; i < FREE.length; i++) {
            FREE[i] = new ConcurrentLinkedQueue<>();
            FREE_COUNT[i] = new AtomicInteger();
        }
    }

    private List<byte[]> taken;

    /**
     * Allocates a buffer of exactly {@code bytes} capacity for the request.
     *
     * @param bytes the size, zero or more
     * @return a heap buffer, position 0, limit and capacity {@code bytes}, zero-filled
     */
    ByteBuffer allocate(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: " + bytes);
        }
        if (bytes > 1 << MAX_SHIFT) {
            return ByteBuffer.allocate(bytes);
        }
        int shift = Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(bytes, 1) - 1));
        int index = shift - MIN_SHIFT;
        byte[] block = FREE[index].poll();
        if (block == null) {
            block = new byte[1 << shift];
        } else {
            FREE_COUNT[index].decrementAndGet();
        }
        if (taken == null) {
            taken = new ArrayList<>(4);
        }
        taken.add(block);
        OUTSTANDING.addAndGet(block.length);
        return ByteBuffer.wrap(block, 0, bytes).slice();
    }

    /** Gives every block of the request back to the pool, zeroed. Idempotent. */
    void release() {
        List<byte[]> blocks = taken;
        if (blocks == null) {
            return;
        }
        taken = null;
        for (byte[] block : blocks) {
            OUTSTANDING.addAndGet(-block.length);
            int index = Integer.numberOfTrailingZeros(block.length) - MIN_SHIFT;
            if (FREE_COUNT[index].incrementAndGet() <= MAX_FREE_PER_CLASS) {
                Arrays.fill(block, (byte) 0);
                FREE[index].offer(block);
            } else {
                FREE_COUNT[index].decrementAndGet();
            }
        }
    }

    /**
     * Returns the bytes of pooled blocks held by requests that have not ended, over the process.
     *
     * @return the count in bytes (block sizes, not the sizes asked for)
     */
    public static long outstandingBytes() {
        return OUTSTANDING.get();
    }
}
