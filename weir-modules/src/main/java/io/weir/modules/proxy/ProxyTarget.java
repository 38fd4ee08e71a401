package io.weir.modules.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where a proxied request goes, parsed from an absolute {@code http://} or {@code https://} URL (a
 * rewrite's {@code WEIR_PROXY_URL}, or a handler mapping's {@code scriptProcessor} plus the
 * request URL).
 *
 * @param host   the URL's host (a backend, or the name of a web farm)
 * @param port   the port; -1 when the URL has none
 * @param target the request-target sent to the backend: path and query, percent-encoded
 * @param secure true for {@code https://}: the backend is reached over TLS
 */
record ProxyTarget(String host, int port, String target, boolean secure) {

    /**
     * Parses an absolute URL.
     *
     * @param url for example {@code http://127.0.0.1:8081/api/x?y=1}
     * @return the target, or empty when the URL is not an absolute {@code http} or {@code https}
     *         URL with a host
     */
    static Optional<ProxyTarget> parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            return Optional.empty();
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery();
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return Optional.of(new ProxyTarget(
                host,
                uri.getPort(),
                query == null ? path : path + "?" + query,
                uri.getScheme().equalsIgnoreCase("https")));
    }

    /** @return the port, 80 (443 for https) when the URL named none */
    int portOrDefault() {
        return port >= 0 ? port : secure ? 443 : 80;
    }

    /** @return {@code http://} or {@code https://} */
    String schemePrefix() {
        return secure ? "https://" : "http://";
    }

    /** @return {@code host[:port]} as a {@code Host} header names it */
    String authority() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port < 0 || port == (secure ? 443 : 80) ? h : h + ":" + port;
    }
}
