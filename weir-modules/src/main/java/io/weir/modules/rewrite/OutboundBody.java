package io.weir.modules.rewrite;

import io.weir.api.http.DataChunk;
import io.weir.api.http.StoredContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The body rules that apply to one response, in order, as a chain of stages (tag-attribute
 * rewriting by {@link HtmlLinkFilter}, whole-body patterns by {@link BodyPatternFilter}), each
 * holding back at most a bounded tail across sends. Kept in the request's module context from the
 * first send to the last.
 *
 * <p>Memory stays bounded by the size of a send, not of the body: a send of memory chunks is
 * filtered in memory; a send carrying a file (a static file goes out as one) is read in pieces of
 * 64 KiB and its rewritten bytes written to a temporary file, sent in its place and deleted when
 * the request ends.
 */
final class OutboundBody implements StoredContext {

    /** One stage of the chain. */
    interface Stage {
        /**
         * @param piece the next bytes of the body, as ISO-8859-1 characters
         * @param last  whether the body ends with them
         * @return the bytes to pass on, as ISO-8859-1 characters
         */
        String filter(String piece, boolean last);
    }

    private static final int PIECE = 64 * 1024;

    private final List<Stage> stages;
    private final List<Path> temporary = new ArrayList<>(1);

    /**
     * @param stages the stages, in rule order
     */
    OutboundBody(List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    /**
     * Filters the chunks of one send.
     *
     * @param chunks the send's chunks, in order
     * @param last   whether this is the final send
     * @return the chunks to send instead
     * @throws UncheckedIOException if a file cannot be read or the temporary file written
     */
    List<DataChunk> filter(List<DataChunk> chunks, boolean last) {
        boolean hasFile = false;
        for (DataChunk c : chunks) {
            hasFile |= c instanceof DataChunk.File;
        }
        try {
            if (!hasFile) {
                StringBuilder in = new StringBuilder();
                for (DataChunk c : chunks) {
                    ByteBuffer b = ((DataChunk.Memory) c).buffer().duplicate();
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    in.append(new String(bytes, StandardCharsets.ISO_8859_1));
                }
                byte[] out = run(in.toString(), last).getBytes(StandardCharsets.ISO_8859_1);
                return out.length == 0 ? List.of() : List.of(DataChunk.ofBytes(out));
            }
            Path path = Files.createTempFile("weir-rewrite-", ".body");
            temporary.add(path);
            long written = 0;
            try (FileChannel target = FileChannel.open(path, StandardOpenOption.WRITE)) {
                for (int i = 0; i < chunks.size(); i++) {
                    boolean lastChunk = last && i == chunks.size() - 1;
                    DataChunk c = chunks.get(i);
                    if (c instanceof DataChunk.Memory m) {
                        ByteBuffer b = m.buffer().duplicate();
                        byte[] bytes = new byte[b.remaining()];
                        b.get(bytes);
                        written += write(target, run(new String(bytes, StandardCharsets.ISO_8859_1), lastChunk));
                    } else if (c instanceof DataChunk.File f) {
                        written += filterFile(f, target, lastChunk);
                    }
                }
            }
            return written == 0 ? List.of() : List.of(new DataChunk.File(path, 0, written));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long filterFile(DataChunk.File f, FileChannel target, boolean lastChunk) throws IOException {
        long written = 0;
        try (FileChannel source = FileChannel.open(f.path(), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(PIECE);
            long position = f.offset();
            long end = f.offset() + f.length();
            while (position < end) {
                buffer.clear().limit((int) Math.min(PIECE, end - position));
                int n = source.read(buffer, position);
                if (n < 0) {
                    throw new IOException(f.path() + " is shorter than the response says");
                }
                position += n;
                String piece = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
                written += write(target, run(piece, lastChunk && position >= end));
            }
        }
        return written;
    }

    private static long write(FileChannel target, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        long n = b.remaining();
        while (b.hasRemaining()) {
            target.write(b);
        }
        return n;
    }

    private String run(String piece, boolean last) {
        String text = piece;
        for (Stage s : stages) {
            text = s.filter(text, last);
        }
        return text;
    }

    /** Deletes the temporary files (the transport holds them open while it still sends them). */
    @Override
    public void cleanupStoredContext() {
        for (Path p : temporary) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // the temporary folder's own cleaning removes it
            }
        }
        temporary.clear();
    }
}
