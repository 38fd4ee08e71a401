package io.weir.modules.iprestriction;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict IP literal parsing for rules and {@code X-Forwarded-For} entries. Never resolves a name:
 * anything that is not an IPv4 dotted quad or an IPv6 literal is refused, so a configuration or a
 * request header can never make the server do a DNS lookup.
 */
final class IpAddresses {

    private IpAddresses() {}

    /**
     * Parses an IP literal.
     *
     * @param text an IPv4 dotted quad ({@code 192.0.2.1}) or an IPv6 literal ({@code 2001:db8::1},
     *             {@code ::ffff:192.0.2.1}), without brackets, port or zone
     * @return the address (an IPv4-mapped IPv6 literal comes back as the IPv4 address), or null when
     *         {@code text} is not a literal
     */
    static InetAddress parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            byte[] v4 = parseIpv4(text);
            if (v4 == null) {
                return null;
            }
            try {
                return InetAddress.getByAddress(v4);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return null;
            }
        }
        try {
            // a string with ':' is only ever parsed as an IPv6 literal by the JDK, never looked up
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Parses an IPv4 dotted quad: four decimal parts 0-255.
     *
     * @return the four bytes, or null
     */
    static byte[] parseIpv4(String text) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0, n = text.length(); i <= n; i++) {
            char c = i < n ? text.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part > 3) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    /**
     * Normalizes a peer address: an IPv4-mapped IPv6 address becomes the IPv4 address, so rules
     * written for IPv4 match clients of a dual-stack listener.
     *
     * @param address the address
     * @return the address to match
     */
    static InetAddress normalize(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address;
        }
        byte[] b = address.getAddress();
        if (b.length == 16) {
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    return address;
                }
            }
        }
        return address;
    }

    /**
     * Reads one {@code X-Forwarded-For} entry: an address, optionally with a port
     * ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711}) or in brackets.
     *
     * @param entry the trimmed entry
     * @return the address, or null when the entry is not an IP literal (for example {@code unknown})
     */
    static InetAddress parseForwarded(String entry) {
        String text = entry;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && !isPort(text, close + 2))) {
                return null;
            }
            if (close + 1 < text.length() && text.charAt(close + 1) != ':') {
                return null;
            }
            text = text.substring(1, close);
        } else {
            int colon = text.indexOf(':');
            if (colon > 0 && colon == text.lastIndexOf(':')) {
                if (!isPort(text, colon + 1)) {
                    return null;
                }
                text = text.substring(0, colon);
            }
        }
        InetAddress address = parse(text);
        return address == null ? null : normalize(address);
    }

    private static boolean isPort(String text, int start) {
        int n = text.length();
        if (start >= n || n - start > 5) {
            return false;
        }
        for (int i = start; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
