package io.weir.core.internal.pipeline;

import io.weir.api.RequestNotification;
import io.weir.core.internal.context.RequestContext;
import io.weir.core.internal.context.RequestTraceContext;
import io.weir.core.internal.handler.WebCoreChecks;

/**
 * What a deterministic stage does around its event list besides calling the subscribed modules,
 * as nginx's phase checkers do: which modules the list holds, whether a module of it is skipped,
 * and the core's own check after it. The post lists are always the plain subscriber lists. Held per
 * stage in the compiled plan ({@link PipelinePlan#step}); stateless; called on the request's
 * event loop.
 */
public enum StageStep {

    /** Every module subscribed to the stage, in priority order. */
    PLAIN,

    /**
     * AUTHENTICATE_REQUEST: skipped for a child request given its own user, as IIS skips it when
     * {@code IHttpContext::ExecuteRequest} gets a non-null user.
     */
    AUTHENTICATE {
        @Override
        int[] eventSlots(RequestContext context, PipelinePlan plan, RequestNotification n) {
            return context.skipsAuthentication() ? NONE : plan.slots(n);
        }
    },

    /**
     * MAP_REQUEST_HANDLER: the handler mapping is chosen before the modules run (they may replace
     * it); after them the web core checks it ({@link WebCoreChecks}).
     */
    MAP_HANDLER {
        @Override
        int[] eventSlots(RequestContext context, PipelinePlan plan, RequestNotification n) {
            context.mapHandler(plan.handlers());
            RequestTraceContext t = context.activeTrace();
            if (t != null) {
                t.handlerChanged(context.scriptMap().orElse(null));
            }
            return plan.slots(n);
        }

        @Override
        boolean afterEvents(RequestContext context, PipelinePlan plan) {
            WebCoreChecks.Error error = WebCoreChecks.check(
                    context.handler().match(),
                    context.handler().overridden(),
                    context.handler().scriptMap(),
                    plan::missingModules,
                    context.request().urlPath(),
                    context.request().method(),
                    context::physicalPath);
            if (error == null) {
                return true;
            }
            context.response().clear();
            context.response().setStatus(error.status());
            context.response().setErrorDescription(error.description());
            context.recordError(WebCoreChecks.WEB_CORE, RequestNotification.MAP_REQUEST_HANDLER, false);
            RequestTraceContext t = context.activeTrace();
            if (t != null) {
                t.errorStatus(WebCoreChecks.WEB_CORE, RequestNotification.MAP_REQUEST_HANDLER.name());
            }
            return false;
        }
    },

    /**
     * EXECUTE_REQUEST_HANDLER: only the modules the chosen handler mapping names run, and none
     * after one called {@code SetRequestHandled}.
     */
    EXECUTE_HANDLER {
        @Override
        int[] eventSlots(RequestContext context, PipelinePlan plan, RequestNotification n) {
            return context.scriptMap().map(plan::executeSlots).orElse(new int[0]);
        }

        @Override
        boolean skipsEvent(RequestContext context) {
            return context.handler().handled();
        }
    };

    private static final int[] NONE = new int[0];

    /** @return the slots of the stage's event list for this request */
    int[] eventSlots(RequestContext context, PipelinePlan plan, RequestNotification n) {
        return plan.slots(n);
    }

    /** @return true when the next module of the event list is skipped */
    boolean skipsEvent(RequestContext context) {
        return false;
    }

    /** @return true to go on after the event list, false to jump to the final send */
    boolean afterEvents(RequestContext context, PipelinePlan plan) {
        return true;
    }

    /** @return the step of a deterministic stage */
    static StageStep of(RequestNotification n) {
        return switch (n) {
            case AUTHENTICATE_REQUEST -> AUTHENTICATE;
            case MAP_REQUEST_HANDLER -> MAP_HANDLER;
            case EXECUTE_REQUEST_HANDLER -> EXECUTE_HANDLER;
            default -> PLAIN;
        };
    }
}
