package io.weir.core.internal.context;

import io.weir.api.RequestNotification;
import io.weir.api.config.ConfigException;
import io.weir.config.EffectiveConfig;

/**
 * Starts a request: builds the pipeline of its URL's configuration and runs it until it ends or
 * parks. A configuration error governing the URL gives IIS's 500.19, and then only the final send
 * and the end stages run; a request refused by the secure-channel checks (IIS's 403.4 and its
 * kin) is answered before BEGIN_REQUEST in the same way. On the request's event loop.
 */
final class RequestStart {

    private RequestStart() {}

    static void run(RequestContext c, ServingGeneration engine, ResolvedUrl resolved) {
        PipelineControl created;
        try {
            EffectiveConfig config = resolved.config();
            if (config.error().isPresent()) {
                failBeforeBegin(c, config.error().get());
            }
            created = engine.pipeline(c, config, c.application);
        } catch (ConfigException e) {
            failBeforeBegin(c, e);
            created = null;
        }
        if (created == null) {
            c.response.finalSend();
            c.ended();
            return;
        }
        c.pipeline = created;
        if (!c.finishedBeforeBegin() && c.parent == null && SecureChannelChecks.answer(c)) {
            c.finishBeforeBegin();
        }
        created.start();
    }

    private static void failBeforeBegin(RequestContext c, Throwable error) {
        c.failResponse(error);
        c.recordError("IIS Web Core", RequestNotification.BEGIN_REQUEST, false);
        c.finishBeforeBegin();
    }
}
