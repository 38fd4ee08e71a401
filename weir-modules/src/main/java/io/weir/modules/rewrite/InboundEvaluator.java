package io.weir.modules.rewrite;

import io.weir.modules.rewrite.InboundRules.ActionType;
import io.weir.modules.rewrite.InboundRules.Condition;
import io.weir.modules.rewrite.InboundRules.MatchType;
import io.weir.modules.rewrite.InboundRules.Rule;
import io.weir.modules.rewrite.InboundRules.VariableSetting;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates inbound rules for one request, as URL Rewrite does: rules in order; a rule applies when
 * its {@code match url} matches (or, with {@code negate}, does not) the URL path relative to the
 * rule's level, without leading slash, and its conditions hold; then its server variables are set
 * and its action runs. A Rewrite changes the URL the following rules see; Redirect, CustomResponse
 * and AbortRequest end the evaluation, and so does {@code stopProcessing} after any applied rule.
 * Pure: the caller applies the {@link Outcome}. Used by RewriteModule and by
 * {@code weir test rewrite}.
 */
final class InboundEvaluator {

    private static final String[] NO_CAPTURES = new String[0];

    /** The request facts the rules read. */
    interface Request {
        /** @return the decoded URL path, starting with '/' */
        String urlPath();

        /** @return the query string without '?' ("" when none) */
        String queryString();

        /**
         * @param name an upper-case server variable name
         * @return its value, "" when it has none
         */
        String serverVariable(String name);

        /**
         * @param physicalPath a path on disk, as a condition's input gives it
         * @param directory    true to ask for a directory, false for a file
         * @return whether it exists as such
         */
        boolean exists(String physicalPath, boolean directory);
    }

    /**
     * What happened to one rule, for failed-request tracing and {@code weir explain}.
     *
     * @param rule     the rule's name
     * @param input    the URL path the pattern was matched against
     * @param matched  whether the rule applied (pattern and conditions)
     * @param captures the pattern's captures when it matched
     * @param action   the action taken, or "" when the rule did not apply
     */
    record Step(String rule, String input, boolean matched, List<String> captures, String action) {}

    /**
     * The result.
     *
     * @param action      the last action that ends or changes the request: REWRITE when the URL
     *                    changed, REDIRECT, CUSTOM_RESPONSE, ABORT_REQUEST; NONE otherwise
     * @param rule        the rule that took that action ("" for NONE)
     * @param url         REWRITE: the new absolute path with its query, or an absolute
     *                    {@code http(s)://} URL; REDIRECT: the Location
     * @param absolute    REWRITE to an absolute {@code http(s)://} URL
     * @param status      REDIRECT or CUSTOM_RESPONSE status code
     * @param subStatus   CUSTOM_RESPONSE substatus
     * @param reason      CUSTOM_RESPONSE reason phrase ("" for the standard one)
     * @param description CUSTOM_RESPONSE description
     * @param variables   the server variables set, in order, upper-case names
     * @param steps       the rules evaluated, when steps were asked for (else empty)
     * @param logRewrittenUrl REWRITE: the {@code logRewrittenUrl} of the last Rewrite applied
     */
    record Outcome(
            ActionType action,
            String rule,
            String url,
            boolean absolute,
            int status,
            int subStatus,
            String reason,
            String description,
            Map<String, String> variables,
            List<Step> steps,
            boolean logRewrittenUrl) {}

    private InboundEvaluator() {}

    /**
     * Evaluates the rules.
     *
     * @param rules   the rules
     * @param request the request
     * @param maps    the rewrite maps
     * @param allowed the variables distributed rules may set; null for global rules (any)
     * @param steps   whether to record each rule's step
     * @return the outcome
     * @throws RewriteException when a rule sets a variable that is not allowed or names a missing map
     */
    static Outcome evaluate(
            InboundRules rules, Request request, RewriteMaps maps, AllowedServerVariables allowed, boolean steps) {
        List<Step> trace = steps ? new ArrayList<>() : List.of();
        Map<String, String> variables = null;
        String path = request.urlPath();
        String query = request.queryString();
        boolean rewritten = false;
        boolean logRewritten = false;
        String rewriteRule = "";
        String inputLevel = null;
        String inputPath = null;
        String levelInput = null;
        for (Rule rule : rules.rules()) {
            if (!rule.enabled()) {
                continue;
            }
            String input;
            if (rule.level().equals(inputLevel) && inputPath == path) {
                input = levelInput; // the rules of one level read the same relative path
            } else {
                input = relative(path, rule.level());
                inputLevel = rule.level();
                inputPath = path;
                levelInput = input;
            }
            if (input == null) {
                continue; // the URL is outside the folder that defines the rule
            }
            String[] captures = rule.match().match(input);
            boolean matched = rule.negate() ? captures == null : captures != null;
            if (rule.negate()) {
                captures = NO_CAPTURES;
            }
            Scope scope = null;
            if (matched) {
                scope = new Scope(request, maps, variables, captures == null ? NO_CAPTURES : captures);
                matched = conditions(rule.conditions(), rule.matchAny(), rule.trackAllCaptures(), scope, request);
            }
            if (!matched) {
                if (steps) {
                    trace.add(new Step(rule.name(), input, false, List.of(), ""));
                }
                continue;
            }
            for (VariableSetting v : rule.variables()) {
                if (allowed != null && !allowed.allows(v.name())) {
                    throw new RewriteException("the rule '" + rule.name() + "' (" + rule.source() + ") sets the server"
                            + " variable " + v.name() + ", which allowedServerVariables does not list");
                }
                String value = v.value().expand(scope);
                if (!v.replace() && !scope.serverVariable(v.name()).isEmpty()) {
                    continue;
                }
                if (variables == null) {
                    variables = new LinkedHashMap<>();
                }
                variables.put(v.name(), value);
                scope.variables = variables;
            }
            InboundRules.Action action = rule.action();
            if (steps) {
                trace.add(new Step(
                        rule.name(),
                        input,
                        true,
                        List.of(captures),
                        action.type() == ActionType.NONE
                                ? "None"
                                : action.type().name()));
            }
            switch (action.type()) {
                case REWRITE -> {
                    String target = action.url().expand(scope);
                    if (isAbsoluteUrl(target)) {
                        String url = appendQuery(target, action.appendQueryString() ? query : "");
                        return new Outcome(
                                ActionType.REWRITE,
                                rule.name(),
                                url,
                                true,
                                0,
                                0,
                                "",
                                "",
                                vars(variables),
                                trace,
                                action.logRewrittenUrl());
                    }
                    String resolved = resolve(target, rule.level());
                    int q = resolved.indexOf('?');
                    String newQuery = q < 0 ? "" : resolved.substring(q + 1);
                    if (action.appendQueryString() && !query.isEmpty()) {
                        newQuery = newQuery.isEmpty() ? query : newQuery + "&" + query;
                    }
                    path = Substitution.percentDecode(q < 0 ? resolved : resolved.substring(0, q));
                    query = newQuery;
                    rewritten = true;
                    rewriteRule = rule.name();
                    logRewritten = action.logRewrittenUrl();
                }
                case REDIRECT -> {
                    String target = action.url().expand(scope);
                    if (!isAbsoluteUrl(target)) {
                        target = resolve(target, rule.level());
                    }
                    target = appendQuery(target, action.appendQueryString() ? query : "");
                    return new Outcome(
                            ActionType.REDIRECT,
                            rule.name(),
                            target,
                            isAbsoluteUrl(target),
                            action.redirectType(),
                            0,
                            "",
                            "",
                            vars(variables),
                            trace,
                            false);
                }
                case CUSTOM_RESPONSE -> {
                    return new Outcome(
                            ActionType.CUSTOM_RESPONSE,
                            rule.name(),
                            "",
                            false,
                            action.statusCode(),
                            action.subStatusCode(),
                            action.statusReason().expand(scope),
                            action.statusDescription().expand(scope),
                            vars(variables),
                            trace,
                            false);
                }
                case ABORT_REQUEST -> {
                    return new Outcome(
                            ActionType.ABORT_REQUEST,
                            rule.name(),
                            "",
                            false,
                            0,
                            0,
                            "",
                            "",
                            vars(variables),
                            trace,
                            false);
                }
                case NONE -> {}
            }
            if (rule.stopProcessing()) {
                break;
            }
        }
        if (rewritten) {
            return new Outcome(
                    ActionType.REWRITE,
                    rewriteRule,
                    Substitution.encodePath(path) + (query.isEmpty() ? "" : "?" + query),
                    false,
                    0,
                    0,
                    "",
                    "",
                    vars(variables),
                    trace,
                    logRewritten);
        }
        return new Outcome(ActionType.NONE, "", "", false, 0, 0, "", "", vars(variables), trace, false);
    }

    private static Map<String, String> vars(Map<String, String> variables) {
        return variables == null ? Map.of() : variables;
    }

    /**
     * Evaluates conditions in order, setting the scope's condition captures: those of the last
     * condition that matched a pattern, or with {@code trackAll} the groups of every such condition
     * in order (group 0 the last one's matched text).
     *
     * @return whether they hold: all of them (MatchAll, also when there are none) or any (MatchAny)
     */
    static boolean conditions(
            List<Condition> conditions, boolean matchAny, boolean trackAll, Scope scope, Request request) {
        if (conditions.isEmpty()) {
            return true;
        }
        List<String> tracked = trackAll ? new ArrayList<>() : null;
        for (Condition c : conditions) {
            String input = c.input().expand(scope);
            boolean ok;
            String[] captures = null;
            switch (c.matchType()) {
                case IS_FILE, IS_DIRECTORY -> ok = request.exists(input, c.matchType() == MatchType.IS_DIRECTORY);
                default -> {
                    captures = c.pattern().match(input);
                    ok = captures != null;
                }
            }
            if (c.negate()) {
                ok = !ok;
                captures = null;
            }
            if (ok && captures != null) {
                if (tracked != null) {
                    if (tracked.isEmpty()) {
                        tracked.addAll(Arrays.asList(captures));
                    } else {
                        tracked.set(0, captures[0]);
                        tracked.addAll(Arrays.asList(captures).subList(1, captures.length));
                    }
                    scope.conditionCaptures = tracked.toArray(String[]::new);
                } else {
                    scope.conditionCaptures = captures;
                }
            }
            if (matchAny && ok) {
                return true;
            }
            if (!matchAny && !ok) {
                return false;
            }
        }
        return !matchAny;
    }

    /**
     * The URL path as a rule at {@code level} sees it: relative to the level, without leading slash.
     *
     * @return the relative path, or null when the path is not under the level
     */
    static String relative(String path, String level) {
        if (level.isEmpty()) {
            return path.isEmpty() ? "" : path.substring(1);
        }
        if (!path.regionMatches(true, 0, level, 0, level.length())) {
            return null;
        }
        if (path.length() == level.length()) {
            return "";
        }
        return path.charAt(level.length()) == '/' ? path.substring(level.length() + 1) : null;
    }

    /** Resolves a substitution URL written without scheme against the rule's level. */
    static String resolve(String url, String level) {
        if (url.startsWith("/")) {
            return url;
        }
        return level + "/" + url;
    }

    static boolean isAbsoluteUrl(String url) {
        return url.regionMatches(true, 0, "http://", 0, 7) || url.regionMatches(true, 0, "https://", 0, 8);
    }

    private static String appendQuery(String url, String query) {
        if (query.isEmpty()) {
            return url;
        }
        return url + (url.indexOf('?') < 0 ? "?" : "&") + query;
    }

    /** The scope expressions of one rule are expanded in. */
    static final class Scope implements Substitution.Scope {
        private final Request request;
        private final RewriteMaps maps;
        private final String[] rule;
        Map<String, String> variables;
        String[] conditionCaptures = NO_CAPTURES;

        Scope(Request request, RewriteMaps maps, Map<String, String> variables, String[] rule) {
            this.request = request;
            this.maps = maps;
            this.variables = variables;
            this.rule = rule;
        }

        @Override
        public String serverVariable(String name) {
            if (variables != null) {
                String v = variables.get(name);
                if (v != null) {
                    return v;
                }
            }
            return request.serverVariable(name);
        }

        @Override
        public String[] ruleCaptures() {
            return rule;
        }

        @Override
        public String[] conditionCaptures() {
            return conditionCaptures;
        }

        @Override
        public String map(String map, String key) {
            RewriteMaps.RewriteMap m = maps.get(map);
            if (m == null) {
                throw new RewriteException("no rewrite map or function is named '" + map + "'");
            }
            return m.lookup(key);
        }
    }
}
