package io.weir.core.internal.context;

import io.weir.api.config.ConfigException;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpStatus;
import java.net.InetSocketAddress;

/**
 * The body the engine gives an error response that is still empty after SEND_RESPONSE, the
 * fallback when no error-page module (CustomErrorModule, {@code httpErrors}) is in the request's
 * pipeline: IIS's "DetailedLocalOnly" split — local clients (loopback) see the status with
 * substatus, the module and notification that set it, the handler and the physical path; remote
 * clients see only the status line's text.
 */
final class ErrorPage {

    private ErrorPage() {}

    /**
     * Turns the response into a redirect ({@code IHttpResponse::Redirect}): the status, an absolute
     * {@code Location} (a relative URL gets the request's scheme and host) and IIS's "Object Moved"
     * body, after clearing what was buffered.
     */
    static void redirect(
            RequestContext root, ResponseImpl response, String url, HttpStatus status, boolean includeParameters) {
        String target = url;
        if (includeParameters && !root.request().queryString().isEmpty()) {
            target += (target.indexOf('?') < 0 ? "?" : "&") + root.request().queryString();
        }
        if (target.startsWith("/")) {
            String host = root.request()
                    .header("Host")
                    .orElse(root.request().localAddress().getHostString());
            target = (root.connection().isSecure() ? "https://" : "http://") + host + target;
        }
        response.clear();
        response.setStatus(status);
        response.setHeader("Location", target, true);
        response.setHeader("Content-Type", "text/html; charset=UTF-8", true);
        String escaped = escape(target);
        response.writeEntityChunks(
                DataChunk.ofUtf8("<head><title>Document Moved</title></head>\n<body><h1>Object Moved</h1>"
                        + "This document may be found <a href=\"" + escaped + "\">here</a></body>"));
    }

    static void write(RequestContext context, ResponseImpl response) {
        StringBuilder sb = new StringBuilder(512);
        String code =
                response.status().code() + " - " + escape(response.status().reason());
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(code)
                .append("</title></head>\n<body>\n");
        if (isLocalRequest(context)) {
            sb.append("<h1>HTTP Error ")
                    .append(response.status())
                    .append(" - ")
                    .append(escape(response.status().reason()))
                    .append("</h1>\n");
            if (!response.errorDescription().isEmpty()) {
                sb.append("<p>").append(escape(response.errorDescription())).append("</p>\n");
            }
            sb.append("<table>\n");
            row(sb, "Requested URL", context.request().urlPath());
            row(
                    sb,
                    "Physical Path",
                    context.resolved.physicalPathIfMapped() == null
                            ? "Not mapped yet"
                            : context.resolved.physicalPathIfMapped().toString());
            row(sb, "Module", RequestErrors.moduleForPage(context));
            row(sb, "Notification", RequestErrors.notificationForPage(context));
            row(sb, "Handler", context.scriptMap().map(m -> m.name()).orElse("Not yet determined"));
            response.statusError().ifPresent(e -> {
                if (e instanceof ConfigException ce) {
                    // IIS's 500.19 page: "Config Error", "Config File", and the line in error
                    row(sb, "Config Error", ce.reason());
                    row(sb, "Config File", ce.source().file());
                    row(
                            sb,
                            "Config Source",
                            "line " + ce.source().line() + ", column "
                                    + ce.source().column());
                } else {
                    row(sb, "Error", e.toString());
                }
            });
            sb.append("</table>\n");
        } else {
            sb.append("<h1>").append(code).append("</h1>\n");
        }
        sb.append("</body></html>\n");
        response.setHeader("Content-Type", "text/html; charset=utf-8", true);
        response.appendEngineChunk(DataChunk.ofUtf8(sb.toString()));
    }

    private static void row(StringBuilder sb, String name, String value) {
        sb.append("<tr><th>")
                .append(name)
                .append("</th><td>")
                .append(escape(value))
                .append("</td></tr>\n");
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isLocalRequest(RequestContext context) {
        InetSocketAddress remote = context.exchange.remoteAddress();
        return remote != null
                && remote.getAddress() != null
                && remote.getAddress().isLoopbackAddress();
    }
}
