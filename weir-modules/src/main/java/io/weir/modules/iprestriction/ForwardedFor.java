package io.weir.modules.iprestriction;

import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpStatus;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of a request's {@code X-Forwarded-For} header(s), for the proxy mode of both
 * modules ({@code enableProxyMode}). Read only when that attribute is true: a client can write
 * anything in the header.
 */
final class ForwardedFor {

    /** IIS 8+'s answer to an {@code X-Forwarded-For} it cannot read: 400.10. */
    static final HttpStatus INVALID = new HttpStatus(400, 10, "Bad Request");

    /** At most this many entries are read; more is treated as malformed (400.10). */
    static final int MAX_ENTRIES = 64;

    private ForwardedFor() {}

    /**
     * Parses every {@code X-Forwarded-For} field of the request, in order (left-most first: the
     * original client as the first proxy reported it; right-most: the address the nearest proxy
     * saw). Empty entries are skipped.
     *
     * @param request the request
     * @return the addresses (IPv4-mapped ones as IPv4); empty when the header is absent; null
     *         when an entry is not an IP literal (for example {@code unknown}) or there are more
     *         than {@link #MAX_ENTRIES}
     */
    static List<InetAddress> addresses(HttpRequest request) {
        List<String> fields = request.headers("X-Forwarded-For");
        if (fields.isEmpty()) {
            return List.of();
        }
        List<InetAddress> out = new ArrayList<>(4);
        for (String field : fields) {
            int start = 0;
            int n = field.length();
            while (start <= n) {
                int comma = field.indexOf(',', start);
                int end = comma < 0 ? n : comma;
                String entry = field.substring(start, end).trim();
                if (!entry.isEmpty()) {
                    InetAddress address = IpAddresses.parseForwarded(entry);
                    if (address == null || out.size() == MAX_ENTRIES) {
                        return null;
                    }
                    out.add(address);
                }
                start = end + 1;
            }
        }
        return out;
    }
}
