package io.weir.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Turns the zero-copy file regions the exchange writes into chunks a {@code ChunkedWriteHandler}
 * sends with back-pressure, where the bytes must pass through the process: under TLS (the file is
 * encrypted) and on HTTP/2 streams (the file becomes DATA frames). In {@code httpContent} mode the
 * chunks are {@link HttpContent}s (for the HTTP/2 stream codec), else plain buffers (below the
 * HTTP/1.1 encoder). Sharable; stateless.
 */
@ChannelHandler.Sharable
public final class FileRegionChunks extends ChannelOutboundHandlerAdapter {

    /** Plain buffers, for an HTTP/1.1 connection under TLS. */
    public static final FileRegionChunks BYTES = new FileRegionChunks(false);
    /** HTTP contents, for an HTTP/2 stream. */
    public static final FileRegionChunks HTTP_CONTENT = new FileRegionChunks(true);

    private static final int CHUNK = 16 * 1024;
    private final boolean httpContent;

    private FileRegionChunks(boolean httpContent) {
        this.httpContent = httpContent;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof FileRegion region) {
            Input input = new Input(region);
            ctx.write(httpContent ? new ContentInput(input) : input, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /** Reads a file region in chunks of 16 KiB. */
    private static final class Input implements ChunkedInput<ByteBuf> {
        private final FileRegion region;
        private long done;

        Input(FileRegion region) {
            this.region = region;
        }

        @Override
        public boolean isEndOfInput() {
            return done >= region.count();
        }

        @Override
        public void close() {
            region.release();
        }

        @Deprecated
        @Override
        public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
            if (isEndOfInput()) {
                return null;
            }
            int size = (int) Math.min(CHUNK, region.count() - done);
            ByteBuf buf = allocator.buffer(size);
            boolean ok = false;
            try {
                BufferTarget target = new BufferTarget(buf, size);
                while (target.room() > 0) {
                    long n = region.transferTo(target, done);
                    if (n <= 0) {
                        throw new IOException("the file ended before the response did");
                    }
                    done += n;
                }
                ok = true;
                return buf;
            } finally {
                if (!ok) {
                    buf.release();
                }
            }
        }

        @Override
        public long length() {
            return region.count();
        }

        @Override
        public long progress() {
            return done;
        }
    }

    /** The same chunks as HTTP contents. */
    private record ContentInput(Input input) implements ChunkedInput<HttpContent> {
        @Override
        public boolean isEndOfInput() {
            return input.isEndOfInput();
        }

        @Override
        public void close() {
            input.close();
        }

        @Deprecated
        @Override
        public HttpContent readChunk(ChannelHandlerContext ctx) throws Exception {
            return readChunk(ctx.alloc());
        }

        @Override
        public HttpContent readChunk(ByteBufAllocator allocator) throws Exception {
            ByteBuf buf = input.readChunk(allocator);
            return buf == null ? null : new DefaultHttpContent(buf);
        }

        @Override
        public long length() {
            return input.length();
        }

        @Override
        public long progress() {
            return input.progress();
        }
    }

    /** A channel that fills a buffer up to a limit. */
    private static final class BufferTarget implements WritableByteChannel {
        private final ByteBuf buf;
        private final int limit;

        BufferTarget(ByteBuf buf, int limit) {
            this.buf = buf;
            this.limit = limit;
        }

        int room() {
            return limit - buf.writerIndex();
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(src.remaining(), room());
            ByteBuffer slice = src.slice(src.position(), n);
            buf.writeBytes(slice);
            src.position(src.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }
}
