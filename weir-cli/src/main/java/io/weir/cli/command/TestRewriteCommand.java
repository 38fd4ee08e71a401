package io.weir.cli.command;

import io.weir.api.config.ConfigException;
import io.weir.cli.Verbosity;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.EffectiveConfig;
import io.weir.config.SiteConfig;
import io.weir.core.inspect.EngineInspection;
import io.weir.modules.rewrite.RewriteDryRun;
import io.weir.modules.rewrite.RewriteDryRun.Report;
import io.weir.modules.rewrite.RewriteDryRun.RuleResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir test rewrite URL}: evaluates the URL Rewrite rules of a configuration for a request,
 * without a server: global rules, then the distributed rules of the URL (after a global rewrite, of
 * the new URL), each rule with its input, whether it applied and its captures, then what the request
 * ends on (a rewritten URL, a redirect, a custom response, an abort). Files named by
 * {@code IsFile}/{@code IsDirectory} conditions are checked on disk.
 */
@Command(
        name = "rewrite",
        mixinStandardHelpOptions = true,
        description = "Evaluates the URL Rewrite rules for a request and prints each rule and the outcome;"
                + " nothing is served.",
        footer = {
            "",
            "Examples:",
            "  weir test rewrite /old/page?x=1",
            "  weir test rewrite /app/users/7 --header Host:www.example.com --https",
            "  weir test rewrite /shop/ --config applicationHost.config --site Intranet"
        },
        sortOptions = false)
public final class TestRewriteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Parameters(index = "0", paramLabel = "URL", description = "The path and query, for example /a/b?x=1.")
    private String target;

    @Option(
            names = "--header",
            paramLabel = "NAME:VALUE",
            description = "A request header (repeatable);" + " Host defaults to localhost.")
    private List<String> headerOptions = List.of();

    @Option(names = "--https", description = "The request arrives over TLS ({HTTPS} is on).")
    private boolean https;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "80",
            description = "{SERVER_PORT} (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--site", paramLabel = "NAME", description = "The site (default: the first started site).")
    private String siteName;

    @Mixin
    private ConfigOptions configOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ApplicationHostConfig config;
        try {
            config = configOptions.load(null);
        } catch (ConfigException e) {
            return configOptions.report(e);
        }
        SiteConfig site = siteName != null
                ? config.site(siteName).orElseThrow(() -> usage("no site named '" + siteName + "'"))
                : config.sites().stream()
                        .filter(SiteConfig::serverAutoStart)
                        .findFirst()
                        .orElseThrow(() -> usage("the configuration starts no site"));
        if (!target.startsWith("/")) {
            throw usage("URL must be a path starting with '/', got '" + target + "'");
        }
        String[] parts = EngineInspection.splitRequestTarget(target);
        String path = parts == null ? null : EngineInspection.normalizeUrlPath(parts[0]);
        if (path == null) {
            throw usage("URL '" + target + "' cannot be canonicalized");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : headerOptions) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw usage("--header needs NAME:VALUE, got '" + h + "'");
            }
            headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        try {
            Report report = run(config, site, path, parts[1], headers, https, port);
            out.println("GET " + target + " (site \"" + site.name() + "\")");
            print(report, out);
        } catch (ConfigException e) {
            return configOptions.report(e);
        }
        out.flush();
        return 0;
    }

    /**
     * Runs the rules of a site for a request.
     *
     * @return the report
     * @throws ConfigException when the configuration of a URL the rules reach is invalid
     */
    static Report run(
            ApplicationHostConfig config,
            SiteConfig site,
            String path,
            String query,
            Map<String, String> headers,
            boolean https,
            int port) {
        return RewriteDryRun.run(
                (url, section) -> {
                    EffectiveConfig effective = config.effectiveConfig(site.name(), url);
                    if (effective.error().isPresent()) {
                        throw effective.error().get();
                    }
                    return effective.section(section);
                },
                path,
                query,
                headers,
                https,
                port,
                url -> EngineInspection.mapUrl(site, url).physicalPath());
    }

    /** Prints the rules evaluated and the outcome. */
    static void print(Report report, PrintWriter out) {
        if (report.rules().isEmpty()) {
            out.println("  (no URL Rewrite rule applies to this URL)");
        }
        for (RuleResult r : report.rules()) {
            StringBuilder line = new StringBuilder("  ")
                    .append(r.phase())
                    .append(" rule \"")
                    .append(r.rule())
                    .append("\" on \"")
                    .append(r.input())
                    .append("\": ")
                    .append(r.matched() ? "applied" : "no match");
            for (int i = 0; i < r.captures().size(); i++) {
                line.append(i == 0 ? " " : ", ")
                        .append("{R:")
                        .append(i)
                        .append("}=\"")
                        .append(r.captures().get(i))
                        .append('"');
            }
            if (!r.action().isEmpty()) {
                line.append(" -> ").append(r.action());
            }
            out.println(line);
        }
        String detail = report.detail().isBlank() ? "" : " (" + report.detail().strip() + ")";
        out.println(
                switch (report.outcome()) {
                    case "REWRITE" -> "Rewrite: the request continues for " + report.url() + detail;
                    case "REDIRECT" -> "Redirect: " + report.status() + " to " + report.url() + detail;
                    case "CUSTOM_RESPONSE" ->
                        "Custom response: " + report.detail().strip();
                    case "ABORT_REQUEST" -> "Abort: the connection is closed without a response" + detail;
                    case "ERROR" -> "Error: " + report.detail();
                    default -> "No rewrite: the request continues for " + report.url() + detail;
                });
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
