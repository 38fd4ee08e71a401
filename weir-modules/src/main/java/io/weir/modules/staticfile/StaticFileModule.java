package io.weir.modules.staticfile;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Serves an existing regular file as the response entity; mirrors IIS's StaticFileModule
 * ({@code static.dll}). Stateless: one shared instance serves every request.
 *
 * <p>Runs in {@link io.weir.api.RequestNotification#EXECUTE_REQUEST_HANDLER}, on the request's
 * event loop, when the {@code StaticFile} handler mapping was chosen. It never blocks: it stats the
 * file through the server's file cache and hands the body over as a zero-copy
 * {@link DataChunk.File} (or the cached bytes of a small file, {@code HttpFileInfo.fileBuffer()}); the engine sets {@code Content-Length} and drops the body for HEAD.
 */
public final class StaticFileModule implements HttpModule {

    /** What IIS's static file handler answers in {@code Allow} with its 405.0. */
    static final String ALLOW = "GET, HEAD, OPTIONS, TRACE";

    static final StaticFileModule INSTANCE = new StaticFileModule();

    private StaticFileModule() {}

    /**
     * Serves the file at {@link HttpContext#physicalPath()}: 405.0 for verbs other than GET/HEAD,
     * 404.3 when {@code staticContent} maps no MIME type for its extension, 304/412 for conditional
     * requests, 206/416 for ranges (GET only), else 200 with the whole file. A directory (or
     * nothing) at the path is left to the handler's next module.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE (also when the path is not a file), or FINISH_REQUEST after an error status
     */
    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        Optional<HttpFileInfo> found = context.fileInfo();
        if (found.isEmpty() || found.get().isDirectory()) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpFileInfo file = found.get();
        HttpRequest request = context.request();
        HttpResponse response = context.response();
        context.setRequestHandled();

        String method = request.method();
        boolean get = "GET".equals(method);
        if (!get && !"HEAD".equals(method)) {
            response.setStatus(HttpStatus.METHOD_NOT_ALLOWED);
            response.setHeader("Allow", ALLOW, true);
            return RequestNotificationStatus.FINISH_REQUEST;
        }

        StaticFileSection section = context.config(StaticFileSection.SECTION);
        Path path = file.path();
        Path name = path.getFileName();
        Optional<String> contentType = section.mimeTypeOf(name == null ? "" : name.toString());
        if (contentType.isEmpty()) {
            response.setStatus(HttpStatus.MIME_MAP_MISSING);
            response.setErrorDescription("The server has no MIME map (system.webServer/staticContent) "
                    + "for the extension of the requested file.");
            return RequestNotificationStatus.FINISH_REQUEST;
        }

        StaticFileSection.ClientCache cache = section.clientCache();
        if (cache.setEtag()) {
            response.setHeader("ETag", file.etag(), true);
        }
        response.setHeader("Last-Modified", file.lastModifiedString(), true);
        if (!cache.cacheControl().isEmpty()) {
            response.setHeader("Cache-Control", cache.cacheControl(), true);
        }
        if (!cache.expires().isEmpty()) {
            response.setHeader("Expires", cache.expires(), true);
        }

        switch (Preconditions.evaluate(request, file)) {
            case NOT_MODIFIED -> {
                response.setStatus(HttpStatus.NOT_MODIFIED);
                return RequestNotificationStatus.CONTINUE;
            }
            case FAILED -> {
                response.setStatus(HttpStatus.PRECONDITION_FAILED);
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            case PROCEED -> {}
        }

        String type = contentType.get();
        response.setHeader("Accept-Ranges", "bytes", true);
        long size = file.size();
        if (get) {
            Optional<String> range = request.header("Range");
            if (range.isPresent()) {
                Optional<String> ifRange = request.header("If-Range");
                if (ifRange.isEmpty() || Preconditions.ifRangeMatches(ifRange.get(), file)) {
                    List<ByteRange> ranges = ByteRange.parse(range.get(), size);
                    if (ranges != null) {
                        return serveRanges(response, file, type, size, ranges);
                    }
                }
            }
        }
        response.setHeader("Content-Type", type, true);
        response.writeEntityChunks(body(file, 0, size));
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * The bytes of a range of the file: from the server's file cache when it holds the content
     * (IIS serves small files from its file cache too), else a zero-copy file chunk.
     */
    private static DataChunk body(HttpFileInfo file, long offset, long length) {
        Optional<ByteBuffer> cached = file.fileBuffer();
        if (cached.isPresent()) {
            return new DataChunk.Memory(cached.get().slice((int) offset, (int) length));
        }
        return new DataChunk.File(file.path(), offset, length);
    }

    private static RequestNotificationStatus serveRanges(
            HttpResponse response, HttpFileInfo file, String type, long size, List<ByteRange> ranges) {
        if (ranges.isEmpty()) {
            response.setStatus(HttpStatus.RANGE_NOT_SATISFIABLE);
            response.setHeader("Content-Range", "bytes */" + size, true);
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        response.setStatus(HttpStatus.PARTIAL_CONTENT);
        if (ranges.size() == 1) {
            ByteRange only = ranges.get(0);
            response.setHeader("Content-Type", type, true);
            response.setHeader("Content-Range", contentRange(only, size), true);
            response.writeEntityChunks(body(file, only.first(), only.length()));
            return RequestNotificationStatus.CONTINUE;
        }
        String boundary = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE)
                + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        response.setHeader("Content-Type", "multipart/byteranges; boundary=" + boundary, true);
        DataChunk[] chunks = new DataChunk[ranges.size() * 2 + 1];
        int k = 0;
        for (ByteRange range : ranges) {
            String partHeader = "\r\n--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Range: "
                    + contentRange(range, size) + "\r\n\r\n";
            chunks[k++] = DataChunk.ofBytes(partHeader.getBytes(StandardCharsets.ISO_8859_1));
            chunks[k++] = body(file, range.first(), range.length());
        }
        chunks[k] = DataChunk.ofBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        response.writeEntityChunks(chunks);
        return RequestNotificationStatus.CONTINUE;
    }

    private static String contentRange(ByteRange range, long size) {
        return "bytes " + range.first() + "-" + range.last() + "/" + size;
    }

    /**
     * Names the module as IIS does.
     *
     * @return {@code "StaticFileModule"}
     */
    @Override
    public String toString() {
        return "StaticFileModule";
    }
}
