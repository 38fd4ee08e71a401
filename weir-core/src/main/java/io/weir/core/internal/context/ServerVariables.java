package io.weir.core.internal.context;

import io.weir.api.http.HttpUser;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request's server variables ({@code IHttpContext::GetServerVariable}): the CGI-style names
 * computed from the request on demand, and the values modules set, which take precedence. Names
 * compare without regard to case. As in IIS, {@code SCRIPT_NAME} and {@code PATH_INFO} are both
 * the URL path unless a handler mapping with {@code allowPathInfo} split path information off it;
 * {@code PATH_TRANSLATED} is then that path information mapped to a physical path. On the
 * request's event loop.
 */
final class ServerVariables {

    private final Map<String, String> set = new HashMap<>();

    private static RequestImpl rootRequest(RequestContext c) {
        RequestContext root = c;
        while (root.parent != null) {
            root = root.parent;
        }
        return root.request;
    }

    /** Sets a variable for the rest of the request. */
    void set(String name, String value) {
        set.put(name.toUpperCase(Locale.ROOT), Objects.requireNonNull(value, "value"));
    }

    /**
     * @param c         the request
     * @param variables the values modules set, or null when none
     * @param name      the variable's name
     * @return its value, or empty when the name is unknown
     */
    static Optional<String> get(RequestContext c, ServerVariables variables, String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (variables != null && variables.set.containsKey(upper)) {
            return Optional.of(variables.set.get(upper));
        }
        InetSocketAddress remote = c.request.remoteAddress();
        InetSocketAddress local = c.request.localAddress();
        String value =
                switch (upper) {
                    case "URL" -> rootRequest(c).urlPath();
                    case "SCRIPT_NAME" ->
                        c.pathInfo().isEmpty() ? rootRequest(c).urlPath() : c.scriptName();
                    case "PATH_INFO" -> c.pathInfo().isEmpty() ? rootRequest(c).urlPath() : c.pathInfo();
                    case "HTTP_URL", "UNENCODED_URL", "REQUEST_URI" -> c.request.rawUrl();
                    case "QUERY_STRING" -> c.request.queryString();
                    case "REQUEST_METHOD", "HTTP_METHOD" -> c.request.method();
                    case "REMOTE_ADDR", "REMOTE_HOST" ->
                        remote == null ? "" : remote.getAddress().getHostAddress();
                    case "REMOTE_PORT" -> remote == null ? "" : Integer.toString(remote.getPort());
                    case "LOCAL_ADDR" -> local == null ? "" : local.getAddress().getHostAddress();
                    case "SERVER_PORT" -> local == null ? "" : Integer.toString(local.getPort());
                    case "SERVER_NAME" ->
                        c.request
                                .header("Host")
                                .map(h -> h.replaceFirst(":\\d+$", ""))
                                .orElse(local == null ? "" : local.getHostString());
                    case "SERVER_PROTOCOL", "HTTP_VERSION" -> c.request.httpVersion();
                    case "SERVER_SOFTWARE" -> c.server().serverSoftware();
                    case "HTTPS" -> c.connection().isSecure() ? "on" : "off";
                    case "SERVER_PORT_SECURE" -> c.connection().isSecure() ? "1" : "0";
                    case "PATH_TRANSLATED" ->
                        c.pathInfo().isEmpty()
                                ? c.physicalPath().toString()
                                : c.mapPath(c.pathInfo()).toString();
                    case "SCRIPT_FILENAME", "REQUEST_FILENAME", "SCRIPT_TRANSLATED" ->
                        c.physicalPath().toString();
                    case "APPL_PHYSICAL_PATH" ->
                        c.application.applicationPhysicalPath().toString();
                    case "APPL_MD_PATH" -> c.application.applicationId();
                    case "INSTANCE_ID" -> Long.toString(c.site.siteId());
                    case "INSTANCE_NAME" -> c.site.siteName();
                    case RequestId.VARIABLE -> RequestId.format(rootRequest(c).requestId());
                    case "AUTH_USER", "LOGON_USER", "REMOTE_USER" ->
                        c.user().map(HttpUser::userName).orElse("");
                    case "AUTH_TYPE" ->
                        c.user().map(HttpUser::authenticationType).orElse("");
                    case "CONTENT_LENGTH" -> c.request.header("Content-Length").orElse("0");
                    case "CONTENT_TYPE" -> c.request.header("Content-Type").orElse("");
                    default ->
                        upper.startsWith("HTTP_")
                                ? c.request
                                        .header(upper.substring(5).replace('_', '-'))
                                        .orElse(null)
                                : upper.startsWith("HTTPS_") || upper.startsWith("CERT_") || upper.startsWith("SSL_")
                                        ? transportVariable(c, upper)
                                        : null;
                };
        return Optional.ofNullable(value);
    }

    /**
     * The TLS variables the transport knows ({@code HTTPS_*}, {@code CERT_*}, {@code SSL_*}); as on
     * IIS, a {@code CERT_*} or {@code HTTPS_*} variable of a plain-HTTP request is empty, not absent.
     */
    private static String transportVariable(RequestContext c, String upper) {
        if (c.connection() instanceof ConnectionState state) {
            String value = state.transportVariable(upper);
            if (value != null) {
                return value;
            }
        }
        return upper.startsWith("CERT_") || upper.startsWith("HTTPS_") ? "" : null;
    }
}
