package io.weir.api.provider;

import java.nio.ByteBuffer;

/**
 * The provider of READ_ENTITY, raised on every {@code readEntityBody} call; mirrors IIS's
 * {@code IReadEntityProvider}. A module may inspect the chunk just read, replace it
 * ({@link #setEntity}: the reader gets the replacement instead), or fail the read
 * ({@link #setErrorStatus}: the reader gets an {@link io.weir.api.http.EntityReadException} with
 * that cause; the engine then closes the connection after the response, as the rest of the body is
 * not read). Raised on the request's event loop (or on the thread of a blocking notification that
 * reads).
 */
public interface ReadEntityProvider extends HttpEventProvider {

    /**
     * Returns the chunk just read.
     *
     * @return the bytes between position and limit; empty when the read got no byte (nothing
     *         arrived yet, or the end of the entity)
     */
    ByteBuffer entity();

    /**
     * Replaces the chunk just read. Mirrors {@code SetEntity}.
     *
     * The replacement is copied into the reader's buffer in place of the chunk; what does not fit
     * is put in front of the unread entity (as with {@code InsertEntityBody}).
     *
     * @param entity the bytes the reader gets instead, kept by reference
     */
    void setEntity(ByteBuffer entity);

    /**
     * Returns how many entity bytes the client has sent for this request so far (received by the
     * server, read or not; bytes put back with {@code InsertEntityBody} are not counted). A Weir
     * addition: RequestFilteringModule compares it with {@code maxAllowedContentLength} to cut off
     * a chunked body that grows past it.
     *
     * @return the count in bytes
     */
    long entityBytesReceived();
}
