package io.weir.modules.customerror;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.config.ConfigException;
import io.weir.api.http.DataChunk;
import io.weir.api.http.ExecuteFlag;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.http.HttpUser;
import io.weir.api.http.ScriptMapInfo;
import io.weir.api.provider.SendResponseFlag;
import io.weir.api.provider.SendResponseProvider;
import io.weir.modules.customerror.HttpErrorsSection.ErrorEntry;
import io.weir.modules.customerror.HttpErrorsSection.ErrorMode;
import io.weir.modules.customerror.HttpErrorsSection.ResponseMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CustomErrorModule for one request: in SEND_RESPONSE, turns an error response (status 400 or
 * more) into the page {@code system.webServer/httpErrors} asks for. Mirrors IIS's
 * {@code custerr.dll}; see the package documentation for the decision table and Weir's choices.
 *
 * <p>Runs on the request's event loop, on the first send of a response that goes out whole (no
 * {@link SendResponseFlag#MORE_DATA}: a response a module flushed in parts cannot be replaced and is
 * left alone). Only a stat of candidate error files happens here (through the server's file
 * cache); the file itself is sent zero-copy by the transport. One instance per request, because
 * an ExecuteURL child request runs while this module is inside SEND_RESPONSE and must not re-enter
 * it.
 */
final class CustomErrorModule implements HttpModule {

    private static final System.Logger LOG = System.getLogger(CustomErrorModule.class.getName());
    private static final String NOT_YET = "Not yet determined";
    /** Headers that describe an entity; dropped when the entity is replaced. */
    private static final List<String> ENTITY_HEADERS = List.of(
            "Content-Type",
            "Content-Encoding",
            "Content-Range",
            "Content-Language",
            "Content-Disposition",
            "Content-Location",
            "ETag",
            "Last-Modified",
            "Accept-Ranges");

    private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*");
    private static final int MAX_LANGUAGES = 5;

    /** What the module does with an error response. */
    enum Action {
        /** Send the response as it is. */
        KEEP,
        /** Replace the entity with the one-liner. */
        ONE_LINER,
        /** Replace the entity with the detailed error page. */
        DETAILED,
        /** Replace the entity with the custom error configured for the status. */
        CUSTOM
    }

    private boolean executingChild;

    @Override
    public RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
        HttpResponse response = context.response();
        if (response.statusCode() < 400
                || executingChild
                || !provider.headersBeingSent()
                || provider.flags().contains(SendResponseFlag.MORE_DATA)
                || context.parentContext().isPresent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        boolean local = isLocal(context.connection().remoteAddress());
        HttpErrorsSection section;
        try {
            section = context.config(HttpErrorsSection.SECTION);
        } catch (ConfigException e) {
            badSection(context, e, local);
            return RequestNotificationStatus.CONTINUE;
        }
        boolean detailed = section.errorMode() == ErrorMode.DETAILED
                || (section.errorMode() == ErrorMode.DETAILED_LOCAL_ONLY && local);
        Action action = decide(
                section.existingResponse(),
                response.trySkipCustomErrors(),
                detailed,
                response.bufferedEntityLength() > 0);
        switch (action) {
            case KEEP -> {}
            case ONE_LINER -> replace(response, ErrorPages.oneLiner(response.status()));
            case DETAILED -> replace(response, ErrorPages.detailed(detail(context, section)));
            case CUSTOM -> custom(context, section);
        }
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * IIS's rules for {@code existingResponse} (HttpErrorsSection class reference, "ExistingResponse"):
     * Auto keeps a response set with trySkipCustomErrors, replaces it under a custom error mode,
     * and under a detailed one keeps an existing entity and fills a blank one; Replace always
     * replaces; PassThrough always keeps. A response that would be kept blank gets the one-liner,
     * as IIS's custom error module sends one "if it detects that we are about to return a blank
     * response" (K. Singla, "What to expect from IIS7 custom error module").
     *
     * @param policy    the {@code existingResponse} value
     * @param trySkip   whether the status was set with trySkipCustomErrors
     * @param detailed  whether the request gets detailed errors
     * @param hasEntity whether the response has an entity
     * @return the action
     */
    static Action decide(
            HttpErrorsSection.ExistingResponse policy, boolean trySkip, boolean detailed, boolean hasEntity) {
        Action keep = hasEntity ? Action.KEEP : Action.ONE_LINER;
        Action replace = detailed ? Action.DETAILED : Action.CUSTOM;
        return switch (policy) {
            case PASS_THROUGH -> keep;
            case REPLACE -> replace;
            case AUTO -> trySkip ? keep : !detailed ? Action.CUSTOM : hasEntity ? Action.KEEP : Action.DETAILED;
        };
    }

    /**
     * Tells whether a client counts as local for {@code DetailedLocalOnly}: a loopback address
     * (127.0.0.0/8, ::1, or an IPv4-mapped loopback). A request from this machine to one of its
     * other addresses counts as remote (Weir's choice; it matches the engine's own error page).
     *
     * @param remote the client's address, may be null
     * @return true for a loopback client
     */
    static boolean isLocal(InetSocketAddress remote) {
        if (remote == null) {
            return false;
        }
        InetAddress address = remote.getAddress();
        return address != null && address.isLoopbackAddress();
    }

    // ---------------------------------------------------------------------------------------------
    // Custom errors
    // ---------------------------------------------------------------------------------------------

    private void custom(HttpContext context, HttpErrorsSection section) {
        HttpResponse response = context.response();
        HttpStatus status = response.status();
        Optional<ErrorEntry> entry = section.find(status.code(), status.subStatus());
        String path;
        String prefix;
        ResponseMode mode;
        if (entry.isPresent()) {
            path = entry.get().path();
            prefix = entry.get().prefixLanguageFilePath();
            mode = entry.get().responseMode();
        } else if (!section.defaultPath().isEmpty()) {
            path = section.defaultPath();
            prefix = "";
            mode = section.defaultResponseMode();
        } else {
            replace(response, ErrorPages.oneLiner(status));
            return;
        }
        switch (mode) {
            case FILE -> file(context, prefix, path);
            case EXECUTE_URL -> executeUrl(context, path);
            case REDIRECT -> response.redirect(path, HttpStatus.FOUND, false);
        }
    }

    private static void file(HttpContext context, String prefix, String path) {
        HttpResponse response = context.response();
        for (Path candidate : fileCandidates(context, prefix, path)) {
            Optional<HttpFileInfo> info = context.server().fileInfo(candidate);
            if (info.isPresent() && !info.get().isDirectory()) {
                response.clearEntity();
                dropEntityHeaders(response);
                String name = candidate.getFileName() == null
                        ? ""
                        : candidate.getFileName().toString();
                response.setHeader(
                        "Content-Type", context.config(ContentTypes.SECTION).forFileName(name), true);
                response.writeEntityChunks(
                        DataChunk.ofFile(info.get().path(), info.get().size()));
                return;
            }
        }
        LOG.log(
                System.Logger.Level.WARNING,
                "httpErrors: no file for status {0} at {1} (prefix \"{2}\"); " + "sending the one-liner",
                response.status(),
                path,
                prefix);
        replace(response, ErrorPages.oneLiner(response.status()));
    }

    /**
     * The files a File-mode error may come from, in the order they are tried. Without
     * {@code prefixLanguageFilePath}, the path alone. With it, IIS's {@code prefix\LANGUAGE\path}
     * for each language of the request's {@code Accept-Language} (highest q first, at most five),
     * then for the JVM's default locale and {@code en-US} (IIS falls back to the system language),
     * and last {@code prefix\path} (Weir's addition, for a folder without language subfolders).
     * {@code \} is read as {@code /}; a relative result is resolved against the application's
     * physical root (IIS resolves it against the folder of the web.config that set it).
     *
     * @param context the request
     * @param prefix  {@code prefixLanguageFilePath}, or empty
     * @param path    {@code path}
     * @return the candidates, absolute and normalized
     */
    static List<Path> fileCandidates(HttpContext context, String prefix, String path) {
        Set<String> relative = new LinkedHashSet<>();
        if (prefix.isEmpty()) {
            relative.add(path);
        } else {
            for (String tag : languages(context.request().headers("Accept-Language"))) {
                relative.add(prefix + "/" + tag + "/" + path);
            }
            relative.add(prefix + "/" + Locale.getDefault().toLanguageTag() + "/" + path);
            relative.add(prefix + "/en-US/" + path);
            relative.add(prefix + "/" + path);
        }
        List<Path> result = new ArrayList<>(relative.size());
        Path root = context.application().applicationPhysicalPath();
        for (String r : relative) {
            try {
                Path p = Path.of(r.replace('\\', '/'));
                result.add((p.isAbsolute() ? p : root.resolve(p)).normalize());
            } catch (InvalidPathException e) {
                LOG.log(System.Logger.Level.DEBUG, "httpErrors: not a path: {0}", r);
            }
        }
        return result;
    }

    /**
     * Parses {@code Accept-Language} into well-formed tags in canonical case ({@code en-us} →
     * {@code en-US}), highest q first, without {@code *} or q=0, at most five.
     *
     * @param headers the header's values
     * @return the tags
     */
    static List<String> languages(List<String> headers) {
        record Weighted(String tag, double q, int order) {}
        List<Weighted> found = new ArrayList<>();
        for (String header : headers) {
            for (String part : header.split(",")) {
                String[] pieces = part.split(";");
                String tag = pieces[0].strip();
                double q = 1;
                for (int i = 1; i < pieces.length; i++) {
                    String p = pieces[i].strip();
                    if (p.startsWith("q=") || p.startsWith("Q=")) {
                        try {
                            q = Double.parseDouble(p.substring(2));
                        } catch (NumberFormatException e) {
                            q = 0;
                        }
                    }
                }
                if (q > 0 && LANGUAGE_TAG.matcher(tag).matches()) {
                    found.add(new Weighted(Locale.forLanguageTag(tag).toLanguageTag(), q, found.size()));
                }
            }
        }
        found.sort((a, b) -> a.q() != b.q() ? Double.compare(b.q(), a.q()) : Integer.compare(a.order(), b.order()));
        List<String> tags = new ArrayList<>();
        for (Weighted w : found) {
            if (!w.tag().equals("und") && !tags.contains(w.tag()) && tags.size() < MAX_LANGUAGES) {
                tags.add(w.tag());
            }
        }
        return tags;
    }

    /**
     * ExecuteURL: runs a child request for {@code url} (same site, the request's verb and
     * headers, as IIS does) whose output becomes the entity; the status stays the original error.
     * If the child fails (an exception, or a status other than 2xx or 206), or the URL is not a
     * server-relative path, the one-liner is sent instead: the child's own error never gets a
     * custom error (children are run with {@link ExecuteFlag#DISABLE_CUSTOM_ERROR} and this module
     * ignores child requests and re-entry), so an error URL that fails cannot loop.
     */
    private void executeUrl(HttpContext context, String url) {
        HttpResponse response = context.response();
        HttpStatus original = response.status();
        Throwable error = response.statusError().orElse(null);
        String description = response.errorDescription();
        if (!url.startsWith("/") || url.startsWith("//")) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "httpErrors: ExecuteURL path \"{0}\" is not a server-relative URL; " + "sending the one-liner",
                    url);
            replace(response, ErrorPages.oneLiner(original));
            return;
        }
        response.clearEntity();
        dropEntityHeaders(response);
        response.setStatus(HttpStatus.OK);
        boolean completed;
        executingChild = true;
        try {
            completed = !context.executeRequest(
                    url, EnumSet.of(ExecuteFlag.DISABLE_CUSTOM_ERROR, ExecuteFlag.BUFFER_RESPONSE));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "httpErrors: the child request for " + url + " failed", e);
            completed = false;
        } finally {
            executingChild = false;
        }
        if (response.headersSent()) {
            return;
        }
        int code = response.statusCode();
        boolean ok = completed && code >= 200 && code < 300 && code != 206;
        if (!ok) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "httpErrors: the ExecuteURL child {0} answered {1}; " + "sending the one-liner for {2}",
                    url,
                    response.status(),
                    original);
        }
        response.setStatus(original, error);
        response.setErrorDescription(description);
        if (ok) {
            for (String h : List.of("ETag", "Last-Modified", "Accept-Ranges", "Content-Range")) {
                response.deleteHeader(h);
            }
        } else {
            replace(response, ErrorPages.oneLiner(original));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Pages written by the module
    // ---------------------------------------------------------------------------------------------

    private static void replace(HttpResponse response, String html) {
        response.clearEntity();
        dropEntityHeaders(response);
        response.setHeader("Content-Type", ErrorPages.CONTENT_TYPE, true);
        response.writeEntityChunks(DataChunk.ofUtf8(html));
    }

    /**
     * Drops the headers that describe the entity being replaced; a 416 keeps its
     * {@code Content-Range: bytes *}{@code /LENGTH}, which describes the resource (RFC 9110 section 15.5.17).
     */
    private static void dropEntityHeaders(HttpResponse response) {
        boolean keepRange = response.statusCode() == 416;
        for (String h : ENTITY_HEADERS) {
            if (keepRange && h.equals("Content-Range")) {
                continue;
            }
            if (response.header(h).isPresent()) {
                response.deleteHeader(h);
            }
        }
    }

    /** The module's own section is malformed: 500.19, shown as a detailed page to local clients. */
    private static void badSection(HttpContext context, ConfigException e, boolean local) {
        HttpResponse response = context.response();
        response.setStatus(HttpStatus.CONFIGURATION_INVALID, e);
        response.setErrorDescription("The configuration is invalid: " + e.getMessage());
        HttpErrorsSection defaults = new HttpErrorsSection(
                ErrorMode.DETAILED_LOCAL_ONLY,
                HttpErrorsSection.ExistingResponse.AUTO,
                "",
                ResponseMode.FILE,
                HttpErrorsSection.DEFAULT_MORE_INFORMATION_LINK,
                false,
                List.of());
        replace(
                response,
                local
                        ? ErrorPages.detailed(detail(context, defaults, "CustomErrorModule", "SEND_RESPONSE"))
                        : ErrorPages.oneLiner(response.status()));
    }

    private static ErrorPages.Detail detail(HttpContext context, HttpErrorsSection section) {
        HttpResponse response = context.response();
        return detail(
                context,
                section,
                response.statusModule().orElse(NOT_YET),
                response.statusNotification().orElse(NOT_YET));
    }

    private static ErrorPages.Detail detail(
            HttpContext context, HttpErrorsSection section, String module, String notification) {
        HttpResponse response = context.response();
        String physical;
        try {
            physical = context.physicalPath().toString();
        } catch (RuntimeException e) {
            physical = "Not mapped";
        }
        String host = context.request().header("Host").orElseGet(() -> {
            InetSocketAddress local = context.connection().localAddress();
            return local == null ? "" : local.getHostString() + ":" + local.getPort();
        });
        String url = (context.connection().isSecure() ? "https://" : "http://")
                + host
                + context.request().rawUrl();
        Optional<HttpUser> user = context.user();
        String method = user.map(u -> u.authenticationType().isEmpty() ? "Anonymous" : u.authenticationType())
                .orElse(NOT_YET);
        String name = user.map(u -> u.userName().isEmpty() ? "Anonymous" : u.userName())
                .orElse(NOT_YET);
        return new ErrorPages.Detail(
                response.status(),
                response.errorDescription(),
                module,
                notification,
                context.scriptMap().map(ScriptMapInfo::name).orElse(NOT_YET),
                response.statusError().map(Throwable::toString).orElse(""),
                url,
                physical,
                method,
                name,
                context.site().siteName(),
                section.detailedMoreInformationLink());
    }
}
