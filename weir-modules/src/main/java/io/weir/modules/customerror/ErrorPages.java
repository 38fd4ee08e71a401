package io.weir.modules.customerror;

import io.weir.api.http.HttpStatus;
import java.util.Map;

/**
 * The two pages CustomErrorModule writes itself: the detailed error page (IIS's "detailed error",
 * for local clients under DetailedLocalOnly) and the one-liner (IIS's short page for an error that
 * has no custom page and for a blank response that must be passed through). Both are small HTML
 * documents, UTF-8, with every dynamic value HTML-escaped. The descriptions are Weir's own words.
 */
final class ErrorPages {

    /** The {@code Content-Type} of both pages. */
    static final String CONTENT_TYPE = "text/html; charset=utf-8";

    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("400", "The server could not understand the request."),
            Map.entry("401", "You are not authorized to view this page with the credentials you supplied."),
            Map.entry("401.1", "Logon failed: the credentials are not valid."),
            Map.entry(
                    "401.2",
                    "Logon failed because of the server's configuration: no authentication module "
                            + "produced a user for this request."),
            Map.entry("401.3", "You are not authorized to view this resource because of its access rules."),
            Map.entry("403", "The server understood the request but refuses to serve it."),
            Map.entry("403.6", "The client's IP address is not allowed to reach this resource."),
            Map.entry(
                    "403.14", "The folder has no default document and directory browsing is not enabled " + "for it."),
            Map.entry("403.18", "The custom error URL cannot be executed for this request."),
            Map.entry("404", "The resource you requested could not be found."),
            Map.entry(
                    "404.3",
                    "The file's extension has no MIME map entry, so the static file handler does not " + "serve it."),
            Map.entry("404.4", "No handler mapping matches this request."),
            Map.entry("404.5", "Request filtering denied a sequence in the URL."),
            Map.entry("404.6", "Request filtering denied the verb."),
            Map.entry("404.7", "Request filtering denied the file extension."),
            Map.entry("404.8", "Request filtering denied a hidden segment of the URL."),
            Map.entry("404.10", "Request filtering denied a request header that is too long."),
            Map.entry("404.11", "Request filtering denied a double-escaped URL."),
            Map.entry("404.12", "Request filtering denied a character outside ASCII in the URL."),
            Map.entry("404.13", "Request filtering denied a request entity that is too long."),
            Map.entry("404.14", "Request filtering denied a URL that is too long."),
            Map.entry("404.15", "Request filtering denied a query string that is too long."),
            Map.entry("404.18", "Request filtering denied a sequence in the query string."),
            Map.entry("404.19", "A request filtering rule denied the request."),
            Map.entry("405", "The handler of this resource does not accept the request's verb."),
            Map.entry("406", "The server cannot produce a response in a form the client accepts."),
            Map.entry("408", "The client did not send its request in time."),
            Map.entry("412", "A precondition given in the request's headers is false."),
            Map.entry("413", "The request entity is larger than the server accepts."),
            Map.entry("414", "The URL is longer than the server accepts."),
            Map.entry("415", "The request entity's media type is not supported."),
            Map.entry("416", "The requested range cannot be satisfied."),
            Map.entry("429", "Too many requests have been sent in a given time."),
            Map.entry("431", "The request's headers are larger than the server accepts."),
            Map.entry("500", "The server met an unexpected condition while answering the request."),
            Map.entry("500.19", "The configuration data for this page is invalid."),
            Map.entry("500.21", "A handler mapping names a module that is not loaded or not enabled."),
            Map.entry("501", "The server does not support what the request needs."),
            Map.entry("502", "The server, acting as a gateway or proxy, received an invalid response."),
            Map.entry("503", "The service is unavailable at the moment."),
            Map.entry("504", "The server, acting as a gateway or proxy, did not get a response in time."));

    private ErrorPages() {}

    /**
     * Describes a status in one sentence.
     *
     * @param status    the status
     * @param bySubstatus true to prefer the substatus's own description (detailed pages only: a
     *                    substatus tells how the server is configured)
     * @return the description, never empty
     */
    static String describe(HttpStatus status, boolean bySubstatus) {
        String d = bySubstatus ? DESCRIPTIONS.get(status.code() + "." + status.subStatus()) : null;
        if (d == null) {
            d = DESCRIPTIONS.get(Integer.toString(status.code()));
        }
        if (d == null) {
            d = status.code() >= 500 ? "The server could not complete the request." : "The request cannot be served.";
        }
        return d;
    }

    /**
     * Renders the one-liner: status code, reason and the code's description; nothing about the
     * server's internals.
     *
     * @param status the status
     * @return the HTML
     */
    static String oneLiner(HttpStatus status) {
        String title = status.code() + " - " + escape(status.reason());
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n<body>\n"
                + "<h1>" + title + "</h1>\n<p>" + escape(describe(status, false)) + "</p>\n</body></html>\n";
    }

    /**
     * What the detailed page shows, gathered by the module from the response and the context.
     *
     * @param status           the error status
     * @param description      the module's error description, or empty for the built-in one
     * @param module           the module that set the status, or "Not yet determined"
     * @param notification     the notification it was set in
     * @param handler          the handler mapping's name, or "Not yet determined"
     * @param errorCode        the recorded error, or empty
     * @param requestedUrl     the URL as requested
     * @param physicalPath     the physical path of the URL
     * @param logonMethod      the authentication type, or "Not yet determined"
     * @param logonUser        the user name, or "Not yet determined"
     * @param siteName         the site's name
     * @param moreInformation  the base of the "more information" link, or empty to leave it out
     */
    record Detail(
            HttpStatus status,
            String description,
            String module,
            String notification,
            String handler,
            String errorCode,
            String requestedUrl,
            String physicalPath,
            String logonMethod,
            String logonUser,
            String siteName,
            String moreInformation) {}

    /**
     * Renders the detailed error page, IIS's layout: the status with substatus and reason, the
     * description, then the detailed error information table.
     *
     * @param d what to show
     * @return the HTML
     */
    static String detailed(Detail d) {
        HttpStatus s = d.status();
        String heading = "HTTP Error " + s + " - " + escape(s.reason());
        StringBuilder sb = new StringBuilder(1536);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Weir Detailed Error - ")
                .append(s)
                .append(" - ")
                .append(escape(s.reason()))
                .append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em}th{text-align:left;padding-right:1em;"
                        + "vertical-align:top}td{font-family:monospace}</style></head>\n<body>\n")
                .append("<h1>Server Error in Site &quot;")
                .append(escape(d.siteName()))
                .append("&quot;</h1>\n")
                .append("<h2>")
                .append(heading)
                .append("</h2>\n")
                .append("<p>")
                .append(escape(d.description().isEmpty() ? describe(s, true) : d.description()))
                .append("</p>\n<h3>Detailed Error Information</h3>\n<table>\n");
        row(sb, "Module", d.module());
        row(sb, "Notification", d.notification());
        row(sb, "Handler", d.handler());
        row(sb, "Error Code", d.errorCode().isEmpty() ? "None recorded" : d.errorCode());
        row(sb, "Requested URL", d.requestedUrl());
        row(sb, "Physical Path", d.physicalPath());
        row(sb, "Logon Method", d.logonMethod());
        row(sb, "Logon User", d.logonUser());
        sb.append("</table>\n");
        if (!d.moreInformation().isEmpty()) {
            String link = d.moreInformation() + (d.moreInformation().indexOf('?') < 0 ? "?" : "&") + "status="
                    + s.code() + "&substatus=" + s.subStatus();
            sb.append("<h3>More Information</h3>\n<p><a href=\"")
                    .append(escape(link))
                    .append("\">")
                    .append(escape(link))
                    .append("</a></p>\n");
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, String value) {
        sb.append("<tr><th>")
                .append(name)
                .append("</th><td>")
                .append(escape(value))
                .append("</td></tr>\n");
    }

    /**
     * Escapes text for HTML content and attribute values.
     *
     * @param s the text
     * @return the escaped text
     */
    static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r =
                    switch (c) {
                        case '<' -> "&lt;";
                        case '>' -> "&gt;";
                        case '&' -> "&amp;";
                        case '"' -> "&quot;";
                        case '\'' -> "&#39;";
                        default -> null;
                    };
            if (r != null && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (r != null) {
                    sb.append(r);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }
}
