package io.weir.api.provider;

import java.util.Optional;

/**
 * The provider of GL_CACHE_OPERATION; mirrors IIS's {@code ICacheProvider}.
 */
public interface CacheProvider {

    /**
     * Returns the operation.
     *
     * @return the operation
     */
    CacheOperation cacheOperation();

    /**
     * Returns the key operated on.
     *
     * @return the key
     */
    String cacheKey();

    /**
     * Returns the record stored under the key.
     *
     * @return the record, or empty when there is none
     */
    Optional<Object> cacheRecord();

    /**
     * Supplies the record for a RETRIEVE. Mirrors {@code SetCacheRecord}.
     *
     * @param record the record
     */
    void setCacheRecord(Object record);
}
