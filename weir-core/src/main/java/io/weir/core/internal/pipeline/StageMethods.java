package io.weir.core.internal.pipeline;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.core.internal.context.RequestContext;

/**
 * Dispatches a deterministic stage to its {@code CHttpModule} method ({@code OnBeginRequest},
 * {@code OnPostBeginRequest}, …). The request context is both the {@code IHttpContext} and the
 * stage's provider. Stateless; any thread.
 */
final class StageMethods {

    /** The deterministic stages in pipeline order. */
    static final RequestNotification[] STAGES = {
        RequestNotification.BEGIN_REQUEST, RequestNotification.AUTHENTICATE_REQUEST,
        RequestNotification.AUTHORIZE_REQUEST, RequestNotification.RESOLVE_REQUEST_CACHE,
        RequestNotification.MAP_REQUEST_HANDLER, RequestNotification.ACQUIRE_REQUEST_STATE,
        RequestNotification.PRE_EXECUTE_REQUEST_HANDLER, RequestNotification.EXECUTE_REQUEST_HANDLER,
        RequestNotification.RELEASE_REQUEST_STATE, RequestNotification.UPDATE_REQUEST_CACHE,
        RequestNotification.LOG_REQUEST, RequestNotification.END_REQUEST
    };

    /** The event method of the stage given as provider. */
    static final ModuleInvoker.ModuleMethod<RequestNotification> EVENT = (m, c, n) -> call(m, n, c);
    /** The post-event method of the stage given as provider. */
    static final ModuleInvoker.ModuleMethod<RequestNotification> POST = (m, c, n) -> callPost(m, n, c);

    private StageMethods() {}

    static RequestNotificationStatus call(HttpModule m, RequestNotification n, RequestContext c) {
        return switch (n) {
            case BEGIN_REQUEST -> m.onBeginRequest(c, c);
            case AUTHENTICATE_REQUEST -> m.onAuthenticateRequest(c, c);
            case AUTHORIZE_REQUEST -> m.onAuthorizeRequest(c, c);
            case RESOLVE_REQUEST_CACHE -> m.onResolveRequestCache(c, c);
            case MAP_REQUEST_HANDLER -> m.onMapRequestHandler(c, c);
            case ACQUIRE_REQUEST_STATE -> m.onAcquireRequestState(c, c);
            case PRE_EXECUTE_REQUEST_HANDLER -> m.onPreExecuteRequestHandler(c, c);
            case EXECUTE_REQUEST_HANDLER -> m.onExecuteRequestHandler(c, c);
            case RELEASE_REQUEST_STATE -> m.onReleaseRequestState(c, c);
            case UPDATE_REQUEST_CACHE -> m.onUpdateRequestCache(c, c);
            case LOG_REQUEST -> m.onLogRequest(c, c);
            case END_REQUEST -> m.onEndRequest(c, c);
            default -> throw new IllegalStateException("not a stage: " + n);
        };
    }

    static RequestNotificationStatus callPost(HttpModule m, RequestNotification n, RequestContext c) {
        return switch (n) {
            case BEGIN_REQUEST -> m.onPostBeginRequest(c, c);
            case AUTHENTICATE_REQUEST -> m.onPostAuthenticateRequest(c, c);
            case AUTHORIZE_REQUEST -> m.onPostAuthorizeRequest(c, c);
            case RESOLVE_REQUEST_CACHE -> m.onPostResolveRequestCache(c, c);
            case MAP_REQUEST_HANDLER -> m.onPostMapRequestHandler(c, c);
            case ACQUIRE_REQUEST_STATE -> m.onPostAcquireRequestState(c, c);
            case PRE_EXECUTE_REQUEST_HANDLER -> m.onPostPreExecuteRequestHandler(c, c);
            case EXECUTE_REQUEST_HANDLER -> m.onPostExecuteRequestHandler(c, c);
            case RELEASE_REQUEST_STATE -> m.onPostReleaseRequestState(c, c);
            case UPDATE_REQUEST_CACHE -> m.onPostUpdateRequestCache(c, c);
            case LOG_REQUEST -> m.onPostLogRequest(c, c);
            case END_REQUEST -> m.onPostEndRequest(c, c);
            default -> throw new IllegalStateException("not a stage: " + n);
        };
    }
}
