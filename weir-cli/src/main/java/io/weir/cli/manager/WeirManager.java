package io.weir.cli.manager;

import com.sun.net.httpserver.HttpExchange;
import io.weir.api.config.ConfigException;
import io.weir.cli.WeirCommand;
import io.weir.cli.command.FarmsReport;
import io.weir.cli.inspect.Json;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.server.AdminEndpoint;
import io.weir.server.AdminPage;
import io.weir.server.WeirServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The Weir Manager page, mounted by {@code weir serve} on the admin endpoint at {@value #PREFIX}.
 * Resources (the endpoint admits them from a local browser only, or with the admin token):
 * <ul>
 *   <li>{@code GET /manager/}, {@code manager.js}, {@code manager.css}: the page, from the JAR,
 *       with a Content-Security-Policy that allows no inline script and no other origin;</li>
 *   <li>{@code GET /manager/api/state}: JSON: the configuration file, the runtime status, the
 *       requests in flight, the farms, and every site with its state, bindings and applications,
 *       read from the file as the editing commands read it; plus the page's anti-forgery token;</li>
 *   <li>{@code GET /manager/api/explain?site=S&url=U}: what {@code weir explain} prints for the URL
 *       (site, application, handler mapping, the modules of every stage in run order);</li>
 *   <li>{@code GET /manager/api/features?site=S}: the site's feature pages ({@link FeaturePages}):
 *       effective settings with their sources, and whether each section is locked for the site's
 *       web.config, with the loader's reason (where it is locked);</li>
 *   <li>{@code GET /manager/api/traces?site=S} and {@code /manager/api/trace?site=S&file=frNNNNNN.html}:
 *       the site's failed-request trace files and one of them, as text ({@link FailedRequestTraces});</li>
 *   <li>{@code POST /manager/api/action} (form fields; header {@code X-Weir-Manager} carrying the
 *       anti-forgery token, which a page of another origin cannot read nor send): one of IIS
 *       Manager's common edits, run as the {@code weir} command that makes it, on the served file;
 *       answers the command's exit status and output as JSON. A feature edit is written at the level
 *       the page picks ({@code level=apphost}: a {@code <location>} of applicationHost.config;
 *       {@code level=site}: the site's root web.config, as {@code weir set config --commit site}),
 *       and a refused one answers the command's refusal (file, line, reason). The server's configuration watcher
 *       then applies the change by hot reload.</li>
 * </ul>
 * Runs on the admin endpoint's thread, one request at a time, so edits never overlap.
 */
public final class WeirManager implements AdminPage {

    /** Where the page is mounted. */
    public static final String PREFIX = "/manager/";

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** Where the runtime status goes in the state's JSON, which {@link AdminEndpoint} writes. */
    private static final String RUNTIME_MARK = "@runtime@";

    private final WeirServer server;
    private final Path configFile;
    private final Map<String, String> variables;
    private final String csrf;

    private WeirManager(WeirServer server, Path configFile, Map<String, String> variables) {
        this.server = server;
        this.configFile = configFile.toAbsolutePath().normalize();
        this.variables = Map.copyOf(variables);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.csrf = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /**
     * Mounts the page on the server's admin endpoint, when it has one.
     *
     * @param server     the running server
     * @param configFile the applicationHost.config it serves and watches, which the page edits
     * @param variables  the {@code %NAME%} definitions the file is loaded with
     * @return true when mounted; false when the server has no admin endpoint
     */
    public static boolean mount(WeirServer server, Path configFile, Map<String, String> variables) {
        return server.adminEndpoint()
                .map(admin -> {
                    admin.mount(PREFIX, new WeirManager(server, configFile, variables));
                    return true;
                })
                .orElse(false);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
        String method = exchange.getRequestMethod();
        exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        if (path.equals("api/action")) {
            if (!method.equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                send(exchange, 405, "text/plain", "405 Method Not Allowed\n");
                return;
            }
            if (!sameOrigin(exchange)) {
                send(exchange, 403, "text/plain", "403 Forbidden: the anti-forgery token is missing or wrong\n");
                return;
            }
            String body = new String(exchange.getRequestBody().readNBytes(64 * 1024), StandardCharsets.UTF_8);
            send(exchange, 200, "application/json", action(form(body)));
            return;
        }
        if (!method.equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            send(exchange, 405, "text/plain", "405 Method Not Allowed\n");
            return;
        }
        switch (path) {
            case "", "index.html" -> resource(exchange, "index.html", "text/html; charset=utf-8");
            case "manager.js" -> resource(exchange, "manager.js", "text/javascript; charset=utf-8");
            case "manager.css" -> resource(exchange, "manager.css", "text/css; charset=utf-8");
            case "api/state" -> send(exchange, 200, "application/json", state());
            case "api/explain" -> {
                Map<String, String> query =
                        form(String.valueOf(exchange.getRequestURI().getRawQuery()));
                List<String> args = new ArrayList<>(List.of("explain", "--config", configFile.toString()));
                addVariables(args);
                if (!query.getOrDefault("site", "").isEmpty()) {
                    args.addAll(List.of("--site", query.get("site")));
                }
                args.add(query.getOrDefault("url", "/"));
                send(exchange, 200, "application/json", run(args));
            }
            case "api/features", "api/traces", "api/trace" -> siteResource(exchange, path);
            default -> send(exchange, 404, "text/plain", "404 Not Found\n");
        }
    }

    /** The resources about one site ({@code ?site=NAME}), read from the served file as it is now. */
    private void siteResource(HttpExchange exchange, String path) throws IOException {
        Map<String, String> query = form(String.valueOf(exchange.getRequestURI().getRawQuery()));
        ApplicationHostConfig config;
        try {
            config = ApplicationHostConfig.load(configFile, variables);
        } catch (ConfigException e) {
            send(
                    exchange,
                    409,
                    "text/plain",
                    "409 Conflict: the file does not load: " + e.source() + ": " + e.reason());
            return;
        }
        Optional<SiteConfig> found = config.site(query.getOrDefault("site", ""));
        if (found.isEmpty()) {
            send(exchange, 404, "text/plain", "404 Not Found: no such site\n");
            return;
        }
        SiteConfig site = found.get();
        switch (path) {
            case "api/features" -> {
                Map<String, Object> features = new LinkedHashMap<>();
                features.put("site", site.name());
                features.put(
                        "webConfig",
                        FeaturePages.rootWebConfig(site).map(Path::toString).orElse(""));
                features.put("pages", FeaturePages.of(config, site));
                send(exchange, 200, "application/json", Json.write(features));
            }
            case "api/traces" ->
                send(exchange, 200, "application/json", Json.write(FailedRequestTraces.list(config, site)));
            default -> {
                Optional<String> trace = FailedRequestTraces.read(config, site, query.get("file"));
                if (trace.isEmpty()) {
                    send(exchange, 404, "text/plain", "404 Not Found: no such trace file\n");
                } else {
                    // text, never a page of this origin: the viewer lays it out from its tables
                    send(exchange, 200, "text/plain; charset=utf-8", trace.get());
                }
            }
        }
    }

    /** A change is accepted only with the page's token, and from the page's own origin when the browser says. */
    private boolean sameOrigin(HttpExchange exchange) {
        String given = exchange.getRequestHeaders().getFirst("X-Weir-Manager");
        if (given == null
                || !MessageDigest.isEqual(
                        given.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8))) {
            return false;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String host = exchange.getRequestHeaders().getFirst("Host");
        return origin == null || origin.equals("http://" + host);
    }

    /** Runs the {@code weir} command an action stands for. */
    private String action(Map<String, String> f) {
        String site = f.getOrDefault("site", "");
        List<String> args =
                switch (f.getOrDefault("action", "")) {
                    case "startSite" -> new ArrayList<>(List.of("start", "site", site));
                    case "stopSite" -> new ArrayList<>(List.of("stop", "site", site));
                    case "setBindings" ->
                        new ArrayList<>(List.of("set", "site", site, "--bindings", f.getOrDefault("bindings", "")));
                    case "addMimeType" ->
                        located(
                                List.of(
                                        "set",
                                        "config",
                                        "system.webServer/staticContent",
                                        "/+[fileExtension='" + quoted(f.get("fileExtension")) + "',mimeType='"
                                                + quoted(f.get("mimeType")) + "']"),
                                f);
                    case "addDefaultDocument" ->
                        located(
                                List.of(
                                        "set",
                                        "config",
                                        "system.webServer/defaultDocument",
                                        "/+files.[value='" + quoted(f.get("value")) + "']"),
                                f);
                    case "addHeader" ->
                        located(
                                List.of(
                                        "set",
                                        "config",
                                        "system.webServer/httpProtocol",
                                        "/+customHeaders.[name='" + quoted(f.get("name")) + "',value='"
                                                + quoted(f.get("value")) + "']"),
                                f);
                    case "addErrorPage" ->
                        located(
                                List.of(
                                        "set",
                                        "config",
                                        "system.webServer/httpErrors",
                                        "/+[statusCode='" + quoted(f.get("statusCode")) + "',path='"
                                                + quoted(f.get("path")) + "',responseMode='"
                                                + quoted(f.getOrDefault("responseMode", "ExecuteURL")) + "']"),
                                f);
                    case "setDirectoryBrowse" ->
                        located(
                                List.of(
                                        "set",
                                        "config",
                                        "system.webServer/directoryBrowse",
                                        "/enabled:" + ("true".equals(f.get("enabled")) ? "true" : "false")),
                                f);
                    default -> null;
                };
        if (args == null) {
            return Json.write(Map.of("exitCode", 2, "command", "", "out", "", "err", "unknown action"));
        }
        args.addAll(List.of("--config", configFile.toString()));
        addVariables(args);
        return run(args);
    }

    /**
     * A {@code set config} at the level the page picked: {@code level=apphost} (a
     * {@code <location path="SITE">} of applicationHost.config) or {@code level=site} (the site's
     * root web.config, {@code --commit site}).
     */
    private static List<String> located(List<String> args, Map<String, String> f) {
        List<String> all = new ArrayList<>(args);
        String site = f.getOrDefault("site", "");
        if (!site.isEmpty()) {
            all.addAll(List.of("--location", site));
            if ("site".equals(f.get("level"))) {
                all.addAll(List.of("--commit", "site"));
            }
        }
        return all;
    }

    private static String quoted(String value) {
        return value == null ? "" : value.replace("'", "''");
    }

    private void addVariables(List<String> args) {
        variables.forEach((k, v) -> args.addAll(List.of("--var", k + "=" + v)));
    }

    /** Runs {@code weir ARGS} in this JVM and answers its status and output. */
    private static String run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = WeirCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args.toArray(String[]::new));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("exitCode", exit);
        result.put(
                "command",
                "weir "
                        + String.join(
                                " ", args.stream().map(WeirManager::shellWord).toList()));
        result.put("out", out.toString());
        result.put("err", err.toString());
        return Json.write(result);
    }

    private static String shellWord(String s) {
        return s.matches("[\\w./:=,*-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private String state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("csrf", csrf);
        state.put("configFile", configFile.toString());
        state.put("runtime", RUNTIME_MARK);
        state.put("farms", new FarmsReport().tsv(server.engine()));
        List<Object> sites = new ArrayList<>();
        try {
            ApplicationHostConfig config = ApplicationHostConfig.load(configFile, variables);
            for (SiteConfig site : config.sites()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("name", site.name());
                s.put("id", site.id());
                s.put("started", site.serverAutoStart());
                s.put(
                        "bindings",
                        site.bindings().stream()
                                .map(b -> b.protocol() + "/" + b.ip() + ":" + b.port() + ":" + b.host())
                                .toList());
                s.put(
                        "applications",
                        site.applications().stream()
                                .map(a -> (Object) Map.of(
                                        "path",
                                        a.path(),
                                        "physicalPath",
                                        a.virtualDirectories().isEmpty()
                                                ? ""
                                                : String.valueOf(a.virtualDirectories()
                                                        .get(0)
                                                        .physicalPath())))
                                .toList());
                sites.add(s);
            }
            state.put("configError", null);
        } catch (ConfigException e) {
            state.put("configError", e.source() + ": " + e.reason());
        }
        state.put("sites", sites);
        return Json.write(state).replace("\"" + RUNTIME_MARK + "\"", AdminEndpoint.requestsJson(server.engine()));
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty() || encoded.equals("null")) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.put(name, value);
        }
        return fields;
    }

    private static void resource(HttpExchange exchange, String name, String type) throws IOException {
        try (InputStream in = WeirManager.class.getResourceAsStream(name)) {
            if (in == null) {
                send(exchange, 404, "text/plain", "404 Not Found\n");
                return;
            }
            send(exchange, 200, type, in.readAllBytes());
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
