package io.weir.modules.compression;

import io.weir.api.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the content coding of a response from the request's {@code Accept-Encoding} (RFC 9110
 * section 12.5.3): each coding's weight is its own {@code q}, else that of {@code *}, else 0; a
 * weight of 0 rules a coding out. The scheme with the highest weight wins, and on a tie the one
 * listed first in {@code httpCompression}. No compression when the header is absent, when every
 * scheme weighs 0, or when the client weighs {@code identity} above the best scheme.
 */
final class AcceptEncoding {

    private AcceptEncoding() {}

    /**
     * Picks a scheme.
     *
     * @param request the request
     * @param schemes the schemes allowed here, in configuration order
     * @return the chosen scheme, or null for none
     */
    static Scheme choose(HttpRequest request, List<Scheme> schemes) {
        if (schemes.isEmpty()) {
            return null;
        }
        List<String> values = request.headers("Accept-Encoding");
        if (values.isEmpty()) {
            return null;
        }
        String header = values.size() == 1 ? values.get(0) : String.join(",", values);
        return choose(header, schemes);
    }

    /**
     * Picks a scheme for a header value.
     *
     * @param header  the {@code Accept-Encoding} value
     * @param schemes the schemes allowed here, in configuration order
     * @return the chosen scheme, or null for none
     */
    static Scheme choose(String header, List<Scheme> schemes) {
        double star = -1;
        double identity = -1;
        double[] weights = new double[ContentCoding.values().length];
        Arrays.fill(weights, -1);
        for (String element : header.split(",")) {
            String[] parts = element.split(";");
            String token = parts[0].trim().toLowerCase(Locale.ROOT);
            if (token.isEmpty()) {
                continue;
            }
            double q = 1.0;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                    q = parseQ(p.substring(2).trim());
                }
            }
            if (token.equals("*")) {
                star = q;
            } else if (token.equals("identity")) {
                identity = q;
            } else if (token.equals("x-gzip")) {
                weights[ContentCoding.GZIP.ordinal()] = Math.max(weights[ContentCoding.GZIP.ordinal()], q);
            } else {
                for (ContentCoding c : ContentCoding.values()) {
                    if (c.token().equals(token)) {
                        weights[c.ordinal()] = q;
                    }
                }
            }
        }
        Scheme best = null;
        double bestWeight = 0;
        for (Scheme s : schemes) {
            double w = weights[s.coding().ordinal()];
            if (w < 0) {
                w = star < 0 ? 0 : star;
            }
            if (w > bestWeight) {
                best = s;
                bestWeight = w;
            }
        }
        if (best != null && identity > bestWeight) {
            return null;
        }
        return best;
    }

    private static double parseQ(String value) {
        try {
            double q = Double.parseDouble(value);
            return q < 0 || q > 1 || Double.isNaN(q) ? 0 : q;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
