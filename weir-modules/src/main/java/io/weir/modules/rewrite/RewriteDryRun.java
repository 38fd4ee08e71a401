package io.weir.modules.rewrite;

import io.weir.api.config.ConfigElement;
import io.weir.modules.rewrite.InboundEvaluator.Outcome;
import io.weir.modules.rewrite.InboundEvaluator.Step;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Evaluates a configuration's inbound rules for a URL without a server, as IIS Manager's "Test
 * pattern" dialog does for one rule: global rules, then the distributed rules of the (possibly
 * rewritten) URL, with the same evaluation RewriteModule runs. Used by {@code weir test rewrite}
 * and {@code weir explain}. Files ({@code IsFile}, {@code IsDirectory}) are checked on disk.
 */
public final class RewriteDryRun {

    private RewriteDryRun() {}

    /**
     * The configuration the rules come from.
     */
    @FunctionalInterface
    public interface Configuration {
        /**
         * Returns a merged section for a URL.
         *
         * @param urlPath     the decoded URL path
         * @param sectionPath for example {@code "system.webServer/rewrite/rules"}
         * @return the section (empty when no level sets it)
         * @throws io.weir.api.config.ConfigException when the URL's configuration is invalid
         */
        ConfigElement section(String urlPath, String sectionPath);
    }

    /**
     * One evaluated rule.
     *
     * @param phase    {@code "global"} or {@code "distributed"}
     * @param rule     its name
     * @param input    what {@code match url} was matched against
     * @param matched  whether the rule applied (pattern and conditions)
     * @param captures its {@code {R:n}} values when it applied
     * @param action   the action it took ("" when it did not apply)
     */
    public record RuleResult(
            String phase, String rule, String input, boolean matched, List<String> captures, String action) {}

    /**
     * The outcome.
     *
     * @param rules     every rule evaluated, in order
     * @param outcome   {@code NONE}, {@code REWRITE}, {@code REDIRECT}, {@code CUSTOM_RESPONSE},
     *                  {@code ABORT_REQUEST}, or {@code ERROR}
     * @param url       the URL the request ends on (path and query), the Location of a redirect, or
     *                  an absolute URL for the proxy
     * @param status    the status of a redirect or custom response (0 otherwise; 500 for an error)
     * @param detail    the substatus and reason, the variables set, or the error's message
     */
    public record Report(List<RuleResult> rules, String outcome, String url, int status, String detail) {}

    /**
     * Runs the rules.
     *
     * @param config       the configuration
     * @param urlPath      the decoded, normalized URL path
     * @param queryString  the query string without '?'
     * @param headers      the request headers (a {@code Host} is assumed "localhost" when absent)
     * @param https        whether the request is taken to arrive over TLS
     * @param port         the local port
     * @param physicalPath maps a URL path to its physical path ({@code REQUEST_FILENAME})
     * @return the report
     * @throws io.weir.api.config.ConfigException when a rule cannot be compiled (file, line, reason)
     */
    public static Report run(
            Configuration config,
            String urlPath,
            String queryString,
            Map<String, String> headers,
            boolean https,
            int port,
            Function<String, Path> physicalPath) {
        List<RuleResult> results = new ArrayList<>();
        Map<String, String> variables = new LinkedHashMap<>();
        String path = urlPath;
        String query = queryString;
        String[] phases = {"global", "distributed"};
        String lastRewrite = null;
        for (String phase : phases) {
            boolean global = phase.equals("global");
            InboundRules rules = InboundRules.from(
                    config.section(
                            path, global ? InboundRules.GLOBAL.sectionPath() : InboundRules.DISTRIBUTED.sectionPath()),
                    global);
            if (rules.rules().isEmpty()) {
                continue;
            }
            RewriteMaps maps = RewriteMaps.from(config.section(path, RewriteMaps.SECTION.sectionPath()));
            AllowedServerVariables allowed = global
                    ? null
                    : AllowedServerVariables.from(config.section(path, AllowedServerVariables.SECTION.sectionPath()));
            String p = path;
            String q = query;
            InboundEvaluator.Request request = new InboundEvaluator.Request() {
                @Override
                public String urlPath() {
                    return p;
                }

                @Override
                public String queryString() {
                    return q;
                }

                @Override
                public String serverVariable(String name) {
                    String set = variables.get(name);
                    return set != null
                            ? set
                            : variable(name, p, q, urlPath, queryString, headers, https, port, physicalPath);
                }

                @Override
                public boolean exists(String physical, boolean directory) {
                    try {
                        Path file = Path.of(physical);
                        return directory ? Files.isDirectory(file) : Files.isRegularFile(file);
                    } catch (InvalidPathException e) {
                        return false;
                    }
                }
            };
            Outcome o;
            try {
                o = InboundEvaluator.evaluate(rules, request, maps, allowed, true);
            } catch (RewriteException e) {
                return new Report(results, "ERROR", path, 500, (global ? "500.51 " : "500.50 ") + e.getMessage());
            }
            for (Step s : o.steps()) {
                results.add(new RuleResult(phase, s.rule(), s.input(), s.matched(), s.captures(), s.action()));
            }
            variables.putAll(o.variables());
            String set = o.variables().isEmpty() ? "" : "variables set: " + o.variables();
            switch (o.action()) {
                case REWRITE -> {
                    if (o.absolute()) {
                        return new Report(
                                results,
                                "REWRITE",
                                o.url(),
                                0,
                                "an absolute URL: forwarded by the proxy"
                                        + " when system.webServer/proxy is enabled, else 500.50. " + set);
                    }
                    int qm = o.url().indexOf('?');
                    path = Substitution.percentDecode(qm < 0 ? o.url() : o.url().substring(0, qm));
                    query = qm < 0 ? "" : o.url().substring(qm + 1);
                    lastRewrite = set;
                }
                case REDIRECT -> {
                    return new Report(results, "REDIRECT", o.url(), o.status(), set);
                }
                case CUSTOM_RESPONSE -> {
                    return new Report(
                            results,
                            "CUSTOM_RESPONSE",
                            path,
                            o.status(),
                            o.status() + "." + o.subStatus()
                                    + " "
                                    + (o.reason().isEmpty() ? RewriteModule.standardReason(o.status()) : o.reason())
                                    + (o.description().isEmpty() ? "" : " (" + o.description() + ")") + " " + set);
                }
                case ABORT_REQUEST -> {
                    return new Report(results, "ABORT_REQUEST", path, 0, set);
                }
                default -> {}
            }
        }
        String url = Substitution.encodePath(path) + (query.isEmpty() ? "" : "?" + query);
        return new Report(
                results,
                lastRewrite == null ? "NONE" : "REWRITE",
                url,
                0,
                variables.isEmpty() ? "" : "variables set: " + variables);
    }

    private static String variable(
            String name,
            String path,
            String query,
            String originalPath,
            String originalQuery,
            Map<String, String> headers,
            boolean https,
            int port,
            Function<String, Path> physicalPath) {
        String original = Substitution.encodePath(originalPath) + (originalQuery.isEmpty() ? "" : "?" + originalQuery);
        String host = header(headers, "Host");
        if (host.isEmpty()) {
            host = "localhost";
        }
        return switch (name) {
            case "URL", "PATH_INFO", "SCRIPT_NAME" -> path;
            case "QUERY_STRING" -> query;
            case "REQUEST_URI", "UNENCODED_URL", "HTTP_URL" -> original;
            case "HTTP_HOST" -> host;
            case "SERVER_NAME" -> host.replaceFirst(":\\d+$", "");
            case "HTTPS" -> https ? "on" : "off";
            case "SERVER_PORT_SECURE" -> https ? "1" : "0";
            case "SERVER_PORT" -> Integer.toString(port);
            case "SERVER_PROTOCOL" -> "HTTP/1.1";
            case "REQUEST_METHOD" -> "GET";
            case "REMOTE_ADDR", "REMOTE_HOST", "LOCAL_ADDR" -> "127.0.0.1";
            case "CACHE_URL" -> (https ? "https://" : "http://") + host + original;
            case "REQUEST_FILENAME", "PATH_TRANSLATED", "SCRIPT_FILENAME" ->
                physicalPath.apply(path).toString();
            default ->
                name.startsWith("HTTP_") ? header(headers, name.substring(5).replace('_', '-')) : "";
        };
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return h.getValue();
            }
        }
        return "";
    }
}
