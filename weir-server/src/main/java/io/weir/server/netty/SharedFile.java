package io.weir.server.netty;

import io.netty.channel.DefaultFileRegion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open file shared by the regions of one response (a multi-range answer sends many ranges of
 * the same file): the file is opened once, and closed when the response has let go of it and the
 * last of its regions has been written or dropped. Thread-safe.
 */
final class SharedFile {

    private final FileChannel channel;
    private final long size;
    /** One hold for the response, one per region not yet released. */
    private final AtomicInteger holds = new AtomicInteger(1);

    private SharedFile(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    /**
     * Opens a file for reading.
     *
     * @param path the file
     * @return the shared file, held once by the caller
     * @throws IOException when the file cannot be opened
     */
    static SharedFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new SharedFile(channel, channel.size());
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** @return the file's size in bytes when it was opened */
    long size() {
        return size;
    }

    /**
     * Returns a region of the file that holds it open until the region is released.
     *
     * @param offset where the region starts, in bytes
     * @param length its length in bytes
     * @return the region
     */
    DefaultFileRegion region(long offset, long length) {
        holds.incrementAndGet();
        return new DefaultFileRegion(channel, offset, length) {
            @Override
            protected void deallocate() {
                SharedFile.this.release();
            }
        };
    }

    /** Drops one hold; the last closes the file. */
    void release() {
        if (holds.decrementAndGet() == 0) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a file opened for reading: nothing to recover
            }
        }
    }
}
