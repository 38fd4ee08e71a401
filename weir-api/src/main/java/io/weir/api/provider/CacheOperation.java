package io.weir.api.provider;

/**
 * An operation on one of the server's caches; mirrors {@code CACHE_OPERATION} (values 0 to 4).
 */
public enum CacheOperation {
    /** 0: a lookup. */
    RETRIEVE,
    /** 1: an insertion. */
    ADD,
    /** 2: a removal. */
    DELETE,
    /** 3: removal of every key with a prefix. */
    FLUSH_PREFIX,
    /** 4: an enumeration. */
    ENUM
}
