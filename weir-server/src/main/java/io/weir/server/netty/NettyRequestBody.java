package io.weir.server.netty;

import io.netty.buffer.ByteBuf;
import io.weir.core.spi.RequestBody;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A request entity streamed from one connection: the connection handler offers each decoded chunk
 * (copied to a heap buffer, so that no Netty buffer outlives the read), the engine polls them. While
 * more than {@link #BUFFER_BOUND} bytes wait to be polled the connection stops reading from the
 * socket; polling below it reads again. The connection handler calls it on the event loop; the
 * engine normally does too, but a module in a notification declared blocking reads on a virtual
 * thread, so the state is guarded by this object's monitor (uncontended on the event loop).
 */
final class NettyRequestBody implements RequestBody {

    /** Received-but-not-polled bytes above which the connection stops reading: 64 KiB. */
    static final int BUFFER_BOUND = 64 * 1024;

    /** The most unread body bytes drained after a response to keep the connection: 1 MiB. */
    static final long DRAIN_LIMIT = 1024 * 1024;

    private final HttpConnectionHandler connection;
    private final long declared;
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    private long buffered;
    private long received;
    private boolean ended;
    private boolean discarding;
    private Throwable failure;
    private Runnable callback;
    /** The engine has asked for bytes (polled or waited): a module reads this body. */
    private boolean asked;
    /** The client sent {@code Expect: 100-continue} and no {@code 100 Continue} has gone out yet. */
    private boolean awaitingContinue;

    NettyRequestBody(HttpConnectionHandler connection, long declared, boolean expectContinue) {
        this.connection = connection;
        this.declared = declared;
        this.awaitingContinue = expectContinue;
    }

    /**
     * Sends {@code 100 Continue} the first time the engine asks for bytes that have not come, when
     * the client asked for it: the client uploads only once a module actually reads (RFC 9110
     * section 10.1.1; a response decided without reading goes out as the final status straight away).
     */
    private void continueIfAwaited() {
        boolean send;
        synchronized (this) {
            send = awaitingContinue && chunks.isEmpty() && !ended && failure == null && !discarding;
            if (send || received > 0) {
                awaitingContinue = false;
            }
        }
        if (send) {
            connection.sendContinue(this);
        }
    }

    /**
     * Tells whether the client still waits for {@code 100 Continue}: nothing of the body has come and
     * no module asked for it. A response sent then closes the connection, since the client may or
     * may not send the body (RFC 9110 section 10.1.1).
     *
     * @return true while the body is awaited behind an unsent {@code 100 Continue}
     */
    synchronized boolean awaitingContinue() {
        return awaitingContinue && received == 0;
    }

    /** Takes a decoded chunk from the client (not retained: its bytes are copied). */
    synchronized void offer(ByteBuf bytes) {
        int n = bytes.readableBytes();
        received += n;
        if (discarding || failure != null || n == 0) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(n);
        bytes.getBytes(bytes.readerIndex(), copy);
        chunks.add(copy.flip());
        buffered += n;
        connection.transport().noteEntityBuffered(buffered);
        fire();
    }

    /** The last chunk arrived. */
    synchronized void end() {
        ended = true;
        fire();
    }

    /** The entity cannot be received further. */
    synchronized void fail(Throwable cause) {
        if (failure == null && !isComplete()) {
            failure = cause;
            chunks.clear();
            buffered = 0;
            fire();
        }
    }

    /** The exchange ended without reading everything: drop what is buffered and what still comes. */
    synchronized void discard() {
        discarding = true;
        chunks.clear();
        buffered = 0;
        callback = null;
    }

    synchronized boolean ended() {
        return ended;
    }

    /**
     * Tells whether the unread rest of this body is small enough to drain after the response (read
     * and discarded so that the connection serves its next request): it has ended, or has a
     * Content-Length with at most {@link #DRAIN_LIMIT} bytes still to come. Otherwise (a chunked body
     * not ended, or more to come) the response closes the connection. Weir's choice; IIS (HTTP.sys)
     * does not document its drain limit.
     *
     * @return true when the connection can be kept alive
     */
    synchronized boolean drainable() {
        return ended || !awaitingContinue() && failure == null && declared >= 0 && declared - received <= DRAIN_LIMIT;
    }

    /** @return true while the connection may read more of this body from the socket */
    synchronized boolean wantsMore() {
        return discarding || buffered < BUFFER_BOUND;
    }

    /** @return true once the engine has polled this body or waited for it */
    synchronized boolean asked() {
        return asked;
    }

    @Override
    public ByteBuffer poll() {
        continueIfAwaited();
        ByteBuffer b;
        boolean resume = false;
        synchronized (this) {
            asked = true;
            b = chunks.poll();
            if (b != null) {
                boolean wasFull = buffered >= BUFFER_BOUND;
                buffered -= b.remaining();
                resume = wasFull && buffered < BUFFER_BOUND;
            }
        }
        if (resume) {
            var loop = connection.context().executor();
            if (loop.inEventLoop()) {
                connection.bodyDrained();
            } else {
                loop.execute(connection::bodyDrained);
            }
        }
        return b;
    }

    @Override
    public synchronized boolean isComplete() {
        return ended && chunks.isEmpty();
    }

    @Override
    public synchronized Throwable failure() {
        return chunks.isEmpty() ? failure : null;
    }

    @Override
    public long declaredLength() {
        return declared;
    }

    @Override
    public synchronized long receivedBytes() {
        return received;
    }

    @Override
    public void onAvailable(Runnable task) {
        continueIfAwaited();
        register(task);
    }

    private synchronized void register(Runnable task) {
        asked = true;
        if (!chunks.isEmpty() || ended || failure != null) {
            callback = null;
            connection.context().executor().execute(task);
        } else {
            callback = task;
        }
    }

    private synchronized void fire() {
        Runnable task = callback;
        if (task != null) {
            callback = null;
            // a task of its own: the engine is not entered from inside the channel read
            connection.context().executor().execute(task);
        }
    }
}
