package io.weir.server.cache;

import io.weir.api.cache.KernelCacheEntry;
import io.weir.api.cache.KernelCacheHit;
import io.weir.api.cache.KernelCacheHitListener;
import io.weir.api.http.DataChunk;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.HeaderStore;
import io.weir.core.spi.ResponseHead;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's first stop for a request: answers it from the {@link KernelCache} when http.sys
 * would answer it from its response cache, otherwise hands it to the engine. Runs on the
 * connection's event loop, where the transport dispatches, so responses keep their order on a
 * connection. A request is answered here only when it is a GET or HEAD, carries no
 * {@code Authorization}, no {@code If-Match} or {@code If-Unmodified-Since} and no body, and an entry holds its exact target for its local address,
 * port and {@code Host} with the same values of the headers the entry varies on. Conditional
 * requests are answered 304 ({@code If-None-Match} first, else {@code If-Modified-Since}, RFC 9110
 * section 13.2.2; an {@code If-Modified-Since} date not in IMF-fixdate form goes to the engine); a
 * single satisfiable byte range of a GET 206 (honouring {@code If-Range}; HEAD ignores ranges);
 * several ranges or an unsatisfiable one go to the engine, which answers them as it always does.
 * A coded entry ({@code Content-Encoding}) answers no request with {@code Range} or {@code Via} and
 * no HTTP/1.0 request: the compression modules decide those.
 *
 * <p>A request whose target the cache holds nothing for (the usual case: a dynamic page, a URL
 * never frequently hit) costs one lookup of the target string and nothing else. A whole 200 leaves
 * through {@link EncodedHeadWriter} when the exchange is one (HTTP/1.1), with the head encoded when
 * the entry was added; other answers (304, 206, HTTP/2) are encoded per request.
 */
public final class KernelCacheDispatcher implements Consumer<Exchange> {

    private static final Logger LOG = LoggerFactory.getLogger(KernelCacheDispatcher.class);

    private final KernelCache cache;
    private final Consumer<Exchange> next;

    /**
     * @param cache the cache
     * @param next  the engine's dispatcher, for everything the cache does not answer
     */
    public KernelCacheDispatcher(KernelCache cache, Consumer<Exchange> next) {
        this.cache = cache;
        this.next = next;
    }

    /**
     * A request whose target the cache holds nothing for costs one lookup of the target string and
     * goes on to the engine; nothing else is read, built or allocated for it.
     */
    @Override
    public void accept(Exchange exchange) {
        KernelCache.Slot[] slots = cache.candidates(exchange.rawUri());
        if (slots == null || !answer(exchange, slots)) {
            cache.miss();
            next.accept(exchange);
        }
    }

    private boolean answer(Exchange exchange, KernelCache.Slot[] slots) {
        long start = System.nanoTime();
        String method = exchange.method();
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            return false;
        }
        HeaderStore headers = exchange.requestHeaders();
        if (headers.get("authorization") != null
                || headers.get("if-match") != null
                || headers.get("if-unmodified-since") != null
                || headers.get("transfer-encoding") != null
                || !(headers.get("content-length") == null || "0".equals(headers.get("content-length")))) {
            return false;
        }
        String rawUrl = exchange.rawUri();
        InetSocketAddress local = exchange.localAddress();
        if (local == null || local.getAddress() == null || rawUrl.isEmpty() || rawUrl.charAt(0) != '/') {
            return false;
        }
        KernelCache.Slot slot = cache.find(slots, local, headers.get("host"), headers);
        if (slot == null) {
            return false;
        }
        if (slot.encoded
                && (headers.get("range") != null
                        || headers.get("via") != null
                        || "HTTP/1.0".equals(exchange.protocolVersion()))) {
            // whether a coded response answers these is the compression modules' decision
            // (noCompressionForRange, noCompressionForProxies, noCompressionForHttp10)
            return false;
        }
        KernelCacheEntry entry = slot.entry;
        String ims = headers.get("if-modified-since");
        if (ims != null
                && headers.get("if-none-match") == null
                && !ims.equals(entry.lastModified())
                && KernelCache.parseDate(ims) == Long.MIN_VALUE) {
            return false; // a date in another of RFC 9110's formats (or none): the engine decides
        }
        ByteBuffer body = entry.body();
        int length = body.remaining();
        List<Map.Entry<String, String>> out;
        int status;
        String reason;
        ByteBuffer sent;
        if (notModified(entry, slot.lastModifiedEpochSecond, headers)) {
            status = 304;
            reason = "Not Modified";
            out = validatorsOnly(entry.headers());
            sent = null;
        } else {
            long[] range = head ? new long[0] : range(entry, headers.get("range"), headers.get("if-range"), length);
            if (range == null) {
                return false; // several or unsatisfiable ranges: the engine answers them
            }
            if (range.length == 0) {
                status = entry.status();
                reason = entry.reason();
                out = entry.headers();
                sent = body.duplicate();
            } else {
                status = 206;
                reason = "Partial Content";
                out = new ArrayList<>(entry.headers());
                out.add(Map.entry("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + length));
                sent = body.duplicate().position((int) range[0]).limit((int) range[1] + 1);
            }
        }
        long contentLength = sent == null ? -1 : sent.remaining();
        long entityBytes = head || sent == null ? 0 : sent.remaining();
        cache.hit(slot);
        // a 200 leaves with the head encoded when the entry was added: only framing and Date are written now
        boolean whole = out == entry.headers() && status == entry.status();
        if (!(whole
                && slot.head != null
                && exchange instanceof EncodedHeadWriter writer
                && writer.writeEncoded(slot.head, sent))) {
            exchange.write(
                    new ResponseHead(status, reason, out, status == 304 ? 0 : contentLength, false),
                    sent == null || head ? List.of() : List.of(new DataChunk.Memory(sent)),
                    true);
        }
        List<KernelCacheHitListener> listeners = cache.listeners();
        if (!listeners.isEmpty()) {
            KernelCacheHit hit = new KernelCacheHit(
                    entry,
                    method,
                    rawUrl,
                    exchange.protocolVersion(),
                    exchange.remoteAddress(),
                    local,
                    headers::get,
                    requestBytes(exchange, headers),
                    status,
                    (whole ? slot.logHeadBytes : headBytes(status, reason, out)) + entityBytes,
                    entityBytes,
                    (System.nanoTime() - start) / 1_000_000);
            for (KernelCacheHitListener l : listeners) {
                try {
                    l.onKernelCacheHit(hit);
                } catch (RuntimeException e) {
                    LOG.warn("a kernel cache hit listener failed", e);
                }
            }
        }
        return true;
    }

    /** RFC 9110 section 13.2.2: If-None-Match decides when present, else If-Modified-Since. */
    private static boolean notModified(KernelCacheEntry entry, long lastModified, HeaderStore headers) {
        String inm = headers.get("if-none-match");
        if (inm != null) {
            if (entry.etag() == null) {
                return false;
            }
            String tag = opaque(entry.etag());
            for (String candidate : inm.split(",")) {
                String c = candidate.trim();
                if (c.equals("*") || opaque(c).equals(tag)) {
                    return true;
                }
            }
            return false;
        }
        String ims = headers.get("if-modified-since");
        if (ims == null || entry.lastModified() == null) {
            return false;
        }
        if (ims.equals(entry.lastModified())) {
            return true;
        }
        long since = KernelCache.parseDate(ims);
        return since != Long.MIN_VALUE && lastModified != Long.MIN_VALUE && lastModified <= since;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /** The headers a 304 carries (RFC 9110 section 15.4.5). */
    private static List<Map.Entry<String, String>> validatorsOnly(List<Map.Entry<String, String>> headers) {
        List<Map.Entry<String, String>> out = new ArrayList<>(6);
        for (Map.Entry<String, String> h : headers) {
            String n = h.getKey().toLowerCase(Locale.ROOT);
            if (n.equals("etag")
                    || n.equals("last-modified")
                    || n.equals("cache-control")
                    || n.equals("expires")
                    || n.equals("vary")
                    || n.equals("content-location")
                    || n.equals("server")) {
                out.add(h);
            }
        }
        return out;
    }

    /**
     * @return {} for the whole entity, {first, last} for one satisfiable range, null for what the
     *         engine must answer (several ranges, an unsatisfiable or malformed one)
     */
    private static long[] range(KernelCacheEntry entry, String range, String ifRange, int length) {
        if (range == null || entry.status() != 200) {
            return new long[0];
        }
        if (ifRange != null) {
            String v = ifRange.trim();
            boolean matches = v.startsWith("\"")
                    ? entry.etag() != null && !entry.etag().startsWith("W/") && v.equals(entry.etag())
                    : v.equals(entry.lastModified());
            if (!matches) {
                return new long[0];
            }
        }
        String r = range.trim();
        if (!r.regionMatches(true, 0, "bytes=", 0, 6) || r.indexOf(',') >= 0) {
            return null;
        }
        String spec = r.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            long first;
            long last;
            if (dash == 0) {
                long suffix = Long.parseLong(spec.substring(1).trim());
                if (suffix <= 0) {
                    return null;
                }
                first = Math.max(0, length - suffix);
                last = length - 1;
            } else {
                first = Long.parseLong(spec.substring(0, dash).trim());
                String end = spec.substring(dash + 1).trim();
                last = end.isEmpty() ? length - 1 : Math.min(length - 1, Long.parseLong(end));
                if (last < first) {
                    return null;
                }
            }
            if (first >= length || length == 0) {
                return null;
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static long headBytes(int status, String reason, List<Map.Entry<String, String>> headers) {
        long total = "HTTP/1.1 200 \r\n".length() + reason.length() + 2;
        for (Map.Entry<String, String> h : headers) {
            total += h.getKey().length() + 2 + h.getValue().length() + 2;
        }
        return total;
    }

    private static long requestBytes(Exchange exchange, HeaderStore headers) {
        return exchange.method().length()
                + 1
                + exchange.rawUri().length()
                + 1
                + exchange.protocolVersion().length()
                + 2
                + headers.fieldBytes()
                + 2;
    }
}
