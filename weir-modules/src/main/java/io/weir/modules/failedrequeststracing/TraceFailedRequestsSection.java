package io.weir.modules.failedrequeststracing;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.trace.TraceConfiguration;
import io.weir.api.trace.TraceVerbosity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The effective {@code system.webServer/tracing/traceFailedRequests} section: the rules, in order.
 * Attribute names and defaults are IIS_schema.xml's; {@code customActionExe},
 * {@code customActionParams}, {@code customActionTriggerLimit} and {@code traceAllAfterTimeout}
 * are read but not acted on (Weir runs no custom actions).
 *
 * @param rules the {@code <add>} rules
 */
public record TraceFailedRequestsSection(List<Rule> rules) {

    /** The section type, bound once per effective configuration. */
    public static final ConfigSectionType<TraceFailedRequestsSection> TYPE =
            ConfigSectionType.of("system.webServer/tracing/traceFailedRequests", TraceFailedRequestsSection::from);

    /**
     * One {@code <add path>} rule.
     *
     * @param path       the file-name pattern ({@code *}, {@code *.aspx}, {@code a?.txt}); matched, without
     *                   case, against the last segment of the URL path, or against the whole path when
     *                   it contains a {@code /} (IIS documents only file-name patterns: Weir's choice)
     * @param traceAreas what the trace file records ({@code traceAreas/add}: provider, areas, verbosity)
     * @param failure    when a request counts as failed
     */
    public record Rule(String path, List<TraceConfiguration> traceAreas, FailureDefinition failure) {

        /**
         * @param urlPath the request's URL path
         * @return true when {@link #path} matches it
         */
        public boolean matches(String urlPath) {
            String subject = path.contains("/") ? urlPath : urlPath.substring(urlPath.lastIndexOf('/') + 1);
            return glob(path).matcher(subject).matches();
        }

        private static Pattern glob(String pattern) {
            StringBuilder regex = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        }
    }

    /**
     * {@code <failureDefinitions>}: a request fails when any condition holds.
     *
     * @param statusCodes the {@code statusCodes} list ({@code 404.2,500-599}); empty when absent
     * @param timeTaken   {@code timeTaken} (IIS default 00:00:00 = no time condition)
     * @param verbosity   {@code verbosity}: Ignore 0 (no condition), CriticalError 1, Error 2, Warning 3:
     *                    an event at that level or a more severe one fails the request
     */
    public record FailureDefinition(List<StatusCodes> statusCodes, Duration timeTaken, int verbosity) {

        /**
         * @param status    the final status
         * @param subStatus the final substatus
         * @return true when the status is listed
         */
        public boolean statusMatches(int status, int subStatus) {
            for (StatusCodes s : statusCodes) {
                if (s.matches(status, subStatus)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * One item of {@code statusCodes}: a code ({@code 404}), a code with substatus ({@code 404.2}) or a
     * range of codes ({@code 500-599}).
     *
     * @param from      the first code
     * @param to        the last code
     * @param subStatus the substatus, or -1 for any
     */
    public record StatusCodes(int from, int to, int subStatus) {

        boolean matches(int status, int sub) {
            return status >= from && status <= to && (subStatus < 0 || subStatus == sub);
        }
    }

    /**
     * Binds the merged section.
     *
     * @param section the merged section
     * @return the rules
     * @throws ConfigException for a bad {@code statusCodes} item or an unknown verbosity name
     */
    public static TraceFailedRequestsSection from(ConfigElement section) {
        List<Rule> rules = new ArrayList<>();
        for (ConfigElement add : section.collection()) {
            String path = add.stringAttribute("path", "*");
            List<TraceConfiguration> areas = new ArrayList<>();
            add.child("traceAreas").ifPresent(t -> {
                for (ConfigElement area : t.collection()) {
                    String provider = area.attribute("provider")
                            .orElseThrow(() -> new ConfigException(area.source(), "traceAreas/add needs a provider"));
                    Set<String> names = Set.copyOf(
                            Arrays.stream(area.stringAttribute("areas", "").split(","))
                                    .map(String::trim)
                                    .filter(s -> !s.isEmpty())
                                    .toList());
                    areas.add(new TraceConfiguration(
                            provider, names, traceVerbosity(area, area.stringAttribute("verbosity", "Warning"))));
                }
            });
            ConfigElement failure = add.child("failureDefinitions").orElse(null);
            FailureDefinition definition = failure == null
                    ? new FailureDefinition(List.of(), Duration.ZERO, 0)
                    : new FailureDefinition(
                            statusCodes(failure),
                            failure.timeSpanAttribute("timeTaken", Duration.ZERO),
                            failureVerbosity(failure, failure.stringAttribute("verbosity", "Ignore")));
            rules.add(new Rule(path, List.copyOf(areas), definition));
        }
        return new TraceFailedRequestsSection(List.copyOf(rules));
    }

    private static List<StatusCodes> statusCodes(ConfigElement failure) {
        List<StatusCodes> codes = new ArrayList<>();
        for (String item : failure.stringAttribute("statusCodes", "").split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            try {
                int dash = s.indexOf('-');
                int dot = s.indexOf('.');
                if (dash > 0) {
                    codes.add(new StatusCodes(
                            Integer.parseInt(s.substring(0, dash).trim()),
                            Integer.parseInt(s.substring(dash + 1).trim()),
                            -1));
                } else if (dot > 0) {
                    int code = Integer.parseInt(s.substring(0, dot));
                    codes.add(new StatusCodes(code, code, Integer.parseInt(s.substring(dot + 1))));
                } else {
                    int code = Integer.parseInt(s);
                    codes.add(new StatusCodes(code, code, -1));
                }
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        failure.attributeSource("statusCodes"),
                        "failureDefinitions statusCodes: '" + s + "' is not a status, status.substatus or range");
            }
        }
        return List.copyOf(codes);
    }

    private static TraceVerbosity traceVerbosity(ConfigElement e, String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "general", "0" -> TraceVerbosity.GENERAL;
            case "criticalerror", "1" -> TraceVerbosity.FATAL_ERROR;
            case "error", "2" -> TraceVerbosity.ERROR;
            case "warning", "3" -> TraceVerbosity.WARNING;
            case "information", "4" -> TraceVerbosity.INFO;
            case "verbose", "5" -> TraceVerbosity.VERBOSE;
            default ->
                throw new ConfigException(
                        e.attributeSource("verbosity"),
                        "traceAreas verbosity '" + name
                                + "' is not one of General, CriticalError, Error, Warning, Information, Verbose");
        };
    }

    private static int failureVerbosity(ConfigElement e, String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "ignore", "0" -> 0;
            case "criticalerror", "1" -> 1;
            case "error", "2" -> 2;
            case "warning", "3" -> 3;
            default ->
                throw new ConfigException(
                        e.attributeSource("verbosity"),
                        "failureDefinitions verbosity '" + name
                                + "' is not one of Ignore, CriticalError, Error, Warning");
        };
    }
}
