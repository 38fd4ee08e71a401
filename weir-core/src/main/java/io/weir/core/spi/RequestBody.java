package io.weir.core.spi;

import java.nio.ByteBuffer;

/**
 * A request entity as the transport receives it: chunks arrive one after another and the engine
 * takes them with {@link #poll()}; nothing is ever buffered whole. Every method is called on the
 * exchange's event loop.
 *
 * <p><b>Back-pressure.</b> The transport stops reading from the connection while the chunks it
 * holds for the engine (received, not yet polled) exceed a small bound (64 KiB for the Netty
 * transport, plus at most one socket read), and reads again as the engine polls. A request whose
 * body nobody reads therefore holds at most that much; the transport drains (reads and discards)
 * what is left when the exchange ends, or closes the connection (see the transport's Javadoc).
 *
 * <p><b>States.</b> {@link #poll()} returns a chunk while one has arrived; null when none is
 * buffered now. Then {@link #failure()} non-null means the entity cannot be read (cut off by the
 * server-wide cap, malformed chunked coding, client gone); {@link #isComplete()} true means every
 * byte has been polled (end of entity); otherwise more is to come and {@link #onAvailable} asks to
 * be told when.
 */
public interface RequestBody {

    /**
     * The {@link #failure()} of a body that grew past the transport's server-wide cap; the engine
     * answers 413 when nothing was sent yet and no module set an error status.
     */
    final class EntityTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param limit the cap in bytes
         */
        public EntityTooLargeException(long limit) {
            super("the request entity is larger than the server's limit of " + limit + " bytes", null, false, false);
        }
    }

    /**
     * The {@link #failure()} of a body whose framing is malformed (bad chunked coding, an entity
     * that ends early); the engine answers 400 when nothing was sent yet and no module set an
     * error status, as http.sys does.
     */
    final class MalformedEntityException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param reason what is wrong with the entity's framing
         */
        public MalformedEntityException(String reason) {
            super("malformed request entity: " + reason, null, false, false);
        }
    }

    /** A body with no bytes, complete. */
    RequestBody EMPTY = of(ByteBuffer.allocate(0));

    /**
     * Takes the next chunk that has arrived. The buffer is the engine's from now on.
     *
     * @return the chunk (never empty), or null when no chunk is buffered now
     */
    ByteBuffer poll();

    /** @return true when the whole entity has arrived and been polled */
    boolean isComplete();

    /** @return why the entity cannot be read further, or null while it can */
    Throwable failure();

    /**
     * Returns the entity length the request declared.
     *
     * @return {@code Content-Length}, 0 without a body, or -1 for a chunked entity (length unknown)
     */
    long declaredLength();

    /** @return the number of entity bytes received from the client so far (polled or not) */
    long receivedBytes();

    /**
     * Runs {@code callback} once, on the event loop, when a chunk arrives, the entity completes or
     * fails. Runs it at once (in a later event-loop task) when one of those is already the case.
     * A second registration before the first ran replaces it.
     *
     * @param callback what to run
     */
    void onAvailable(Runnable callback);

    /**
     * Returns a complete body holding {@code bytes}, for transports and tests that have the entity
     * whole (in-process requests). {@link #onAvailable} runs its callback at once, on the caller.
     *
     * @param bytes the entity; its bytes between position and limit are handed out once
     * @return the body
     */
    static RequestBody of(ByteBuffer bytes) {
        return new RequestBody() {
            private ByteBuffer left = bytes.hasRemaining() ? bytes : null;
            private final long length = bytes.remaining();

            @Override
            public ByteBuffer poll() {
                ByteBuffer b = left;
                left = null;
                return b;
            }

            @Override
            public boolean isComplete() {
                return left == null;
            }

            @Override
            public Throwable failure() {
                return null;
            }

            @Override
            public long declaredLength() {
                return length;
            }

            @Override
            public long receivedBytes() {
                return length;
            }

            @Override
            public void onAvailable(Runnable callback) {
                callback.run();
            }
        };
    }
}
