package io.weir.api;

import io.weir.api.http.CompletionInfo;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.AuthenticationProvider;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.MapHandlerProvider;
import io.weir.api.provider.MapPathProvider;
import io.weir.api.provider.ReadEntityProvider;
import io.weir.api.provider.SendResponseProvider;

/**
 * A request-level module: one instance per request, created by its {@link HttpModuleFactory};
 * mirrors IIS's {@code CHttpModule}.
 *
 * <h2>Notifications</h2>
 * There is one method per request notification and one per post-notification, named as in IIS
 * ({@code OnBeginRequest} becomes {@link #onBeginRequest}). The engine calls only the methods for
 * the notifications the module registered in {@link ModuleRegistrationInfo#setRequestNotifications};
 * every method has a default body that returns {@link RequestNotificationStatus#CONTINUE}, and the
 * engine logs a warning naming the module, the notification and the method when a module registers
 * a notification whose method its class does not override (IIS would hit a debug break there).
 * Since a factory's class is known only once it creates an instance, the check runs when the
 * factory first creates an instance of a class, on the first request that reaches the module,
 * rather than at start-up.
 *
 * <pre>
 *  BEGIN_REQUEST ─ post ─ AUTHENTICATE ─ post ─ AUTHORIZE ─ post ─ RESOLVE_CACHE ─ post ─
 *  MAP_HANDLER ─ post ─ ACQUIRE_STATE ─ post ─ PRE_EXECUTE ─ post ─ EXECUTE_HANDLER ─ post ─
 *  RELEASE_STATE ─ post ─ UPDATE_CACHE ─ post ─ [final send: SEND_RESPONSE] ─ LOG ─ post ─ END ─ post
 *                       (FINISH_REQUEST or an exception jumps to the final send)
 * </pre>
 *
 * <h2>Threads</h2>
 * Every method runs on the request's event-loop thread (or, after an asynchronous completion,
 * on that same thread again), one at a time for a given request. A method must not block: a module
 * that needs to wait hands its work to {@link HttpServer#blockingExecutor()}, returns
 * {@link RequestNotificationStatus#PENDING}, and calls {@link HttpContext#indicateCompletion} when
 * done. Per-request instances therefore need no locking.
 *
 * <h2>Contract</h2>
 * See {@link RequestNotificationStatus}. An exception gives that request a 500 (logged with the
 * module's name and the notification) and affects no other request. {@link #dispose()} is called
 * once at the end of the request, whatever happened.
 */
public interface HttpModule {

    /**
     * Handles {@link RequestNotification#BEGIN_REQUEST}; mirrors {@code CHttpModule::OnBeginRequest}.
     *
     * @param context  the request
     * @param provider the notification's provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles the post-notification of {@link RequestNotification#BEGIN_REQUEST}; mirrors
     * {@code CHttpModule::OnPostBeginRequest}.
     *
     * @param context  the request
     * @param provider the plain event provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPostBeginRequest(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#AUTHENTICATE_REQUEST}; mirrors {@code CHttpModule::OnAuthenticateRequest}.
     *
     * @param context  the request
     * @param provider the notification's provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onAuthenticateRequest(HttpContext context, AuthenticationProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles the post-notification of {@link RequestNotification#AUTHENTICATE_REQUEST}; mirrors
     * {@code CHttpModule::OnPostAuthenticateRequest}.
     *
     * @param context  the request
     * @param provider the plain event provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPostAuthenticateRequest(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#AUTHORIZE_REQUEST}; mirrors {@code CHttpModule::OnAuthorizeRequest}.
     *
     * @param context  the request
     * @param provider the notification's provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onAuthorizeRequest(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles the post-notification of {@link RequestNotification#AUTHORIZE_REQUEST}; mirrors
     * {@code CHttpModule::OnPostAuthorizeRequest}.
     *
     * @param context  the request
     * @param provider the plain event provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPostAuthorizeRequest(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#RESOLVE_REQUEST_CACHE}; mirrors {@code CHttpModule::OnResolveRequestCache}.
     *
     * @param context  the request
     * @param provider the notification's provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onResolveRequestCache(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles the post-notification of {@link RequestNotification#RESOLVE_REQUEST_CACHE}; mirrors
     * {@code CHttpModule::OnPostResolveRequestCache}.
     *
     * @param context  the request
     * @param provider the plain event provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPostResolveRequestCache(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#MAP_REQUEST_HANDLER}; mirrors {@code CHttpModule::OnMapRequestHandler}.
     *
     * @param context  the request
     * @param provider the notification's provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onMapRequestHandler(HttpContext context, MapHandlerProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles the post-notification of {@link RequestNotification#MAP_REQUEST_HANDLER}; mirrors
     * {@code CHttpModule::OnPostMapRequestHandler}.
     *
     * @param context  the request
     * @param provider the plain event provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPostMapRequestHandler(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#ACQUIRE_REQUEST_STATE}; mirrors {@code CHttpModule::OnAcquireRequestState}.
     *
     * @param context  the request
     * @param provider the notification's provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onAcquireRequestState(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles the post-notification of {@link RequestNotification#ACQUIRE_REQUEST_STATE}; mirrors
     * {@code CHttpModule::OnPostAcquireRequestState}.
     *
     * @param context  the request
     * @param provider the plain event provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPostAcquireRequestState(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#PRE_EXECUTE_REQUEST_HANDLER}; mirrors {@code CHttpModule::OnPreExecuteRequestHandler}.
     *
     * @param context  the request
     * @param provider the notification's provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPreExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles the post-notification of {@link RequestNotification#PRE_EXECUTE_REQUEST_HANDLER}; mirrors
     * {@code CHttpModule::OnPostPreExecuteRequestHandler}.
     *
     * @param context  the request
     * @param provider the plain event provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPostPreExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#EXECUTE_REQUEST_HANDLER}; mirrors {@code CHttpModule::OnExecuteRequestHandler}.
     *
     * @param context  the request
     * @param provider the notification's provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles the post-notification of {@link RequestNotification#EXECUTE_REQUEST_HANDLER}; mirrors
     * {@code CHttpModule::OnPostExecuteRequestHandler}.
     *
     * @param context  the request
     * @param provider the plain event provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPostExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#RELEASE_REQUEST_STATE}; mirrors {@code CHttpModule::OnReleaseRequestState}.
     *
     * @param context  the request
     * @param provider the notification's provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onReleaseRequestState(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles the post-notification of {@link RequestNotification#RELEASE_REQUEST_STATE}; mirrors
     * {@code CHttpModule::OnPostReleaseRequestState}.
     *
     * @param context  the request
     * @param provider the plain event provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPostReleaseRequestState(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#UPDATE_REQUEST_CACHE}; mirrors {@code CHttpModule::OnUpdateRequestCache}.
     *
     * @param context  the request
     * @param provider the notification's provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onUpdateRequestCache(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles the post-notification of {@link RequestNotification#UPDATE_REQUEST_CACHE}; mirrors
     * {@code CHttpModule::OnPostUpdateRequestCache}.
     *
     * @param context  the request
     * @param provider the plain event provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPostUpdateRequestCache(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#LOG_REQUEST}; mirrors {@code CHttpModule::OnLogRequest}.
     *
     * @param context  the request
     * @param provider the notification's provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onLogRequest(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles the post-notification of {@link RequestNotification#LOG_REQUEST}; mirrors
     * {@code CHttpModule::OnPostLogRequest}.
     *
     * @param context  the request
     * @param provider the plain event provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPostLogRequest(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#END_REQUEST}; mirrors {@code CHttpModule::OnEndRequest}.
     *
     * @param context  the request
     * @param provider the notification's provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onEndRequest(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles the post-notification of {@link RequestNotification#END_REQUEST}; mirrors
     * {@code CHttpModule::OnPostEndRequest}.
     *
     * @param context  the request
     * @param provider the plain event provider
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onPostEndRequest(HttpContext context, HttpEventProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#SEND_RESPONSE}, raised on every send of (part of) the
     * response: once for a buffered response, once per flush otherwise. Modules run in reverse
     * priority order here. Mirrors {@code CHttpModule::OnSendResponse}.
     *
     * @param context  the request
     * @param provider tells whether headers are being sent and whether more data follows
     * @return CONTINUE, FINISH_REQUEST to stop the remaining SEND_RESPONSE modules for this send, or
     *         PENDING to hold the send, as IIS suspends it, until the module calls
     *         {@link HttpContext#indicateCompletion} (or {@link HttpContext#postCompletion}, whose
     *         {@link #onAsyncCompletion} runs with SEND_RESPONSE and may rewrite the buffered
     *         entity); the completion's status then counts as this method's, the remaining
     *         SEND_RESPONSE modules run and the data goes out. On a flush
     *         ({@link SendResponseProvider#isFinalSend()} false) the writer's asynchronous flush
     *         completes only after that; a synchronous flush waits on a blocking thread, while on an
     *         event loop it returns and what the writer adds joins the held send, which the final
     *         send waits for. While a flush is held, the request's completions go to the module that
     *         holds it. The pending deadline applies.
     */
    default RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#READ_ENTITY}, raised on every read of the request body.
     * Mirrors {@code CHttpModule::OnReadEntity}.
     *
     * @param context  the request
     * @param provider gives and replaces the chunk just read
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onReadEntity(HttpContext context, ReadEntityProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#MAP_PATH}, raised whenever a URL of this request is
     * mapped to a physical path; the module may override the mapping. Mirrors
     * {@code CHttpModule::OnMapPath}.
     *
     * @param context  the request
     * @param provider the URL, the physical path, and a way to set another one
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onMapPath(HttpContext context, MapPathProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link RequestNotification#CUSTOM_NOTIFICATION}, raised when a module calls
     * {@link HttpContext#notifyCustomNotification}. Receivers compare
     * {@link CustomNotificationProvider#notificationType()} with the type they understand. Mirrors
     * {@code CHttpModule::OnCustomRequestNotification}.
     *
     * @param context  the request
     * @param provider identifies the notification and carries its data
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onCustomRequestNotification(
            HttpContext context, CustomNotificationProvider provider) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Called when asynchronous work that this instance started, and signalled with
     * {@link HttpContext#postCompletion}, has completed; its return value becomes the result of
     * the notification that returned PENDING. Runs on the request's event loop. Mirrors
     * {@code CHttpModule::OnAsyncCompletion}.
     *
     * @param context        the request
     * @param notification   the notification that returned PENDING
     * @param postNotification whether it was the post-notification
     * @param provider       that notification's provider
     * @param completionInfo the completion's byte count and error, if any
     * @return what the pipeline does next; the default returns CONTINUE
     */
    default RequestNotificationStatus onAsyncCompletion(
            HttpContext context,
            RequestNotification notification,
            boolean postNotification,
            HttpEventProvider provider,
            CompletionInfo completionInfo) {
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Releases the instance at the end of the request, after END_REQUEST, whatever happened
     * (errors and FINISH_REQUEST included). Called exactly once per created instance, on the
     * request's event loop. Mirrors {@code CHttpModule::Dispose}. The default does nothing.
     */
    default void dispose() {}
}
