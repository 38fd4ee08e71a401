package io.weir.modules.rewrite;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpModule;
import io.weir.api.ModuleId;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.PreBeginRequestProvider;
import io.weir.api.provider.SendResponseProvider;
import io.weir.api.trace.HttpTraceContext;
import io.weir.api.trace.TraceEvent;
import io.weir.api.trace.TraceVerbosity;
import io.weir.modules.rewrite.InboundEvaluator.Outcome;
import io.weir.modules.rewrite.InboundEvaluator.Step;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * URL Rewrite 2.1 ({@code rewrite.dll}): global inbound rules in GL_PRE_BEGIN_REQUEST, distributed
 * inbound rules in BEGIN_REQUEST, outbound rules (response headers, tag attributes in the body) in
 * SEND_RESPONSE. One shared instance serves every request (a response whose body is rewritten keeps
 * its {@link OutboundBody} in the request's module context); compiled rules are bound once per
 * effective configuration.
 *
 * <p>A Rewrite calls {@link HttpRequest#setUrl}; the engine then maps the request again for the new
 * URL (its configuration, module list and handler), as IIS does after URL Rewrite's rewrite. The
 * original URL is kept in {@code HTTP_X_ORIGINAL_URL}; {@code UNENCODED_URL} keeps the request
 * line's target. A Rewrite to an absolute {@code http(s)://} URL does not change the URL: when
 * {@code system.webServer/proxy@enabled} is true it sets the server variable
 * {@code WEIR_PROXY_URL} to that URL for the proxy module to forward the request; otherwise the
 * request fails with 500.50 (URL Rewrite without Application Request Routing cannot serve it).
 *
 * <p>Errors: a rule that sets a server variable {@code allowedServerVariables} does not list (a
 * distributed rule), or names a rewrite map that does not exist, fails the request with 500.50
 * (distributed rules) or 500.51 (global rules), as URL Rewrite does. Rules that cannot be compiled
 * are reported once and every request they govern is answered 500.19 naming the file, line and
 * reason (the rest of the site keeps serving).
 *
 * <p>File checks ({@code IsFile}, {@code IsDirectory}) on the request's own
 * {@code REQUEST_FILENAME} use the server's file cache; other inputs are checked on disk.
 */
public final class RewriteModule implements HttpModule, GlobalModule {

    private final ModuleId id;

    /** The server variable that hands an absolute Rewrite target to the proxy module. */
    public static final String PROXY_URL_VARIABLE = "WEIR_PROXY_URL";

    /**
     * The server variables that give the access log the URL path and query string to log for a
     * rewritten request ({@code cs-uri-stem}, {@code cs-uri-query}): the original ones, unless the
     * Rewrite action has {@code logRewrittenUrl="true"}, as URL Rewrite does.
     */
    public static final String LOG_URI_STEM_VARIABLE = "WEIR_LOG_URI_STEM";

    /** See {@link #LOG_URI_STEM_VARIABLE}. */
    public static final String LOG_URI_QUERY_VARIABLE = "WEIR_LOG_URI_QUERY";

    private static final ConfigSectionType<Boolean> PROXY_ENABLED =
            ConfigSectionType.of("system.webServer/proxy", s -> s.booleanAttribute("enabled", false));

    /**
     * @param id the module's id, under which a response's body filter is kept
     */
    RewriteModule(ModuleId id) {
        this.id = id;
    }

    /**
     * Evaluates {@code globalRules} for the request's full URL path.
     *
     * @param provider the request
     * @return CONTINUE, or FINISH_REQUEST_NOTIFICATION after a Redirect, CustomResponse or AbortRequest
     */
    @Override
    public GlobalNotificationStatus onGlobalPreBeginRequest(PreBeginRequestProvider provider) {
        HttpContext context = provider.httpContext();
        Compiled<InboundRules> compiled = context.config(InboundRules.GLOBAL);
        if (compiled.error() != null) {
            refuse(context, compiled.error());
            provider.finishRequest();
            return GlobalNotificationStatus.HANDLED;
        }
        InboundRules rules = compiled.value();
        if (rules.rules().isEmpty()) {
            return GlobalNotificationStatus.CONTINUE;
        }
        if (apply(context, rules, null, 51) == RequestNotificationStatus.FINISH_REQUEST) {
            provider.finishRequest();
            return GlobalNotificationStatus.HANDLED;
        }
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Evaluates the distributed {@code rules} of every level for the URL.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE, or FINISH_REQUEST after a Redirect, CustomResponse or AbortRequest
     */
    @Override
    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
        if (context.parentContext().isPresent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        Compiled<InboundRules> compiled = context.config(InboundRules.DISTRIBUTED);
        if (compiled.error() != null) {
            return refuse(context, compiled.error());
        }
        InboundRules rules = compiled.value();
        if (rules.rules().isEmpty()) {
            return RequestNotificationStatus.CONTINUE;
        }
        return apply(context, rules, context.config(AllowedServerVariables.SECTION), 50);
    }

    /**
     * Applies outbound rules: on the first send, to the response headers ({@code RESPONSE_*}
     * server variables), and, when a body rule's precondition holds, to tag attributes in the body
     * of this and every later send. A rule error, or body rules on an encoded response, gives 500.52
     * while the headers have not gone.
     *
     * @param context  the request
     * @param provider the send
     * @return CONTINUE
     */
    @Override
    public RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
        Compiled<OutboundRules> compiled = context.config(OutboundRules.SECTION);
        HttpResponse response = context.response();
        if (compiled.error() != null) {
            if (provider.headersBeingSent() && response.statusCode() < 500) {
                refuse(context, compiled.error());
            }
            return RequestNotificationStatus.CONTINUE;
        }
        OutboundRules rules = compiled.value();
        if (rules.rules().isEmpty()) {
            return RequestNotificationStatus.CONTINUE;
        }
        try {
            if (provider.headersBeingSent()) {
                OutboundEvaluator.applyToHeaders(rules, context);
                if (rules.hasBodyRules()) {
                    OutboundBody filter = OutboundEvaluator.bodyFilter(rules, context);
                    if (filter != null) {
                        String encoding = response.header("Content-Encoding").orElse("");
                        if (!encoding.isEmpty() && !encoding.equalsIgnoreCase("identity")) {
                            throw new RewriteException("outbound rules cannot rewrite a response whose content is"
                                    + " encoded (Content-Encoding: " + encoding + ")");
                        }
                        context.moduleContextContainer().setModuleContext(filter, id);
                    }
                }
            }
            if (context.moduleContextContainer().moduleContext(id).orElse(null) instanceof OutboundBody filter) {
                List<DataChunk> chunks = List.copyOf(response.entityChunks());
                List<DataChunk> out = filter.filter(chunks, provider.isFinalSend());
                response.clearEntity();
                if (!out.isEmpty()) {
                    response.writeEntityChunks(out.toArray(DataChunk[]::new));
                }
            }
        } catch (RewriteException | UncheckedIOException e) {
            if (!provider.headersBeingSent()) {
                throw e; // too late for a status: the pipeline drops the connection
            }
            response.clear();
            response.setStatus(new HttpStatus(500, 52, "URL Rewrite Module Error."));
            response.setErrorDescription(e.getMessage());
        }
        return RequestNotificationStatus.CONTINUE;
    }

    /** Nothing to release: the module keeps no state. */
    @Override
    public void terminate() {}

    /** Nothing to release per request: the instance is shared. */
    @Override
    public void dispose() {}

    /** The variables whose values follow from the URL and the site, as a kernel cache entry's key does. */
    private static final Pattern URL_VARIABLES = Pattern.compile(
            "\\{(?:URL|REQUEST_URI|QUERY_STRING|HTTP_HOST|SERVER_NAME|SERVER_PORT|HTTPS|CACHE_URL|UNENCODED_URL"
                    + "|PATH_INFO|SCRIPT_NAME|[RC]:\\d+)\\}",
            Pattern.CASE_INSENSITIVE);

    /**
     * @return true when the named rule's conditions read only what the URL and the site decide (no
     *         client header or address, no file system test), so that a kernel-style cache entry
     *         keyed by the URL stays right
     */
    static boolean decidedByUrl(InboundRules rules, String ruleName) {
        for (InboundRules.Rule rule : rules.rules()) {
            if (!rule.name().equals(ruleName)) {
                continue;
            }
            for (InboundRules.Condition c : rule.conditions()) {
                if (c.matchType() != InboundRules.MatchType.PATTERN) {
                    return false;
                }
                String rest = URL_VARIABLES.matcher(c.input().text()).replaceAll("");
                if (rest.contains("{")) {
                    return false;
                }
            }
        }
        return true;
    }

    private RequestNotificationStatus apply(
            HttpContext context, InboundRules rules, AllowedServerVariables allowed, int errorSubStatus) {
        HttpTraceContext trace = context.traceContext();
        boolean tracing = trace.isEnabled();
        Outcome o;
        try {
            o = InboundEvaluator.evaluate(
                    rules, requestView(context), context.config(RewriteMaps.SECTION), allowed, tracing);
        } catch (RewriteException e) {
            return fail(context, errorSubStatus, e.getMessage());
        }
        if (tracing) {
            traceSteps(trace, o);
        }
        if (!o.rule().isEmpty() && !decidedByUrl(rules, o.rule())) {
            // the same URL may be answered differently next time: no kernel-style cache entry
            context.response().cachePolicy().disableKernelCache();
        }
        HttpRequest request = context.request();
        for (Map.Entry<String, String> v : o.variables().entrySet()) {
            String name = v.getKey();
            if (name.startsWith("HTTP_") && name.length() > 5) {
                request.setHeader(name.substring(5).replace('_', '-'), v.getValue(), true);
            }
            context.setServerVariable(name, v.getValue());
        }
        switch (o.action()) {
            case REWRITE -> {
                String original = context.serverVariable("HTTP_X_ORIGINAL_URL").orElse("");
                if (original.isEmpty()) {
                    context.setServerVariable("HTTP_X_ORIGINAL_URL", request.rawUrl());
                    request.setHeader("X-Original-URL", request.rawUrl(), true);
                }
                if (o.absolute()) {
                    if (!context.config(PROXY_ENABLED)) {
                        return fail(
                                context,
                                errorSubStatus,
                                "the rule '" + o.rule() + "' rewrites to the absolute URL " + o.url()
                                        + ", which needs the reverse proxy (system.webServer/proxy enabled=\"true\")");
                    }
                    context.setServerVariable(PROXY_URL_VARIABLE, o.url());
                    return RequestNotificationStatus.CONTINUE;
                }
                if (!o.logRewrittenUrl()
                        && context.serverVariable(LOG_URI_STEM_VARIABLE)
                                .orElse("")
                                .isEmpty()) {
                    context.setServerVariable(LOG_URI_STEM_VARIABLE, request.urlPath());
                    context.setServerVariable(LOG_URI_QUERY_VARIABLE, request.queryString());
                }
                try {
                    request.setUrl(o.url(), true);
                } catch (IllegalArgumentException e) {
                    return fail(
                            context,
                            errorSubStatus,
                            "the rule '" + o.rule() + "' rewrites to " + o.url() + ", which is not a valid URL path: "
                                    + e.getMessage());
                }
                return RequestNotificationStatus.CONTINUE;
            }
            case REDIRECT -> {
                context.response().redirect(o.url(), redirectStatus(o.status()), false);
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            case CUSTOM_RESPONSE -> {
                context.response().clear();
                String reason = o.reason().isEmpty() ? standardReason(o.status()) : o.reason();
                context.response().setStatus(new HttpStatus(o.status(), o.subStatus(), reason));
                if (!o.description().isEmpty()) {
                    context.response().setErrorDescription(o.description());
                }
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            case ABORT_REQUEST -> {
                context.response().resetConnection();
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            default -> {
                return RequestNotificationStatus.CONTINUE;
            }
        }
    }

    /** Answers 500.19 for rules that could not be compiled, naming the file, line and reason. */
    private static RequestNotificationStatus refuse(HttpContext context, ConfigException error) {
        context.response().clear();
        context.response().setStatus(HttpStatus.CONFIGURATION_INVALID, error);
        context.response().setErrorDescription("The configuration is invalid: " + error.getMessage());
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    private static RequestNotificationStatus fail(HttpContext context, int subStatus, String description) {
        context.response().clear();
        context.response().setStatus(new HttpStatus(500, subStatus, "URL Rewrite Module Error."));
        context.response().setErrorDescription(description);
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    private static HttpStatus redirectStatus(int code) {
        return switch (code) {
            case 302 -> HttpStatus.FOUND;
            case 303 -> new HttpStatus(303, 0, "See Other");
            case 307 -> new HttpStatus(307, 0, "Temporary Redirect");
            default -> HttpStatus.MOVED_PERMANENTLY;
        };
    }

    static String standardReason(int code) {
        return switch (code) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 410 -> "Gone";
            case 429 -> "Too Many Requests";
            case 451 -> "Unavailable For Legal Reasons";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Status " + code;
        };
    }

    private static void traceSteps(HttpTraceContext trace, Outcome o) {
        for (Step s : o.steps()) {
            Map<String, String> items = new LinkedHashMap<>();
            items.put("RuleName", s.rule());
            items.put("Input", s.input());
            items.put("Succeeded", Boolean.toString(s.matched()));
            for (int i = 0; i < s.captures().size(); i++) {
                items.put("R:" + i, s.captures().get(i));
            }
            if (!s.action().isEmpty()) {
                items.put("Action", s.action());
            }
            trace.raiseTraceEvent(new TraceEvent(
                    TraceEvent.WWW_SERVER,
                    "Rewrite",
                    "RULE_EVALUATION_END",
                    TraceVerbosity.VERBOSE,
                    Instant.now(),
                    items));
        }
        Map<String, String> end = new LinkedHashMap<>();
        end.put("Action", o.action().name());
        end.put("RuleName", o.rule());
        end.put("Url", o.url());
        trace.raiseTraceEvent(new TraceEvent(
                TraceEvent.WWW_SERVER, "Rewrite", "URL_REWRITE_END", TraceVerbosity.VERBOSE, Instant.now(), end));
    }

    /** The request as the rules read it, over the live context. */
    static InboundEvaluator.Request requestView(HttpContext context) {
        return new InboundEvaluator.Request() {
            @Override
            public String urlPath() {
                return context.request().urlPath();
            }

            @Override
            public String queryString() {
                return context.request().queryString();
            }

            @Override
            public String serverVariable(String name) {
                return variable(context, name);
            }

            @Override
            public boolean exists(String physicalPath, boolean directory) {
                return RewriteModule.exists(context, physicalPath, directory);
            }
        };
    }

    static String variable(HttpContext context, String name) {
        switch (name) {
            case "CACHE_URL" -> {
                HttpRequest r = context.request();
                boolean secure = context.connection().isSecure();
                return (secure ? "https://" : "http://") + r.header("Host").orElse("") + r.rawUrl();
            }
            case "HTTP_HOST" -> {
                return context.request().header("Host").orElse("");
            }
            case "REQUEST_URI" -> {
                return context.serverVariable("HTTP_X_ORIGINAL_URL")
                        .orElse(context.request().rawUrl());
            }
            default -> {
                Optional<String> v = context.serverVariable(name);
                return v.orElse("");
            }
        }
    }

    static boolean exists(HttpContext context, String physicalPath, boolean directory) {
        if (physicalPath.isEmpty()) {
            return false;
        }
        try {
            Path path = Path.of(physicalPath);
            if (path.equals(context.physicalPath())) {
                Optional<HttpFileInfo> info = context.fileInfo();
                return info.isPresent() && info.get().isDirectory() == directory;
            }
            return directory ? Files.isDirectory(path) : Files.isRegularFile(path);
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
