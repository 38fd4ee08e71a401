package io.weir.api.provider;

import java.nio.ByteBuffer;

/**
 * The provider of READ_ENTITY; mirrors IIS's {@code IReadEntityProvider}.
 */
public interface ReadEntityProvider extends HttpEventProvider {

    /**
     * Returns the chunk just read.
     *
     * @return the bytes between position and limit; empty at the end of the entity
     */
    ByteBuffer entity();

    /**
     * Replaces the chunk just read. Mirrors {@code SetEntity}.
     *
     * @param entity the bytes the reader gets instead, kept by reference
     */
    void setEntity(ByteBuffer entity);
}
