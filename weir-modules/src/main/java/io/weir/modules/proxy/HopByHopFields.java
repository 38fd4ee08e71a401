package io.weir.modules.proxy;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header fields a proxy does not forward (RFC 9110 section 7.6.1: {@code Connection}, the
 * fields it names, and the hop-by-hop fields by definition), plus those the proxy sets itself. The
 * names are compared without regard to case and without making a lower-case copy of each name: the
 * proxy checks every header of every request and response.
 */
final class HopByHopFields {

    /** What the backend never gets from the client's request. */
    private static final String[] REQUEST = {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "transfer-encoding",
        "upgrade",
        "trailer",
        "expect",
        "content-length",
        "host",
        "proxy-authenticate"
    };

    /** What the client never gets from the backend's response. */
    private static final String[] RESPONSE = {
        "connection",
        "keep-alive",
        "proxy-connection",
        "transfer-encoding",
        "content-length",
        "upgrade",
        "trailer",
        "te"
    };

    private HopByHopFields() {}

    /**
     * @param name a request header's name, in any case
     * @return true when the proxy does not forward it (or sets it itself)
     */
    static boolean inRequest(String name) {
        return anyIgnoringCase(REQUEST, name);
    }

    /**
     * @param name a response header's name, in any case
     * @return true when the proxy does not pass it to the client
     */
    static boolean inResponse(String name) {
        return anyIgnoringCase(RESPONSE, name);
    }

    /**
     * The fields a message's {@code Connection} header names (its connection options).
     *
     * @param connectionValues the values of the {@code Connection} fields
     * @return the names in lower case; an empty set (not a new one) when there are none
     */
    static Set<String> connectionOptions(List<String> connectionValues) {
        if (connectionValues.isEmpty()) {
            return Set.of();
        }
        Set<String> named = new HashSet<>();
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                named.add(token.strip().toLowerCase(Locale.ROOT));
            }
        }
        return named;
    }

    /**
     * @param options the connection options, from {@link #connectionOptions}
     * @param name    a header's name, in any case
     * @return true when {@code Connection} names the header
     */
    static boolean named(Set<String> options, String name) {
        return !options.isEmpty() && options.contains(name.toLowerCase(Locale.ROOT));
    }

    private static boolean anyIgnoringCase(String[] names, String name) {
        for (String n : names) {
            if (n.length() == name.length() && n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
