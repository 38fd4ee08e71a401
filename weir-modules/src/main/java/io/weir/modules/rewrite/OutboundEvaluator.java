package io.weir.modules.rewrite;

import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.modules.rewrite.OutboundRules.PreCondition;
import io.weir.modules.rewrite.OutboundRules.Rule;
import java.util.Locale;

/**
 * Applies outbound rules to response headers before they are sent: a rule whose precondition holds
 * matches its pattern against the server variable it names ({@code RESPONSE_X_Y} is the response
 * header {@code X-Y}, {@code _} read as {@code -}); when it matches and its conditions hold, a
 * Rewrite action sets the header to the expanded value (an empty value removes it). Expressions see
 * request variables and {@code {RESPONSE_*}} headers.
 */
final class OutboundEvaluator {

    private OutboundEvaluator() {
    }

    /**
     * Applies the rules to the response of a request.
     *
     * @param rules   the rules
     * @param context the request, whose response headers are not sent yet
     * @throws RewriteException when an expression names a missing rewrite map
     */
    static void applyToHeaders(OutboundRules rules, HttpContext context) {
        HttpResponse response = context.response();
        InboundEvaluator.Request request = new InboundEvaluator.Request() {
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
        RewriteMaps maps = context.config(RewriteMaps.SECTION);
        for (Rule rule : rules.rules()) {
            if (!rule.enabled()) {
                continue;
            }
            PreCondition pre = rule.preCondition();
            if (pre != null && !InboundEvaluator.conditions(pre.conditions(), pre.matchAny(), false,
                    new InboundEvaluator.Scope(request, maps, null, new String[0]), request)) {
                continue;
            }
            String value = request.serverVariable(rule.serverVariable());
            String[] captures = rule.match().match(value);
            boolean matched = rule.negate() ? captures == null : captures != null;
            InboundEvaluator.Scope scope = new InboundEvaluator.Scope(request, maps, null,
                    captures == null || rule.negate() ? new String[0] : captures);
            if (!matched || !InboundEvaluator.conditions(rule.conditions(), rule.matchAny(), rule.trackAllCaptures(),
                    scope, request)) {
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

    /** {@code RESPONSE_X_Powered_By} → {@code X-Powered-By}. */
    static String headerName(String variable) {
        String rest = variable.substring("RESPONSE_".length());
        return rest.replace('_', '-').toLowerCase(Locale.ROOT);
    }
}
