package io.weir.core.internal.context;

import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A flush whose SEND_RESPONSE a module holds by returning PENDING: IIS suspends the flush until
 * that module completes ({@code IndicateCompletion}, or {@code PostCompletion} and its
 * {@code OnAsyncCompletion}), then the SEND_RESPONSE modules after it run and the data goes out;
 * an asynchronous flush's writer gets its {@code OnAsyncCompletion} once the bytes are written.
 *
 * <p>What the writer does meanwhile: on a blocking thread its flush waits, as IIS's synchronous
 * flush does. On the event loop, which cannot wait, its writes are buffered behind the held
 * send, a further flush joins it (an asynchronous one completes with it), and the final send waits
 * for it. While a flush is held, the request's {@code indicateCompletion} and
 * {@code postCompletion} complete the module that holds it (in IIS nothing else of the request can
 * be pending then: the flush blocks its writer).
 *
 * <p>Created on the thread that flushed; completed on the request's event loop.
 */
public final class HeldFlush {

    /** The send's provider, which the remaining SEND_RESPONSE modules get. */
    final SendResponseEvent event;

    /** False once a flush that said no more data follows joined the held one. */
    boolean moreData;

    /** An asynchronous flush (or write) joined: its writer's onAsyncCompletion follows the write. */
    boolean completesWriter;

    /** Completed once the held send has gone out, or was dropped; a blocking writer waits on it. */
    final CompletableFuture<Void> released = new CompletableFuture<>();

    HeldFlush(SendResponseEvent event, boolean moreData) {
        this.event = event;
        this.moreData = moreData;
    }

    /**
     * Delivers a module's completion of the request ({@code IndicateCompletion} with a status, or
     * {@code PostCompletion} with an info) on the event loop: to the module holding a flush when
     * one is held, else to the pipeline's parked notification. While a blocking thread is raising
     * SEND_RESPONSE for a flush, the completion waits for it to know whether the flush is held.
     *
     * @param c      the request (top-level)
     * @param status the status of {@code IndicateCompletion}, or null
     * @param info   the completion of {@code PostCompletion}, or null
     */
    static void deliver(RequestContext c, RequestNotificationStatus status, CompletionInfo info) {
        ResponseImpl response = c.response;
        if (response.raisingFlush) {
            c.eventLoop().execute(() -> deliver(c, status, info));
            return;
        }
        if (response.heldFlush != null) {
            c.pipeline.completeHeldSend(status, info);
        } else if (info != null) {
            c.pipeline.complete(info);
        } else {
            c.pipeline.resume(status);
        }
    }

    /**
     * Goes on with a flush held by a SEND_RESPONSE module once it completed; on the event loop.
     *
     * @param c the request
     * @return true when the flush is held further (another module returned PENDING)
     */
    public static boolean proceed(RequestContext c) {
        ResponseImpl response = c.response;
        HeldFlush held = response.heldFlush;
        if (held == null) {
            return false;
        }
        long before = response.bytesSent();
        if (response.sendHeld(held)) {
            return true;
        }
        if (held.completesWriter) {
            EntityWrites.completeWhenWritten(c, c.exchange(), response.bytesSent() - before);
        }
        held.released.complete(null);
        return false;
    }

    /**
     * Makes a blocking thread's flush wait for the held send, as IIS's synchronous flush blocks,
     * at most the pending deadline.
     *
     * @return false (the flush is no longer held)
     * @throws IllegalStateException when the deadline passed or the held send was dropped
     */
    static boolean await(RequestContext c, HeldFlush held) {
        try {
            held.released.get(c.pipeline.pendingDeadlineNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a SEND_RESPONSE module held the flush", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "the SEND_RESPONSE module that returned PENDING for this flush did not complete within the "
                            + "pending deadline",
                    e);
        }
        return false;
    }

    /**
     * @param c the request
     * @return true while a SEND_RESPONSE module holds a flush of the request's response
     */
    public static boolean isHeld(RequestContext c) {
        return c.response.heldFlush != null;
    }

    /**
     * Gives up a held flush (the pending deadline passed): its data stays buffered for the final
     * send, and a blocking writer waiting for it is released with an error.
     *
     * @param c the request
     */
    public static void drop(RequestContext c) {
        HeldFlush held = c.response.heldFlush;
        c.response.heldFlush = null;
        if (held != null) {
            held.released.completeExceptionally(new TimeoutException("the held flush was given up"));
        }
    }
}
