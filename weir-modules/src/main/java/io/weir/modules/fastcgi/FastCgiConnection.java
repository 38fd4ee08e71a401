package io.weir.modules.fastcgi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A byte stream to one FastCGI application, as FastCgiModule uses it: blocking reads and writes
 * made from a virtual thread of the server's blocking executor, never from an event loop. The
 * module's only transport contract, kept this small so that it can move onto a server-provided
 * outbound connector without touching the protocol code.
 */
public interface FastCgiConnection extends AutoCloseable {

    /**
     * Reads what is available into {@code target}, blocking until at least one byte arrives.
     *
     * @param target where to put the bytes
     * @return the count read, or -1 when the application closed the connection
     * @throws IOException if the read fails (also when {@link #close()} was called meanwhile)
     */
    int read(ByteBuffer target) throws IOException;

    /**
     * Writes all of {@code source}, blocking while the application does not read.
     *
     * @param source the bytes, consumed
     * @throws IOException if the write fails
     */
    void write(ByteBuffer source) throws IOException;

    /**
     * Tells whether the connection can carry another request ({@code FCGI_KEEP_CONN}): it is open
     * and the application has neither closed it nor sent anything unasked. Does not block.
     *
     * @return true when the connection may be reused
     */
    default boolean isReusable() {
        return false;
    }

    /** Closes the connection; a read or write blocked on it fails. Idempotent; never throws. */
    @Override
    void close();
}
