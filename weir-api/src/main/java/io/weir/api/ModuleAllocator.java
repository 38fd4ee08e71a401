package io.weir.api;

import java.nio.ByteBuffer;

/**
 * Request-scoped memory; mirrors IIS's {@code IModuleAllocator}. Buffers handed out here belong to
 * the request and must not be used after it ends (after END_REQUEST and
 * {@link HttpModule#dispose()}): the server takes them back then (pooled, as IIS's request memory
 * pool is) and hands them, zeroed, to later requests.
 */
public interface ModuleAllocator {

    /**
     * Allocates request-lifetime memory. Mirrors {@code AllocateMemory}.
     *
     * @param bytes the size in bytes, zero or more
     * @return a zero-filled heap buffer of exactly {@code bytes} capacity, position 0, limit {@code bytes}
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    ByteBuffer allocateMemory(int bytes);
}
