package io.weir.cli.command;

import io.weir.api.config.ConfigException;
import io.weir.cli.Verbosity;
import io.weir.cli.inspect.RequestExplanation;
import io.weir.cli.inspect.RequestExplanation.ConfigLevel;
import io.weir.cli.inspect.RequestExplanation.HandlerVerdict;
import io.weir.cli.inspect.RequestExplanation.Stage;
import io.weir.cli.inspect.RequestExplanation.StageModule;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.core.WeirEngine;
import io.weir.core.inspect.EngineInspection;
import io.weir.modules.rewrite.RewriteDryRun;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir explain URL}: what Weir would do with a request, without serving it. Prints the site
 * and application, the configuration levels that apply (the file and each {@code <location>} that
 * covers the URL, with file:line), the handler mapping chosen and why every earlier entry was passed
 * over, what exists at the physical path, the status the core answers itself (404.0, 404.4, 405.0,
 * 500.21) if it does, and every stage of the pipeline with the modules that run there, in order,
 * with their priorities, origins and {@code <globalModules>} entries. In EXECUTE_REQUEST_HANDLER it
 * names each module that registered for it but that the handler does not list: the usual answer to
 * "why does my module never run?". When URL Rewrite rules apply to the URL, they come first: each
 * rule evaluated, and the rest of the explanation is for the URL the request ends on (or stops at
 * the redirect, custom response or abort a rule answers).
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = {
            "Explains what Weir would do with a request: site, application, configuration, handler mapping,"
                    + " status, and the modules of every stage in run order. Nothing is served.",
            "",
            "URL is a path (/docs/) or an absolute URL (http://host:port/docs/), whose host and port choose the"
                    + " site by its bindings as the server does. A path goes to --site, else to the first started site."
        },
        footer = {
            "",
            "Examples:",
            "  weir explain /",
            "  weir explain http://localhost:8080/docs/readme.txt --verb POST",
            "  weir explain /app/ --config applicationHost.config --site Intranet"
        },
        sortOptions = false)
public final class ExplainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Parameters(index = "0", paramLabel = "URL", description = "A path (/a/b) or http://host:port/a/b.")
    private String target;

    @Option(
            names = "--site",
            paramLabel = "NAME",
            description = "The site (default: chosen by the URL's host and" + " port, else the first started site).")
    private String siteName;

    @Option(
            names = "--verb",
            paramLabel = "VERB",
            defaultValue = "GET",
            description = "The request's verb (default: ${DEFAULT-VALUE}).")
    private String verb;

    @Mixin
    private ConfigOptions configOptions;

    /** The site of a request, and how it was chosen. */
    private record Choice(SiteConfig site, String how) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ApplicationHostConfig config;
        try {
            configOptions.announce();
            config = configOptions.load(null);
        } catch (ConfigException e) {
            return configOptions.report(e);
        }
        if (config.sites().isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println("weir: " + config.fileLabel() + " defines no site, so no URL can be explained");
            spec.commandLine().getErr().flush();
            return 1;
        }
        URI absolute = absolute(target);
        String rawPath = absolute == null ? target : absolute.getRawPath().isEmpty() ? "/" : absolute.getRawPath();
        int query = rawPath.indexOf('?');
        String queryString = absolute != null
                ? (absolute.getRawQuery() == null ? "" : absolute.getRawQuery())
                : query >= 0 ? rawPath.substring(query + 1) : "";
        if (query >= 0) {
            rawPath = rawPath.substring(0, query);
        }
        if (!rawPath.startsWith("/")) {
            throw usage("URL must be a path starting with '/' or an http:// URL, got '" + target + "'");
        }
        String url = EngineInspection.normalizeUrlPath(rawPath);
        if (url == null) {
            out.println(verb + " " + target);
            out.println("Result: 400 Bad Request - Invalid URL: the path cannot be canonicalized (malformed escape,"
                    + " invalid UTF-8, a control character or '..' above the root); no site sees the request");
            out.flush();
            return 0;
        }
        Choice choice = chooseSite(config, absolute);
        if (choice == null) {
            out.println(verb + " " + target);
            out.println("Result: 400 Bad Request - Invalid Hostname: no binding of a started site matches "
                    + absolute.getHost() + ":" + port(absolute) + " (bindings: " + allBindings(config) + ")");
            out.flush();
            return 0;
        }
        // URL Rewrite first: its rules decide which URL the rest of the pipeline sees
        try {
            Map<String, String> headers = absolute == null
                    ? Map.of()
                    : Map.of("Host", absolute.getHost() + (absolute.getPort() >= 0 ? ":" + absolute.getPort() : ""));
            RewriteDryRun.Report rewrite = TestRewriteCommand.run(
                    config,
                    choice.site(),
                    url,
                    queryString,
                    headers,
                    absolute != null && absolute.getScheme().equalsIgnoreCase("https"),
                    absolute == null ? 80 : port(absolute));
            if (!rewrite.rules().isEmpty()) {
                out.println("URL Rewrite (rules evaluated for " + url + "):");
                TestRewriteCommand.print(rewrite, out);
                out.println();
                if (!rewrite.outcome().equals("REWRITE") && !rewrite.outcome().equals("NONE")
                        || rewrite.url().regionMatches(true, 0, "http", 0, 4)) {
                    out.flush();
                    return 0;
                }
                String rewritten = rewrite.url().indexOf('?') < 0
                        ? rewrite.url()
                        : rewrite.url().substring(0, rewrite.url().indexOf('?'));
                url = EngineInspection.normalizeUrlPath(rewritten);
            }
        } catch (ConfigException e) {
            return configOptions.report(e);
        }
        try (WeirEngine engine = WeirEngine.start(config)) {
            print(RequestExplanation.of(engine, config, choice.site(), choice.how(), url, verb), out);
        }
        out.flush();
        return 0;
    }

    private URI absolute(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null) {
                throw usage("URL '" + value + "' has no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw usage("URL '" + value + "' is not valid: " + e.getMessage());
        }
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private Choice chooseSite(ApplicationHostConfig config, URI absolute) {
        if (siteName != null) {
            SiteConfig site = config.site(siteName)
                    .orElseThrow(() -> usage("no site named '" + siteName + "' (sites: "
                            + config.sites().stream()
                                    .map(s -> "\"" + s.name() + "\"")
                                    .collect(Collectors.joining(", ")) + ")"));
            return new Choice(
                    site,
                    "given with --site"
                            + (site.serverAutoStart()
                                    ? ""
                                    : "; note: serverAutoStart=false, so Weir does not serve this site"));
        }
        if (absolute == null) {
            SiteConfig site = config.sites().stream()
                    .filter(SiteConfig::serverAutoStart)
                    .findFirst()
                    .orElse(config.sites().get(0));
            return new Choice(
                    site,
                    site.serverAutoStart()
                            ? "the first started site (the URL names no host; --site" + " chooses another)"
                            : "the first site; note: no site is started (serverAutoStart=false)");
        }
        String host = absolute.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = port(absolute);
        InetAddress local;
        try {
            local = bare.equalsIgnoreCase("localhost")
                    ? InetAddress.getLoopbackAddress()
                    : isLiteral(bare) ? InetAddress.getByName(bare) : InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw usage("host '" + host + "' is not a valid address");
        }
        Optional<SiteConfig> routed =
                EngineInspection.route(config.sites(), new InetSocketAddress(local, port), host + ":" + port);
        if (routed.isEmpty()) {
            return null;
        }
        SiteConfig site = routed.get();
        String bindings = site.bindings().stream()
                .filter(b -> b.protocol().equalsIgnoreCase("http")
                        && (b.port() == 0 || b.port() == port)
                        && (b.host().isEmpty() || b.host().equalsIgnoreCase(bare)))
                .map(b -> b.protocol() + " " + b.ip() + ":" + b.port() + ":" + b.host() + " (" + b.source() + ")")
                .collect(Collectors.joining(", "));
        return new Choice(
                site,
                "its binding " + bindings + " matches host " + bare + ", port " + port
                        + (isLiteral(bare) || bare.equalsIgnoreCase("localhost")
                                ? ""
                                : " (a host name is taken to arrive on a wildcard address)"));
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static String allBindings(ApplicationHostConfig config) {
        return config.sites().stream()
                .filter(SiteConfig::serverAutoStart)
                .flatMap(s ->
                        s.bindings().stream().map(b -> b.protocol() + "/" + b.ip() + ":" + b.port() + ":" + b.host()))
                .collect(Collectors.joining(", "));
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Prints an explanation, section by section. */
    static void print(RequestExplanation e, PrintWriter out) {
        out.println(e.verb() + " " + e.url());
        out.println("Site:          \"" + e.site().name() + "\" (id " + e.site().id() + "): " + e.siteChoice());
        out.println("Application:   " + e.application());
        out.println(
                "Physical path: " + e.physicalPath() + " (" + e.disk().name().toLowerCase(Locale.ROOT) + ")");
        if (e.links().resolvedPath().isPresent() || !e.links().allowed()) {
            out.println("Resolved path: "
                    + e.links().resolvedPath().map(Path::toString).orElse("(unreadable)")
                    + " (through a symbolic link; "
                    + "weirSymbolicLinks mode " + e.links().mode() + ": "
                    + (e.links().allowed() ? "served" : "refused, answered as missing")
                    + ")");
        }
        out.println();
        out.println("Configuration that applies (outermost first):");
        int width = e.configuration().stream()
                .mapToInt(l -> l.source().toString().length())
                .max()
                .orElse(0);
        for (ConfigLevel level : e.configuration()) {
            out.println("  " + pad(level.source().toString(), width) + "  " + level.what());
        }
        out.println();
        out.println("Handler mapping (the first usable entry whose path and verb match wins):");
        int nameWidth =
                e.handlers().stream().mapToInt(h -> h.name().length()).max().orElse(0);
        for (HandlerVerdict h : e.handlers()) {
            String verdict =
                    switch (h.verdict()) {
                        case SKIPPED -> "skipped ";
                        case PATH, VERB -> "no match";
                        case CHOSEN -> "CHOSEN  ";
                    };
            out.println(
                    "  " + verdict + "  " + pad(h.name(), nameWidth) + "  " + h.reason() + "  (" + h.source() + ")");
        }
        if (e.handlers().isEmpty()) {
            out.println("  (no entries)");
        }
        if (e.notConsulted() > 0) {
            out.println("  (" + e.notConsulted() + " later " + (e.notConsulted() == 1 ? "entry" : "entries")
                    + " not consulted)");
        }
        out.println();
        e.outcome()
                .ifPresentOrElse(
                        o -> out.println(
                                "Result: " + o.status() + " from the core in MAP_REQUEST_HANDLER: " + o.reason()),
                        () -> out.println("Result: the handler '"
                                + e.chosen().orElseThrow().name()
                                + "' runs; the status is whatever its modules answer"));
        List<String> earlier = new ArrayList<>();
        for (Stage stage : e.stages()) {
            if (stage.name().equals("POST_MAP_REQUEST_HANDLER") || stage.name().equals("ACQUIRE_REQUEST_STATE")) {
                break;
            }
            stage.modules().forEach(m -> earlier.add(m.name() + " (" + stage.name() + ")"));
        }
        if (!earlier.isEmpty()) {
            out.println("        unless a module that runs before the handler is chosen ends the request or, in"
                    + " MAP_REQUEST_HANDLER, picks another: " + String.join(", ", earlier));
        }
        out.println();
        out.println("Pipeline, in run order (priority, origin, <globalModules> entry):");
        int moduleWidth = e.stages().stream()
                .flatMap(s -> s.modules().stream())
                .mapToInt(m -> m.name().length())
                .max()
                .orElse(0);
        for (Stage stage : e.stages()) {
            StringBuilder head = new StringBuilder("  ").append(stage.name());
            if (stage.skipped()) {
                head.append("  [not reached: the core answered ")
                        .append(e.outcome().map(o -> o.status()).orElse(""))
                        .append(" in MAP_REQUEST_HANDLER]");
            } else if (!stage.note().isEmpty()) {
                head.append("  (").append(stage.note()).append(')');
            }
            if (stage.modules().isEmpty() && stage.remarks().isEmpty()) {
                head.append(stage.skipped() ? "" : "  (no module)");
            }
            out.println(head);
            int n = 1;
            for (StageModule m : stage.modules()) {
                out.println("    " + n++ + ". " + pad(m.name(), moduleWidth) + "  "
                        + pad(m.priority() == null ? "-" : m.priority().name(), 6) + "  " + m.origin()
                        + "  (" + m.source() + ")");
            }
            for (String remark : stage.remarks()) {
                out.println("    " + remark);
            }
        }
        if (!e.leftOut().isEmpty()) {
            out.println();
            out.println("Enabled but left out of this URL's pipeline (the same responses without the call):");
            e.leftOut().forEach(line -> out.println("  left out: " + line));
        }
        if (!e.notEnabled().isEmpty()) {
            out.println();
            out.println("Loaded but not enabled for this URL (they run in no stage here):");
            e.notEnabled().forEach(line -> out.println("  " + line));
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
