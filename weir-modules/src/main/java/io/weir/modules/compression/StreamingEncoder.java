package io.weir.modules.compression;

import io.weir.api.http.DataChunk;
import io.weir.api.http.StoredContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One response's encoder for dynamic compression: each send's chunks go through it and come out
 * coded, flushed at the end of a non-final send (so a streamed response reaches the client as it
 * is written) and finished on the final one. It holds the codec's window and the coded bytes of
 * the current send only, in segments of at most {@code dynamicCompressionBufferLimit} bytes.
 * Kept as the module's per-request context; the request's end releases the codec.
 */
final class StreamingEncoder implements StoredContext {

    private final Segments sink;
    private final OutputStream encoder;
    private boolean finished;

    /**
     * @param coding      the coding
     * @param level       the scheme's dynamic level
     * @param bufferLimit the largest output segment
     * @throws IOException if the codec cannot start
     */
    StreamingEncoder(ContentCoding coding, long level, long bufferLimit) throws IOException {
        this.sink = new Segments((int) Math.min(bufferLimit, 1 << 20));
        this.encoder = coding.encoder(sink, level);
    }

    /**
     * Codes one send's entity.
     *
     * @param chunks the send's chunks
     * @param last   true on the final send
     * @return the coded chunks to send instead
     */
    List<DataChunk> encode(List<DataChunk> chunks, boolean last) {
        try {
            byte[] copy = null;
            for (DataChunk chunk : chunks) {
                switch (chunk) {
                    case DataChunk.Memory m -> {
                        ByteBuffer b = m.buffer().duplicate();
                        if (b.hasArray()) {
                            encoder.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
                        } else {
                            if (copy == null) {
                                copy = new byte[8192];
                            }
                            while (b.hasRemaining()) {
                                int n = Math.min(copy.length, b.remaining());
                                b.get(copy, 0, n);
                                encoder.write(copy, 0, n);
                            }
                        }
                    }
                    case DataChunk.File f -> {
                        try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ);
                                InputStream in = Channels.newInputStream(ch.position(f.offset()))) {
                            long left = f.length();
                            byte[] buf = new byte[8192];
                            while (left > 0) {
                                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                                if (n < 0) {
                                    break;
                                }
                                encoder.write(buf, 0, n);
                                left -= n;
                            }
                        }
                    }
                }
            }
            if (last) {
                finished = true;
                encoder.close();
            } else {
                encoder.flush();
            }
            return sink.drain();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Releases the codec when the response ended before its final send. */
    @Override
    public void cleanupStoredContext() {
        if (!finished) {
            finished = true;
            try {
                encoder.close();
            } catch (IOException | RuntimeException ignored) {
                // the response is gone; nothing to send the end of the stream to
            }
        }
    }

    /** Collects coded bytes in segments. */
    private static final class Segments extends OutputStream {
        private final int segment;
        private final List<DataChunk> done = new ArrayList<>(2);
        private byte[] current;
        private int used;

        Segments(int segment) {
            this.segment = Math.max(1024, segment);
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (current == null) {
                    current = new byte[Math.min(segment, Math.max(len, 4096))];
                    used = 0;
                }
                if (used == current.length) {
                    if (current.length < segment) {
                        current = Arrays.copyOf(current, Math.min(segment, current.length * 2));
                    } else {
                        seal();
                        continue;
                    }
                }
                int n = Math.min(len, current.length - used);
                System.arraycopy(b, off, current, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        private void seal() {
            if (current != null && used > 0) {
                done.add(new DataChunk.Memory(ByteBuffer.wrap(current, 0, used)));
            }
            current = null;
            used = 0;
        }

        List<DataChunk> drain() {
            seal();
            List<DataChunk> out = List.copyOf(done);
            done.clear();
            return out;
        }
    }
}
