package io.weir.core.internal.context;

import io.weir.api.provider.ReadEntityProvider;
import java.nio.ByteBuffer;
import java.util.Objects;

/** READ_ENTITY's provider for one read. */
final class ReadEntityEvent implements ReadEntityProvider {
    private ByteBuffer entity;
    private final long received;
    private Throwable error;

    ReadEntityEvent(ByteBuffer entity, long received) {
        this.entity = entity;
        this.received = received;
    }

    Throwable error() {
        return error;
    }

    @Override
    public long entityBytesReceived() {
        return received;
    }

    @Override
    public ByteBuffer entity() {
        return entity;
    }

    @Override
    public void setEntity(ByteBuffer newEntity) {
        this.entity = Objects.requireNonNull(newEntity, "entity");
    }

    @Override
    public void setErrorStatus(Throwable error) {
        this.error = Objects.requireNonNull(error, "error");
    }
}
