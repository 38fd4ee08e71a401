package io.weir.modules.caching;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.cache.KernelCacheEntry;
import io.weir.api.cache.KernelResponseCache;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.CacheOperation;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.SendResponseProvider;
import io.weir.modules.compression.ServerRuntimeSection;
import io.weir.modules.compression.UrlCompressionSection;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HttpCacheModule, one instance per request; mirrors IIS's {@code cachhttp.dll}.
 *
 * <ul>
 *   <li>RESOLVE_REQUEST_CACHE (event loop): a GET or HEAD whose URL has a storing profile and a
 *       copy in the output cache is answered from it (304 when its validators match) and the request
 *       finishes (FINISH_REQUEST), as IIS's output cache does.</li>
 *   <li>UPDATE_REQUEST_CACHE (event loop): a 200 to a GET, whole in the response's buffer, is stored
 *       in the output cache when its extension's profile says so (with the profile's
 *       {@code Cache-Control}); and the request is noted as a kernel-cache candidate when
 *       http.sys would cache it (see {@link #kernelEligible}).</li>
 *   <li>SEND_RESPONSE (event loop; priority FIRST, so in SEND_RESPONSE's reverse order it runs
 *       after the other modules, compression, outbound rewriting and custom errors included): the final response of a
 *       candidate goes to the {@link KernelResponseCache} as it is sent, unless a module called
 *       {@code disableKernelCache()} meanwhile; and with {@code dynamicCompressionBeforeCache} the
 *       output cache takes its copy here, compressed, instead of in UPDATE_REQUEST_CACHE.</li>
 * </ul>
 */
final class HttpCacheModule implements HttpModule {

    private final HttpCacheShared shared;
    private boolean kernelCandidate;
    private String userKeyAtSend;
    private long expiresAtNanos = Long.MAX_VALUE;
    private long kernelExpiresAtNanos = Long.MAX_VALUE;
    private Path dependency;
    private boolean servedStaticFile;

    HttpCacheModule(HttpCacheShared shared) {
        this.shared = shared;
    }

    @Override
    public RequestNotificationStatus onResolveRequestCache(HttpContext context, HttpEventProvider provider) {
        if (context.parentContext().isPresent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpRequest request = context.request();
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return RequestNotificationStatus.CONTINUE;
        }
        CachingSection section = context.config(CachingSection.SECTION);
        if (!section.enabled()) {
            return RequestNotificationStatus.CONTINUE;
        }
        Optional<CachingSection.Profile> profile = section.profileFor(request.urlPath());
        if (profile.isEmpty()
                || !profile.get().policy().stores()
                || !profile.get().location().server()) {
            return RequestNotificationStatus.CONTINUE;
        }
        OutputCache cache = shared.outputCache();
        String key = userKey(context, profile.get(), compressedCopies(context));
        if (key == null) {
            return RequestNotificationStatus.CONTINUE;
        }
        CachedResponse cached = cache.get(key);
        if (cached == null) {
            return RequestNotificationStatus.CONTINUE;
        }
        if (!current(context, cached)) {
            cache.remove(key);
            return RequestNotificationStatus.CONTINUE;
        }
        cache.hit(key);
        serve(context, cached);
        if (context.response().statusCode() == 200 && method.equals("GET")) {
            // a copy the output cache answered may still become a kernel entry, as IIS's would
            dependency = context.fileInfo()
                    .filter(f -> !f.isDirectory())
                    .map(f -> f.path().toAbsolutePath().normalize())
                    .orElse(null);
            kernelExpiresAtNanos = kernelExpiry(profile.get());
            servedStaticFile = cached.staticFile();
            kernelCandidate = kernelEligible(context, section, profile);
        }
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    @Override
    public RequestNotificationStatus onUpdateRequestCache(HttpContext context, HttpEventProvider provider) {
        if (context.parentContext().isPresent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpRequest request = context.request();
        HttpResponse response = context.response();
        CachingSection section = context.config(CachingSection.SECTION);
        Optional<CachingSection.Profile> profile = section.profileFor(request.urlPath());
        if (profile.isPresent()
                && (profile.get().policy() == CachingSection.Policy.DisableCache
                        || profile.get().kernelCachePolicy() == CachingSection.Policy.DisableCache)) {
            response.cachePolicy().disableKernelCache();
            return RequestNotificationStatus.CONTINUE;
        }
        if (!request.method().equals("GET")
                || response.statusCode() != 200
                || response.headersSent()
                || response.header("Set-Cookie").isPresent()
                || ResponseCapture.length(response.entityChunks()) > section.maxResponseSize()) {
            return RequestNotificationStatus.CONTINUE;
        }
        Optional<HttpFileInfo> file = context.fileInfo().filter(f -> !f.isDirectory());
        dependency = file.map(f -> f.path().toAbsolutePath().normalize()).orElse(null);
        if (profile.isPresent()) {
            CachingSection.Profile p = profile.get();
            boolean timed = p.policy() == CachingSection.Policy.CacheForTimePeriod
                    || p.kernelCachePolicy() == CachingSection.Policy.CacheForTimePeriod;
            if ((p.policy().stores() || p.kernelCachePolicy().stores())
                    && response.header("Cache-Control").isEmpty()) {
                response.setHeader("Cache-Control", p.location().cacheControl(timed ? p.duration() : null), true);
            }
            if (p.policy() == CachingSection.Policy.CacheForTimePeriod) {
                expiresAtNanos = System.nanoTime() + p.duration().toNanos();
            }
            kernelExpiresAtNanos = kernelExpiry(p);
            if (section.enabled() && p.policy().stores() && p.location().server()) {
                boolean compressedCopies = compressedCopies(context);
                String key = userKey(context, p, compressedCopies);
                if (key != null && compressedCopies) {
                    userKeyAtSend = key; // taken in SEND_RESPONSE, after dynamic compression
                } else if (key != null) {
                    store(context, key, section, ResponseCapture.headers(response), response.entityChunks());
                }
            }
        }
        kernelCandidate = kernelEligible(context, section, profile);
        return RequestNotificationStatus.CONTINUE;
    }

    @Override
    public RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
        if (!kernelCandidate && userKeyAtSend == null) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpResponse response = context.response();
        if (!provider.headersBeingSent() || !provider.isFinalSend() || response.statusCode() != 200) {
            return RequestNotificationStatus.CONTINUE;
        }
        CachingSection section = context.config(CachingSection.SECTION);
        List<Map.Entry<String, String>> headers = ResponseCapture.headers(response);
        if (userKeyAtSend != null) {
            store(context, userKeyAtSend, section, headers, response.entityChunks());
        }
        Optional<KernelResponseCache> kernel = context.server().kernelResponseCache();
        if (!kernelCandidate || kernel.isEmpty() || !response.cachePolicy().isKernelCacheEnabled()) {
            return RequestNotificationStatus.CONTINUE;
        }
        Map<String, String> varyBy = new HashMap<>();
        for (String name : response.header("Vary").map(v -> v.split(",")).orElse(new String[0])) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.equals("*")) {
                return RequestNotificationStatus.CONTINUE;
            }
            if (!n.isEmpty()) {
                varyBy.put(n, context.request().header(n).orElse(""));
            }
        }
        long max = Math.min(section.maxResponseSize(), kernel.get().maxResponseBytes());
        Optional<ByteBuffer> body = ResponseCapture.body(context.server(), response.entityChunks(), max);
        if (body.isEmpty()) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpRequest request = context.request();
        KernelCacheEntry entry = new KernelCacheEntry(
                request.localAddress().getAddress().getHostAddress(),
                request.localAddress().getPort(),
                request.header("Host").orElse("").toLowerCase(Locale.ROOT),
                request.rawUrl(),
                varyBy,
                200,
                response.status().reason(),
                headers,
                body.get(),
                response.header("ETag").orElse(null),
                response.header("Last-Modified").orElse(null),
                kernelExpiresAtNanos,
                kernelExpiresAtNanos == Long.MAX_VALUE ? dependency : null,
                context.site().siteId(),
                context.site().siteName(),
                request.urlPath(),
                request.queryString());
        if (kernel.get().add(entry)) {
            context.server().notifyCacheOperation(CacheOperation.ADD, entry.key(), entry);
        }
        return RequestNotificationStatus.CONTINUE;
    }

    private static long kernelExpiry(CachingSection.Profile p) {
        return p.kernelCachePolicy() == CachingSection.Policy.CacheForTimePeriod
                ? System.nanoTime() + p.duration().toNanos()
                : Long.MAX_VALUE;
    }

    /**
     * http.sys's rules for what it may cache: the kernel cache is on, no module disabled it for
     * this response, the request is anonymous and carries no {@code Authorization}, it has no query
     * string unless the profile varies by it, the profile does not vary by headers, and either the
     * extension's profile has a storing {@code kernelCachePolicy} or the static file handler served a
     * whole file; in both cases once the URL is frequently hit ({@code serverRuntime}
     * {@code frequentHitThreshold} within {@code frequentHitTimePeriod}).
     */
    private boolean kernelEligible(
            HttpContext context, CachingSection section, Optional<CachingSection.Profile> profile) {
        HttpRequest request = context.request();
        if (!section.enableKernelCache()
                || !context.response().cachePolicy().isKernelCacheEnabled()
                || context.user().map(u -> !u.userName().isEmpty()).orElse(false)
                || request.header("Authorization").isPresent()) {
            return false;
        }
        boolean byProfile =
                profile.isPresent() && profile.get().kernelCachePolicy().stores();
        if (profile.isPresent()
                && (!profile.get().varyByHeaders().isEmpty()
                        || !profile.get().location().server())
                && byProfile) {
            return false;
        }
        if (!request.queryString().isEmpty()
                && (!byProfile || profile.get().varyByQueryString().isEmpty())) {
            return false;
        }
        if (!byProfile && !wholeStaticFile(context)) {
            return false;
        }
        return shared.frequentlyHit(
                request.localAddress().getPort() + " " + request.header("Host").orElse("") + " " + request.rawUrl(),
                context.config(ServerRuntimeSection.SECTION));
    }

    private boolean wholeStaticFile(HttpContext context) {
        if (dependency == null) {
            return false;
        }
        if (servedStaticFile) {
            return true;
        }
        long size = context.fileInfo().map(HttpFileInfo::size).orElse(-1L);
        return ResponseCapture.length(context.response().entityChunks()) == size
                && context.scriptMap()
                        .map(m -> m.modules().contains("StaticFileModule"))
                        .orElse(false);
    }

    /** @return true when the output cache keeps compressed copies (urlCompression dynamicCompressionBeforeCache) */
    private static boolean compressedCopies(HttpContext context) {
        return context.config(UrlCompressionSection.SECTION).dynamicCompressionBeforeCache();
    }

    private void store(
            HttpContext context,
            String key,
            CachingSection section,
            List<Map.Entry<String, String>> headers,
            List<DataChunk> chunks) {
        OutputCache cache = shared.outputCache();
        cache.limit(section.maxCacheSize());
        Optional<ByteBuffer> body = ResponseCapture.body(context.server(), chunks, section.maxResponseSize());
        if (body.isEmpty()) {
            return;
        }
        long millis = 0;
        long size = -1;
        if (dependency != null) {
            Optional<HttpFileInfo> info = context.server().fileInfo(dependency);
            if (info.isEmpty()) {
                return;
            }
            millis = info.get().lastModified().toEpochMilli();
            size = info.get().size();
        }
        HttpResponse response = context.response();
        cache.put(
                key,
                new CachedResponse(
                        200,
                        response.status().reason(),
                        headers,
                        body.get(),
                        expiresAtNanos,
                        expiresAtNanos == Long.MAX_VALUE ? dependency : null,
                        millis,
                        size,
                        wholeStaticFile(context)));
    }

    /** @return the output cache key: site, URL, the varied query parameters and request headers */
    private static String userKey(HttpContext context, CachingSection.Profile profile, boolean compressedCopies) {
        HttpRequest request = context.request();
        StringBuilder key =
                new StringBuilder().append(context.site().siteId()).append(' ').append(request.urlPath());
        String query = request.queryString();
        List<String> byQuery = profile.varyByQueryString();
        if (byQuery.contains("*")) {
            key.append('?').append(query);
        } else if (!byQuery.isEmpty()) {
            Map<String, String> params = QueryParameters.parse(query);
            key.append('?');
            for (String name : byQuery) {
                key.append(name)
                        .append('=')
                        .append(params.getOrDefault(name, ""))
                        .append('&');
            }
        } else if (!query.isEmpty()) {
            return null; // a query string the profile does not vary by: not cached, as IIS
        }
        for (String header : profile.varyByHeaders()) {
            key.append('|')
                    .append(header.toLowerCase(Locale.ROOT))
                    .append('=')
                    .append(request.header(header).orElse(""));
        }
        if (compressedCopies) {
            key.append("|accept-encoding=")
                    .append(request.header("Accept-Encoding").orElse(""));
        }
        return key.toString();
    }

    /** @return false when the copy expired or its file changed */
    private static boolean current(HttpContext context, CachedResponse cached) {
        if (cached.expiresAtNanos() != Long.MAX_VALUE && System.nanoTime() - cached.expiresAtNanos() >= 0) {
            return false;
        }
        if (cached.dependency() == null) {
            return true;
        }
        Optional<HttpFileInfo> info = context.server().fileInfo(cached.dependency());
        return info.isPresent()
                && info.get().lastModified().toEpochMilli() == cached.fileMillis()
                && info.get().size() == cached.fileSize();
    }

    private static void serve(HttpContext context, CachedResponse cached) {
        HttpResponse response = context.response();
        response.clear();
        for (Map.Entry<String, String> h : cached.headers()) {
            response.setHeader(h.getKey(), h.getValue(), false);
        }
        if (Conditional.notModified(context.request(), cached.header("ETag"), cached.header("Last-Modified"))) {
            response.setStatus(HttpStatus.NOT_MODIFIED);
        } else {
            response.setStatus(new HttpStatus(cached.status(), 0, cached.reason()));
            response.writeEntityChunks(new DataChunk.Memory(cached.body().duplicate()));
        }
        context.setRequestHandled();
    }
}
