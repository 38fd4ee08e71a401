package io.weir.modules.compression;

import io.weir.api.HttpModule;
import io.weir.api.ModuleId;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.http.ScriptMapInfo;
import io.weir.api.http.StoredContext;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.SendResponseProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * Serves static files compressed; mirrors IIS's StaticCompressionModule ({@code compstat.dll}).
 * One instance serves every request; it holds the compressed-file cache and the hit counters.
 *
 * <p>In SEND_RESPONSE (the final send, before the headers go out, on the request's event loop) it
 * takes a 200 response that the {@code StaticFileModule} handler made of a whole file, and when
 * {@code urlCompression@doStaticCompression} is on, the type is enabled in {@code staticTypes},
 * the file has at least {@code minFileSizeForComp} bytes, the request passes the HTTP/1.0, proxy
 * and range checks, the client accepts one of the schemes that do static compression, and the CPU
 * is not above {@code staticCompressionDisableCpuUsage}, it replaces the body by the compressed
 * copy of the file: {@code Content-Encoding}, {@code Vary: Accept-Encoding} and a per-coding
 * {@code ETag} follow. With no copy yet, the file is answered as it is and a copy is made in the
 * background, once the file is frequently hit ({@code serverRuntime@frequentHitThreshold} within
 * {@code frequentHitTimePeriod}, unless {@code staticCompressionIgnoreHitFrequency}), as IIS does.
 *
 * <p>In PRE_EXECUTE_REQUEST_HANDLER, when the static file handler is chosen, it removes the coding
 * suffix from the tags of {@code If-None-Match}, so a client revalidating a compressed copy gets
 * its 304 from the static file handler, with the coded tag. {@code noCompressionForRange="false"} (not IIS's default) answers a single range of a file
 * whose copy exists from the copy (the range applies to the coded bytes, RFC 9110 section 14);
 * several ranges are answered uncompressed.
 */
public final class StaticCompressionModule implements HttpModule {

    private final ModuleId id;
    private final ExecutorService executor;
    private final CompressedFileCache cache = new CompressedFileCache();
    private final FrequentHits hits = new FrequentHits();
    private final CpuGate cpu = new CpuGate();

    /**
     * @param id       this module's id, for its per-request context
     * @param executor the server's blocking executor, where copies are made
     */
    StaticCompressionModule(ModuleId id, ExecutorService executor) {
        this.id = id;
        this.executor = executor;
    }

    /** The coding named by the tag a client revalidates with. */
    private record Revalidating(ContentCoding coding) implements StoredContext {
        @Override
        public void cleanupStoredContext() {}
    }

    /**
     * Strips coding suffixes from {@code If-None-Match} when the static file handler is about to run.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE
     */
    @Override
    public RequestNotificationStatus onPreExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        if (!servedByStaticFile(context)) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpRequest request = context.request();
        Optional<String> inm = request.header("If-None-Match");
        if (inm.isPresent()) {
            ResponseHeaders.Stripped stripped = ResponseHeaders.stripCodedTags(inm.get());
            if (stripped != null) {
                request.setHeader("If-None-Match", stripped.value(), true);
                context.moduleContextContainer().setModuleContext(new Revalidating(stripped.coding()), id);
            }
        }
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Replaces a static file's body by its compressed copy when IIS would.
     *
     * @param context  the request
     * @param provider the send
     * @return CONTINUE
     */
    @Override
    public RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
        if (!provider.headersBeingSent() || !provider.isFinalSend()) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpResponse response = context.response();
        int status = response.statusCode();
        if ((status != 200 && status != 206 && status != 304) || !servedByStaticFile(context)) {
            return RequestNotificationStatus.CONTINUE;
        }
        if (response.header("Content-Encoding").isPresent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        if (!context.config(UrlCompressionSection.SECTION).doStaticCompression()) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpCompressionSection section = context.config(HttpCompressionSection.SECTION);
        if (status == 304) {
            if (context.moduleContextContainer().moduleContext(id).orElse(null) instanceof Revalidating r) {
                response.header("ETag")
                        .ifPresent(tag -> response.setHeader("ETag", ResponseHeaders.codedEtag(tag, r.coding()), true));
                ResponseHeaders.varyOnAcceptEncoding(response);
            }
            return RequestNotificationStatus.CONTINUE;
        }
        Optional<HttpFileInfo> found = context.fileInfo();
        if (found.isEmpty() || found.get().isDirectory()) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpFileInfo file = found.get();
        String type = response.header("Content-Type").orElse("");
        if (type.regionMatches(true, 0, "multipart/", 0, 10)) {
            return RequestNotificationStatus.CONTINUE; // several ranges: answered from the file
        }
        if (!section.staticTypes().matches(type) || file.size() < section.minFileSizeForComp()) {
            return RequestNotificationStatus.CONTINUE;
        }
        ResponseHeaders.varyOnAcceptEncoding(response);
        HttpRequest request = context.request();
        if (status == 206 && section.noCompressionForRange()) {
            return RequestNotificationStatus.CONTINUE;
        }
        if (!ResponseHeaders.requestAllows(request, section) || !cpu.allows(section.staticCpu())) {
            return RequestNotificationStatus.CONTINUE;
        }
        if (status == 200 && !wholeFile(response, file)) {
            return RequestNotificationStatus.CONTINUE;
        }
        List<Scheme> schemes = section.staticSchemes();
        if (section.servePrecompressed()) {
            if (servePrecompressed(context, response, file, schemes, section, status)) {
                return RequestNotificationStatus.CONTINUE;
            }
        }
        Scheme scheme = AcceptEncoding.choose(request, schemes);
        if (scheme == null) {
            return RequestNotificationStatus.CONTINUE;
        }
        CompressedFileCache.Key key = new CompressedFileCache.Key(
                section.directory(),
                file.path(),
                file.size(),
                file.lastModified().toEpochMilli(),
                scheme.coding(),
                scheme.staticLevel());
        Optional<CompressedFileCache.Copy> copy = cache.lookup(key);
        if (copy.isPresent()) {
            serve(context, response, file, scheme.coding(), copy.get().file, copy.get().length, section, status);
            return RequestNotificationStatus.CONTINUE;
        }
        // answered as it is until the copy exists: no kernel-style cache entry may keep it so
        response.cachePolicy().disableKernelCache();
        if (section.ignoreHitFrequency() || hits.hit(file.path(), context.config(ServerRuntimeSection.SECTION))) {
            cache.schedule(key, executor, section.doDiskSpaceLimiting() ? section.maxDiskSpaceBytes() : -1);
        }
        return RequestNotificationStatus.CONTINUE;
    }

    private static boolean servedByStaticFile(HttpContext context) {
        Optional<ScriptMapInfo> map = context.scriptMap();
        return map.isPresent() && map.get().modules().contains("StaticFileModule");
    }

    private static boolean wholeFile(HttpResponse response, HttpFileInfo file) {
        List<DataChunk> chunks = response.entityChunks();
        if (chunks.size() != 1) {
            return false;
        }
        DataChunk only = chunks.get(0);
        return only.length() == file.size()
                && (only instanceof DataChunk.Memory || only instanceof DataChunk.File f && f.offset() == 0);
    }

    private boolean servePrecompressed(
            HttpContext context,
            HttpResponse response,
            HttpFileInfo file,
            List<Scheme> schemes,
            HttpCompressionSection section,
            int status) {
        List<Scheme> present = new ArrayList<>(schemes.size());
        List<HttpFileInfo> siblings = new ArrayList<>(schemes.size());
        for (Scheme s : schemes) {
            Path sibling = file.path()
                    .resolveSibling(file.path().getFileName() + s.coding().siblingSuffix());
            Optional<HttpFileInfo> info = context.server().fileInfo(sibling);
            if (info.isPresent()
                    && !info.get().isDirectory()
                    && !info.get().lastModified().isBefore(file.lastModified())) {
                present.add(s);
                siblings.add(info.get());
            }
        }
        Scheme chosen = AcceptEncoding.choose(context.request(), present);
        if (chosen == null) {
            return false;
        }
        HttpFileInfo sibling = siblings.get(present.indexOf(chosen));
        serve(context, response, file, chosen.coding(), sibling.path(), sibling.size(), section, status);
        return true;
    }

    private static void serve(
            HttpContext context,
            HttpResponse response,
            HttpFileInfo file,
            ContentCoding coding,
            Path copy,
            long length,
            HttpCompressionSection section,
            int status) {
        if (status == 206) {
            long[] range = singleRange(context.request().header("Range").orElse(""), length);
            if (range == null) {
                return;
            }
            response.clearEntity();
            if (range.length == 0) {
                response.setStatus(HttpStatus.RANGE_NOT_SATISFIABLE);
                response.setHeader("Content-Range", "bytes */" + length, true);
            } else {
                response.setHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + length, true);
                response.writeEntityChunks(new DataChunk.File(copy, range[0], range[1] - range[0] + 1));
            }
        } else {
            response.clearEntity();
            response.writeEntityChunks(new DataChunk.File(copy, 0, length));
        }
        response.setHeader("Content-Encoding", coding.token(), true);
        response.header("ETag")
                .ifPresent(tag -> response.setHeader("ETag", ResponseHeaders.codedEtag(tag, coding), true));
        if (section.sendCacheHeaders()) {
            response.setHeader("Expires", section.expiresHeader(), true);
            response.setHeader("Cache-Control", section.cacheControlHeader(), true);
        }
    }

    /**
     * Parses a single-range {@code Range} value over a length.
     *
     * @return {first, last}, an empty array when unsatisfiable, or null when not a single byte range
     */
    static long[] singleRange(String header, long length) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || length == 0) {
                    return new long[0];
                }
                return new long[] {Math.max(0, length - suffix), length - 1};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? length - 1 : Math.min(Long.parseLong(b), length - 1);
            if (first >= length || last < first) {
                return new long[0];
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** @return the compressed-file cache, for tests and status */
    CompressedFileCache cache() {
        return cache;
    }

    /**
     * Names the module as IIS does.
     *
     * @return {@code "StaticCompressionModule"}
     */
    @Override
    public String toString() {
        return "StaticCompressionModule";
    }
}
