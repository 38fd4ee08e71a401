package io.weir.core.internal.pipeline;

import io.weir.api.RequestNotification;
import io.weir.api.config.ConfigException;
import io.weir.config.EffectiveConfig;
import io.weir.core.internal.context.RequestContext;

/**
 * The compiled plan a request goes on with after BEGIN_REQUEST when a module rewrote its URL
 * there ({@code IHttpRequest::SetUrl}): the plan of the new URL's configuration, as IIS maps a
 * rewritten request again. Runs on the request's event loop.
 */
final class RewrittenUrlPlan {

    private RewrittenUrlPlan() {}

    /**
     * @param runtime the generation running the request
     * @param context the request
     * @param current the plan in force
     * @return {@code current} when the URL did not change, the new URL's plan when it did, or null
     *         when the new URL's configuration is invalid (the response has become a 500.19)
     */
    static PipelinePlan of(PipelineRuntime runtime, RequestContext context, PipelinePlan current) {
        try {
            EffectiveConfig config = context.configForRewrittenUrl();
            return config == null ? current : runtime.plan(config, context.servedApplication());
        } catch (ConfigException e) {
            context.failResponse(e);
            context.recordError("IIS Web Core", RequestNotification.BEGIN_REQUEST, true);
            return null;
        }
    }
}
