package io.weir.modules.caching;

import java.util.HashMap;
import java.util.Map;

/** The parameters of a query string, as {@code varyByQueryString} names them. */
final class QueryParameters {

    private QueryParameters() {}

    /**
     * @param query the query string without {@code ?}
     * @return the first raw value of each parameter name ("" for a name without {@code =})
     */
    static Map<String, String> parse(String query) {
        Map<String, String> out = new HashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            out.putIfAbsent(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return out;
    }
}
