package io.weir.modules.caching;

import io.weir.api.HttpServer;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Copies a buffered response's headers and entity, for the caches. Event loop only. */
final class ResponseCapture {

    private ResponseCapture() {}

    /**
     * @return the response's headers as the caches keep them: without Date, Content-Length,
     *         Transfer-Encoding, Connection and Keep-Alive, which the transport writes itself
     */
    static List<Map.Entry<String, String>> headers(HttpResponse response) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String name : response.headerNames()) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "date", "content-length", "transfer-encoding", "connection", "keep-alive" -> {}
                default -> response.header(name).ifPresent(v -> out.add(Map.entry(name, v)));
            }
        }
        return out;
    }

    /** @return the bytes of the entity chunks the response holds */
    static long length(List<DataChunk> chunks) {
        long total = 0;
        for (DataChunk c : chunks) {
            total += c.length();
        }
        return total;
    }

    /**
     * Copies the entity chunks into one buffer (file chunks are read, from the server's file cache
     * when it holds the whole file).
     *
     * @return the entity, or empty when a file cannot be read or the total exceeds {@code max}
     */
    static Optional<ByteBuffer> body(HttpServer server, List<DataChunk> chunks, long max) {
        long total = length(chunks);
        if (total > max) {
            return Optional.empty();
        }
        ByteBuffer body = ByteBuffer.allocate((int) total);
        for (DataChunk c : chunks) {
            if (c instanceof DataChunk.Memory m) {
                body.put(m.buffer().duplicate());
            } else if (c instanceof DataChunk.File f && !read(server, f, body)) {
                return Optional.empty();
            }
        }
        return Optional.of(body.flip().asReadOnlyBuffer());
    }

    private static boolean read(HttpServer server, DataChunk.File f, ByteBuffer into) {
        Optional<HttpFileInfo> info = server.fileInfo(f.path());
        Optional<ByteBuffer> cached = info.flatMap(HttpFileInfo::fileBuffer);
        if (cached.isPresent() && f.offset() == 0 && cached.get().remaining() == f.length()) {
            into.put(cached.get().duplicate());
            return true;
        }
        try (FileChannel channel = FileChannel.open(f.path(), StandardOpenOption.READ)) {
            ByteBuffer slice = into.slice(into.position(), (int) f.length());
            long position = f.offset();
            while (slice.hasRemaining()) {
                int n = channel.read(slice, position);
                if (n < 0) {
                    return false;
                }
                position += n;
            }
            into.position(into.position() + (int) f.length());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
