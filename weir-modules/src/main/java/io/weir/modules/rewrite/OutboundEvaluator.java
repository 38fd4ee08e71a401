package io.weir.modules.rewrite;

import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.modules.rewrite.OutboundRules.PreCondition;
import io.weir.modules.rewrite.OutboundRules.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Applies outbound rules: to response headers before they are sent, and (through
 * {@link HtmlLinkFilter}) to tag attributes in the body as it is sent. A rule whose precondition holds
 * matches its pattern against the server variable it names ({@code RESPONSE_X_Y} is the response
 * header {@code X-Y}, {@code _} read as {@code -}); when it matches and its conditions hold, a
 * Rewrite action sets the header to the expanded value (an empty value removes it). Expressions see
 * request variables and {@code {RESPONSE_*}} headers.
 */
final class OutboundEvaluator {

    private OutboundEvaluator() {}

    /**
     * Applies the rules to the response of a request.
     *
     * @param rules   the rules
     * @param context the request, whose response headers are not sent yet
     * @throws RewriteException when an expression names a missing rewrite map
     */
    static void applyToHeaders(OutboundRules rules, HttpContext context) {
        HttpResponse response = context.response();
        InboundEvaluator.Request request = view(context);
        RewriteMaps maps = context.config(RewriteMaps.SECTION);
        for (Rule rule : rules.rules()) {
            if (rule.enabled() && !rule.rewriteBeforeCache() && preCondition(rule, request, maps)) {
                // rewritten on every send: a cached copy must not be answered without the rule
                response.cachePolicy().disableKernelCache();
                break;
            }
        }
        for (Rule rule : rules.rules()) {
            if (!rule.enabled() || rule.onBody() || !preCondition(rule, request, maps)) {
                continue;
            }
            String value = request.serverVariable(rule.serverVariable());
            InboundEvaluator.Scope scope = match(rule, value, request, maps);
            if (scope == null) {
                continue;
            }
            if (rule.rewrite()) {
                String rewritten = rule.value().expand(scope);
                String header = headerName(rule.serverVariable());
                if (rewritten.isEmpty()) {
                    response.deleteHeader(header);
                } else {
                    response.setHeader(header, rewritten, true);
                }
            }
            if (rule.stopProcessing()) {
                break;
            }
        }
    }

    /**
     * Chooses the body rules whose precondition holds for this response (its headers are final) and
     * returns the chain that applies them as the body is sent: consecutive tag rules share one
     * {@link HtmlLinkFilter} (for each attribute value they are tried in order, and
     * {@code stopProcessing} ends the list for that value); each whole-body rule is a
     * {@link BodyPatternFilter} of its own, and one with {@code stopProcessing} ends the chain.
     *
     * @param rules   the rules
     * @param context the request
     * @return the chain, or null when no body rule applies
     */
    static OutboundBody bodyFilter(OutboundRules rules, HttpContext context) {
        InboundEvaluator.Request request = view(context);
        RewriteMaps maps = context.config(RewriteMaps.SECTION);
        List<OutboundBody.Stage> stages = new ArrayList<>();
        List<Rule> tagRules = new ArrayList<>();
        for (Rule rule : rules.rules()) {
            if (!rule.enabled() || !rule.onBody() || !preCondition(rule, request, maps)) {
                continue;
            }
            if (rule.onTags()) {
                tagRules.add(rule);
                continue;
            }
            if (!tagRules.isEmpty()) {
                stages.add(tagStage(List.copyOf(tagRules), request, maps));
                tagRules.clear();
            }
            BodyPatternFilter filter = new BodyPatternFilter(
                    rule.match().regex(),
                    captures -> {
                        InboundEvaluator.Scope scope = new InboundEvaluator.Scope(request, maps, null, captures);
                        if (!InboundEvaluator.conditions(
                                rule.conditions(), rule.matchAny(), rule.trackAllCaptures(), scope, request)) {
                            return null;
                        }
                        return rule.rewrite() ? rule.value().expand(scope) : null;
                    },
                    rule.occurrences());
            stages.add(filter::filter);
            if (rule.stopProcessing()) {
                break;
            }
        }
        if (!tagRules.isEmpty()) {
            stages.add(tagStage(tagRules, request, maps));
        }
        return stages.isEmpty() ? null : new OutboundBody(stages);
    }

    private static OutboundBody.Stage tagStage(List<Rule> active, InboundEvaluator.Request request, RewriteMaps maps) {
        long[] rewritten = new long[active.size()];
        HtmlLinkFilter filter = new HtmlLinkFilter((tagAttribute, value) -> {
            String current = value;
            boolean changed = false;
            for (int i = 0; i < active.size(); i++) {
                Rule rule = active.get(i);
                if (!rule.tagAttributes().contains(tagAttribute)
                        || (rule.occurrences() > 0 && rewritten[i] >= rule.occurrences())) {
                    continue;
                }
                InboundEvaluator.Scope scope = match(rule, current, request, maps);
                if (scope == null) {
                    continue;
                }
                if (rule.rewrite()) {
                    current = rule.value().expand(scope);
                    changed = true;
                    rewritten[i]++;
                }
                if (rule.stopProcessing()) {
                    break;
                }
            }
            return changed ? current : null;
        });
        return filter::filterText;
    }

    private static boolean preCondition(Rule rule, InboundEvaluator.Request request, RewriteMaps maps) {
        PreCondition pre = rule.preCondition();
        return pre == null
                || InboundEvaluator.conditions(
                        pre.conditions(),
                        pre.matchAny(),
                        false,
                        new InboundEvaluator.Scope(request, maps, null, new String[0]),
                        request);
    }

    /** @return the scope with the rule's captures when its pattern and conditions hold, else null */
    private static InboundEvaluator.Scope match(
            Rule rule, String value, InboundEvaluator.Request request, RewriteMaps maps) {
        String[] captures = rule.match().match(value);
        boolean matched = rule.negate() ? captures == null : captures != null;
        if (!matched) {
            return null;
        }
        InboundEvaluator.Scope scope = new InboundEvaluator.Scope(
                request, maps, null, captures == null || rule.negate() ? new String[0] : captures);
        return InboundEvaluator.conditions(rule.conditions(), rule.matchAny(), rule.trackAllCaptures(), scope, request)
                ? scope
                : null;
    }

    private static InboundEvaluator.Request view(HttpContext context) {
        HttpResponse response = context.response();
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
                if (name.startsWith("RESPONSE_")) {
                    return response.header(headerName(name)).orElse("");
                }
                return RewriteModule.variable(context, name);
            }

            @Override
            public boolean exists(String physicalPath, boolean directory) {
                return false;
            }
        };
    }

    /** {@code RESPONSE_X_Powered_By} → {@code X-Powered-By}. */
    static String headerName(String variable) {
        String rest = variable.substring("RESPONSE_".length());
        return rest.replace('_', '-').toLowerCase(Locale.ROOT);
    }
}
