package io.weir.modules.fastcgi;

import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpRequest;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The variables a CGI program (RFC 3875 section 4.1) or a FastCGI application ({@code FCGI_PARAMS}) gets
 * for a request, with the values IIS gives them, and IIS's own additions.
 *
 * <ul>
 * <li>{@code URL}: the request's URL path (after a rewrite, the rewritten one);
 * {@code SCRIPT_NAME}: its script part and {@code PATH_INFO} what follows it, when the handler
 * mapping has {@code allowPathInfo="true"} ({@code /index.php} and {@code /extra/path} for
 * {@code /index.php/extra/path}); without path information, {@code SCRIPT_NAME} is the URL path and
 * {@code PATH_INFO} is empty; {@code SCRIPT_FILENAME}: the script's physical path;
 * {@code PATH_TRANSLATED}: the path information mapped to a physical path as IIS does (the
 * script's physical path when there is none); {@code DOCUMENT_ROOT}: the site's physical root; {@code APPL_PHYSICAL_PATH},
 * {@code APPL_MD_PATH}, {@code INSTANCE_ID}, {@code INSTANCE_NAME}.</li>
 * <li>{@code REQUEST_URI}, {@code UNENCODED_URL} and {@code HTTP_URL}: the request target as the
 * client sent it (path and query, still encoded), so that after a URL rewrite the application sees
 * the URL it was asked for, as IIS's FastCGI module does; when the URL was rewritten,
 * {@code HTTP_X_ORIGINAL_URL} (that same target) and {@code IIS_WasUrlRewritten=1}, unless the
 * rewriting module set them itself.</li>
 * <li>{@code QUERY_STRING}, {@code REQUEST_METHOD}, {@code CONTENT_TYPE}, {@code CONTENT_LENGTH}
 * (only when the request has a {@code Content-Length}), {@code SERVER_NAME}, {@code SERVER_PORT},
 * {@code SERVER_ADDR}, {@code LOCAL_ADDR}, {@code SERVER_PROTOCOL}, {@code SERVER_SOFTWARE},
 * {@code GATEWAY_INTERFACE=CGI/1.1}, {@code REMOTE_ADDR}, {@code REMOTE_HOST}, {@code REMOTE_PORT},
 * {@code HTTPS} ({@code on}/{@code off}), the {@code HTTPS_*} and {@code CERT_*} variables of the
 * secure channel (empty over plain HTTP), {@code SERVER_PORT_SECURE}, {@code AUTH_TYPE},
 * {@code AUTH_USER}, {@code REMOTE_USER}, {@code LOGON_USER}.</li>
 * <li>{@code HTTP_*}: every request header, upper-cased with {@code -} as {@code _}, repeated
 * headers joined with {@code ", "} ({@code "; "} for Cookie); {@code Proxy} is left out (the
 * "httpoxy" class of attacks, where a script takes {@code HTTP_PROXY} for its own proxy setting).</li>
 * </ul>
 */
public final class CgiEnvironment {

    /** The TLS variables of the server and of the client's certificate, as IIS's FastCGI passes them. */
    private static final String[] SECURE_CHANNEL_VARIABLES = {
        "HTTPS_KEYSIZE",
        "HTTPS_SECRETKEYSIZE",
        "HTTPS_SERVER_ISSUER",
        "HTTPS_SERVER_SUBJECT",
        "CERT_COOKIE",
        "CERT_FLAGS",
        "CERT_ISSUER",
        "CERT_KEYSIZE",
        "CERT_SECRETKEYSIZE",
        "CERT_SERIALNUMBER",
        "CERT_SERVER_ISSUER",
        "CERT_SERVER_SUBJECT",
        "CERT_SUBJECT"
    };

    private CgiEnvironment() {}

    /**
     * Emits every variable for the request.
     *
     * @param context the request (called on the thread running its handler)
     * @param out     receives each name and value, in a stable order
     */
    public static void emit(HttpContext context, BiConsumer<String, String> out) {
        emit(context, -1, out);
    }

    /**
     * Emits every variable for the request, with the length of an entity the caller has already
     * read whole (a chunked entity, whose length the request does not state).
     *
     * @param context      the request (called on the thread running its handler)
     * @param entityLength the entity's length in bytes, given as {@code CONTENT_LENGTH} (and
     *                     {@code Transfer-Encoding} then left out, as the application gets the
     *                     bytes without it); -1 to take {@code CONTENT_LENGTH} from the request's
     *                     {@code Content-Length}
     * @param out          receives each name and value, in a stable order
     */
    public static void emit(HttpContext context, long entityLength, BiConsumer<String, String> out) {
        HttpRequest request = context.request();
        String script = context.physicalPath().toString();
        out.accept("GATEWAY_INTERFACE", "CGI/1.1");
        out.accept("SERVER_SOFTWARE", var(context, "SERVER_SOFTWARE"));
        out.accept("SERVER_PROTOCOL", request.httpVersion());
        out.accept("SERVER_NAME", var(context, "SERVER_NAME"));
        out.accept("SERVER_PORT", var(context, "SERVER_PORT"));
        out.accept("SERVER_ADDR", var(context, "LOCAL_ADDR"));
        out.accept("LOCAL_ADDR", var(context, "LOCAL_ADDR"));
        out.accept("SERVER_PORT_SECURE", var(context, "SERVER_PORT_SECURE"));
        String https = var(context, "HTTPS");
        out.accept("HTTPS", https);
        // IIS passes the secure channel's variables on every request, empty over plain HTTP
        boolean secure = https.equalsIgnoreCase("on");
        for (String name : SECURE_CHANNEL_VARIABLES) {
            out.accept(name, secure ? var(context, name) : "");
        }
        out.accept("REMOTE_ADDR", var(context, "REMOTE_ADDR"));
        out.accept("REMOTE_HOST", var(context, "REMOTE_ADDR"));
        out.accept("REMOTE_PORT", var(context, "REMOTE_PORT"));
        out.accept("REQUEST_METHOD", request.method());
        String pathInfo = context.pathInfo();
        out.accept("SCRIPT_NAME", context.scriptName());
        out.accept("URL", request.urlPath());
        out.accept("PATH_INFO", pathInfo);
        out.accept("SCRIPT_FILENAME", script);
        out.accept(
                "PATH_TRANSLATED",
                pathInfo.isEmpty() ? script : context.mapPath(pathInfo).toString());
        out.accept("DOCUMENT_ROOT", context.mapPath("/").toString());
        out.accept(
                "APPL_PHYSICAL_PATH",
                context.application().applicationPhysicalPath().toString());
        out.accept("APPL_MD_PATH", context.application().applicationId());
        out.accept("INSTANCE_ID", Long.toString(context.site().siteId()));
        out.accept("INSTANCE_NAME", context.site().siteName());
        out.accept("QUERY_STRING", request.queryString());
        String target = originalTarget(context);
        out.accept("REQUEST_URI", target);
        out.accept("UNENCODED_URL", target);
        out.accept("HTTP_URL", target);
        if (request.urlChanged()
                || context.parentContext().map(p -> p.request().urlChanged()).orElse(false)) {
            out.accept(
                    "HTTP_X_ORIGINAL_URL",
                    context.serverVariable("HTTP_X_ORIGINAL_URL")
                            .filter(s -> !s.isEmpty())
                            .orElse(target));
            out.accept(
                    "IIS_WasUrlRewritten",
                    context.serverVariable("IIS_WasUrlRewritten")
                            .filter(s -> !s.isEmpty())
                            .orElse("1"));
        } else {
            context.serverVariable("HTTP_X_ORIGINAL_URL")
                    .filter(s -> !s.isEmpty())
                    .ifPresent(v -> out.accept("HTTP_X_ORIGINAL_URL", v));
            context.serverVariable("IIS_WasUrlRewritten")
                    .filter(s -> !s.isEmpty())
                    .ifPresent(v -> out.accept("IIS_WasUrlRewritten", v));
        }
        String user = context.user().map(u -> u.userName()).orElse("");
        out.accept("AUTH_TYPE", context.user().map(u -> u.authenticationType()).orElse(""));
        out.accept("AUTH_USER", user);
        out.accept("REMOTE_USER", user);
        out.accept("LOGON_USER", user);
        request.header("Content-Type").ifPresent(v -> out.accept("CONTENT_TYPE", v));
        if (entityLength >= 0) {
            out.accept("CONTENT_LENGTH", Long.toString(entityLength));
        } else {
            request.header("Content-Length").ifPresent(v -> out.accept("CONTENT_LENGTH", v.strip()));
        }
        for (String name : request.headerNames()) {
            String upper = name.toUpperCase(Locale.ROOT);
            if (upper.equals("PROXY")
                    || upper.equals("CONTENT-TYPE")
                    || upper.equals("CONTENT-LENGTH")
                    || (entityLength >= 0 && upper.equals("TRANSFER-ENCODING"))) {
                continue;
            }
            var values = request.headers(name);
            String value =
                    values.size() == 1 ? values.get(0) : String.join(upper.equals("COOKIE") ? "; " : ", ", values);
            out.accept("HTTP_" + upper.replace('-', '_'), value);
        }
    }

    /** The request target as the client sent it; for a child request (default document), its root's. */
    private static String originalTarget(HttpContext context) {
        HttpContext root = context;
        while (root.parentContext().isPresent()) {
            root = root.parentContext().get();
        }
        return root.request().rawUrl();
    }

    private static String var(HttpContext context, String name) {
        return context.serverVariable(name).orElse("");
    }
}
