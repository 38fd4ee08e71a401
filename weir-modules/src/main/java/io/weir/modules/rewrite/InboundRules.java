package io.weir.modules.rewrite;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.config.ConfigSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The inbound rules of one URL: {@code system.webServer/rewrite/rules} (distributed: every level's
 * rules, parent levels first, each with the URL path of the level that defines it) or
 * {@code system.webServer/rewrite/globalRules} (applicationHost.config). Compiled once per
 * effective configuration; immutable and thread-safe.
 *
 * @param rules  the enabled and disabled rules, in evaluation order
 * @param global whether these are global rules
 */
record InboundRules(List<Rule> rules, boolean global) {

    /** Binds {@code system.webServer/rewrite/rules}. */
    static final ConfigSectionType<Compiled<InboundRules>> DISTRIBUTED =
            ConfigSectionType.of("system.webServer/rewrite/rules", s -> Compiled.of(() -> from(s, false)));

    /** Binds {@code system.webServer/rewrite/globalRules}. */
    static final ConfigSectionType<Compiled<InboundRules>> GLOBAL =
            ConfigSectionType.of("system.webServer/rewrite/globalRules", s -> Compiled.of(() -> from(s, true)));

    InboundRules {
        rules = List.copyOf(rules);
    }

    /** {@code action@type}. */
    enum ActionType {
        /** Nothing; the next rule is evaluated (unless stopProcessing). */
        NONE,
        /** The request continues for another URL. */
        REWRITE,
        /** A 301/302/303/307 with a Location. */
        REDIRECT,
        /** A response with the given status and no handler. */
        CUSTOM_RESPONSE,
        /** The connection is closed without a response. */
        ABORT_REQUEST
    }

    /** {@code conditions/add@matchType}. */
    enum MatchType {
        /** The input matches the pattern. */
        PATTERN,
        /** The input names an existing file. */
        IS_FILE,
        /** The input names an existing directory. */
        IS_DIRECTORY
    }

    /**
     * One {@code conditions/add}.
     *
     * @param input     the input expression
     * @param matchType what is checked
     * @param pattern   the pattern (Pattern only), compiled with the rule's syntax
     * @param negate    whether the result is inverted
     * @param source    where it is written
     */
    record Condition(
            Substitution input, MatchType matchType, RulePattern pattern, boolean negate, ConfigSource source) {}

    /**
     * One {@code serverVariables/set}.
     *
     * @param name    the variable's name, upper-case
     * @param value   the value expression
     * @param replace whether an existing value is replaced
     */
    record VariableSetting(String name, Substitution value, boolean replace) {}

    /**
     * The {@code action}.
     *
     * @param type              the type
     * @param url               the substitution URL (Rewrite, Redirect)
     * @param appendQueryString whether the request's query string is appended
     * @param redirectType      301, 302, 303 or 307
     * @param statusCode        CustomResponse status
     * @param subStatusCode     CustomResponse substatus
     * @param statusReason      CustomResponse reason phrase expression ("" for the standard one)
     * @param statusDescription CustomResponse description expression
     * @param logRewrittenUrl   Rewrite: whether the access log shows the rewritten URL (else the original)
     */
    record Action(
            ActionType type,
            Substitution url,
            boolean appendQueryString,
            int redirectType,
            int statusCode,
            int subStatusCode,
            Substitution statusReason,
            Substitution statusDescription,
            boolean logRewrittenUrl) {}

    /**
     * One {@code rule}.
     *
     * @param name             its name
     * @param level            the URL path of the level that defines it ("" for the site or server, else "/a/b")
     * @param enabled          {@code enabled}
     * @param stopProcessing   {@code stopProcessing}
     * @param match            {@code match@url}, compiled
     * @param negate           {@code match@negate}
     * @param conditions       the conditions
     * @param matchAny         {@code logicalGrouping="MatchAny"}
     * @param trackAllCaptures {@code trackAllCaptures}
     * @param variables        the server variables set when the rule matches
     * @param action           the action
     * @param source           where the rule is written
     */
    record Rule(
            String name,
            String level,
            boolean enabled,
            boolean stopProcessing,
            RulePattern match,
            boolean negate,
            List<Condition> conditions,
            boolean matchAny,
            boolean trackAllCaptures,
            List<VariableSetting> variables,
            Action action,
            ConfigSource source) {}

    /**
     * Compiles the section.
     *
     * @param section the merged section
     * @param global  whether it is {@code globalRules}
     * @return the rules
     * @throws ConfigException naming the file and line of a rule that cannot be compiled
     */
    static InboundRules from(ConfigElement section, boolean global) {
        List<Rule> rules = new ArrayList<>();
        for (ConfigElement item : section.collection()) {
            rules.add(rule(item, global));
        }
        return new InboundRules(rules, global);
    }

    private static Rule rule(ConfigElement item, boolean global) {
        String name = item.attribute("name").orElse("");
        RulePattern.Syntax syntax = syntax(item.attribute("patternSyntax").orElse("ECMAScript"));
        ConfigElement match = item.child("match").orElse(null);
        String url = match == null ? null : match.attribute("url").orElse(null);
        if (url == null) {
            throw new ConfigException(item.source(), "the rule '" + name + "' has no <match url=\"...\">");
        }
        ConfigSource matchSource = match.source();
        RulePattern pattern = RulePattern.compile(url, syntax, match.booleanAttribute("ignoreCase", true), matchSource);
        List<Condition> conditions = new ArrayList<>();
        boolean matchAny = false;
        boolean trackAll = false;
        ConfigElement conditionsElement = item.child("conditions").orElse(null);
        if (conditionsElement != null) {
            matchAny = conditionsElement
                    .attribute("logicalGrouping")
                    .orElse("MatchAll")
                    .equalsIgnoreCase("MatchAny");
            trackAll = conditionsElement.booleanAttribute("trackAllCaptures", false);
            for (ConfigElement c : conditionsElement.collection()) {
                conditions.add(condition(c, syntax, name));
            }
        }
        List<VariableSetting> variables = new ArrayList<>();
        item.child("serverVariables").ifPresent(sv -> {
            for (ConfigElement set : sv.collection()) {
                variables.add(new VariableSetting(
                        set.attribute("name").orElse("").trim().toUpperCase(Locale.ROOT),
                        Substitution.parse(set.attribute("value").orElse(""), set.source()),
                        set.booleanAttribute("replace", true)));
            }
        });
        Action action = action(item.child("action").orElse(null), name, item.source());
        return new Rule(
                name,
                item.locationPath(),
                item.booleanAttribute("enabled", true),
                item.booleanAttribute("stopProcessing", false),
                pattern,
                match.booleanAttribute("negate", false),
                List.copyOf(conditions),
                matchAny,
                trackAll,
                List.copyOf(variables),
                action,
                item.source());
    }

    private static Condition condition(ConfigElement c, RulePattern.Syntax syntax, String rule) {
        MatchType type =
                switch (c.attribute("matchType").orElse("Pattern").toLowerCase(Locale.ROOT)) {
                    case "isfile" -> MatchType.IS_FILE;
                    case "isdirectory" -> MatchType.IS_DIRECTORY;
                    default -> MatchType.PATTERN;
                };
        String input = c.attribute("input").orElse(null);
        if (input == null) {
            throw new ConfigException(c.source(), "a condition of the rule '" + rule + "' has no input");
        }
        RulePattern pattern = null;
        if (type == MatchType.PATTERN) {
            String p = c.attribute("pattern").orElse(null);
            if (p == null) {
                throw new ConfigException(
                        c.source(), "a condition of the rule '" + rule + "' with matchType=\"Pattern\" has no pattern");
            }
            pattern = RulePattern.compile(p, syntax, c.booleanAttribute("ignoreCase", true), c.source());
        }
        return new Condition(
                Substitution.parse(input, c.source()), type, pattern, c.booleanAttribute("negate", false), c.source());
    }

    private static Action action(ConfigElement a, String rule, ConfigSource ruleSource) {
        if (a == null) {
            Substitution empty = Substitution.parse("", ruleSource);
            return new Action(ActionType.NONE, empty, true, 301, 0, 0, empty, empty, false);
        }
        ActionType type =
                switch (a.attribute("type").orElse("None").toLowerCase(Locale.ROOT)) {
                    case "rewrite" -> ActionType.REWRITE;
                    case "redirect" -> ActionType.REDIRECT;
                    case "customresponse" -> ActionType.CUSTOM_RESPONSE;
                    case "abortrequest" -> ActionType.ABORT_REQUEST;
                    default -> ActionType.NONE;
                };
        String url = a.attribute("url").orElse("");
        if ((type == ActionType.REWRITE || type == ActionType.REDIRECT) && url.isBlank()) {
            throw new ConfigException(
                    a.source(),
                    "the rule '" + rule + "' has a " + a.attribute("type").orElse("") + " action without a url");
        }
        int redirect =
                switch (a.attribute("redirectType").orElse("Permanent").toLowerCase(Locale.ROOT)) {
                    case "found" -> 302;
                    case "seeother" -> 303;
                    case "temporary" -> 307;
                    default -> 301;
                };
        int status = (int) a.longAttribute("statusCode", 0);
        if (type == ActionType.CUSTOM_RESPONSE && (status < 100 || status > 999 || status >= 300 && status <= 307)) {
            throw new ConfigException(
                    a.attributeSource("statusCode"),
                    "the CustomResponse action of the rule '" + rule
                            + "' needs a statusCode from 100 to 999 outside 300-307 (got " + status + ")");
        }
        return new Action(
                type,
                Substitution.parse(url.trim(), a.source()),
                a.booleanAttribute("appendQueryString", true),
                redirect,
                status,
                (int) a.longAttribute("subStatusCode", 0),
                Substitution.parse(a.attribute("statusReason").orElse(""), a.source()),
                Substitution.parse(a.attribute("statusDescription").orElse(""), a.source()),
                a.booleanAttribute("logRewrittenUrl", false));
    }

    static RulePattern.Syntax syntax(String written) {
        return switch (written.toLowerCase(Locale.ROOT)) {
            case "wildcard" -> RulePattern.Syntax.WILDCARD;
            case "exactmatch" -> RulePattern.Syntax.EXACT_MATCH;
            default -> RulePattern.Syntax.ECMASCRIPT;
        };
    }
}
