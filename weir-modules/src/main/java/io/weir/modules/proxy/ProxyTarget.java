package io.weir.modules.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where a proxied request goes, parsed from an absolute {@code http://} URL (a rewrite's
 * {@code WEIR_PROXY_URL}, or a handler mapping's {@code scriptProcessor} plus the request URL).
 *
 * @param host   the URL's host (a backend, or the name of a web farm)
 * @param port   the port; -1 when the URL has none
 * @param target the request-target sent to the backend: path and query, percent-encoded
 */
record ProxyTarget(String host, int port, String target) {

    /**
     * Parses an absolute URL.
     *
     * @param url for example {@code http://127.0.0.1:8081/api/x?y=1}
     * @return the target, or empty when the URL is not an absolute {@code http} URL with a host
     */
    static Optional<ProxyTarget> parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("http") || uri.getHost() == null) {
            return Optional.empty();
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery();
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return Optional.of(new ProxyTarget(host, uri.getPort(), query == null ? path : path + "?" + query));
    }

    /** @return the port, 80 when the URL named none */
    int portOrDefault() {
        return port < 0 ? 80 : port;
    }

    /** @return {@code host[:port]} as a {@code Host} header names it */
    String authority() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port < 0 || port == 80 ? h : h + ":" + port;
    }
}
