package io.weir.core.internal.pipeline;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.NextNotification;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.provider.MapPathProvider;
import io.weir.api.provider.ReadEntityProvider;
import io.weir.api.provider.SendResponseProvider;
import io.weir.core.internal.context.NotificationRaiser;
import io.weir.core.internal.context.RequestContext;
import io.weir.core.internal.context.RequestTraceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The non-deterministic notifications of one request, which the context and the response raise
 * while a stage runs (IIS raises them from within the call that causes them): SEND_RESPONSE on
 * each send, CUSTOM_NOTIFICATION from a module, READ_ENTITY after each read of the request
 * entity, MAP_PATH on each URL-to-path mapping. They do not move the request's cursor. Confined to
 * the request's event loop.
 */
public final class RaisedNotifications implements NotificationRaiser {

    private static final Logger LOG = LoggerFactory.getLogger(RaisedNotifications.class);

    private final RequestPipeline pipeline;
    private final ModuleInvoker invoker;
    private final RequestContext context;
    private final PipelinePlan plan;
    /** The index, in SEND_RESPONSE's slots, of the subscriber the final send waits for; -1 when none. */
    private int pendingSend = -1;

    private RequestNotificationStatus pendingSendStatus;

    RaisedNotifications(RequestPipeline pipeline, ModuleInvoker invoker, RequestContext context, PipelinePlan plan) {
        this.pipeline = pipeline;
        this.invoker = invoker;
        this.context = context;
        this.plan = plan;
    }

    /**
     * Raises SEND_RESPONSE for one send: every subscriber in reverse priority order; FINISH_REQUEST
     * from one stops the rest for this send; an exception turns the response into a 500 when the
     * headers have not gone yet. PENDING from a subscriber, on the final send or on a flush, stops
     * the delivery until the module completes ({@code IndicateCompletion}, or {@code PostCompletion}
     * and its {@code onAsyncCompletion}); then {@link #continueSend} delivers to the rest, as IIS
     * suspends the send.
     *
     * @param provider the send's provider
     * @return true when a subscriber returned PENDING and the send waits for its completion
     */
    @Override
    public boolean sendResponse(SendResponseProvider provider) {
        RequestTraceContext traced = context.activeTrace();
        if (traced != null) {
            traced.notificationStart(
                    RequestNotification.SEND_RESPONSE, false, plan.slots(RequestNotification.SEND_RESPONSE).length);
        }
        return deliverSend(provider, 0);
    }

    /**
     * Goes on with a send that waited for a PENDING subscriber, once it completed with
     * {@link #sendCompleted}'s status: FINISH_REQUEST stops the delivery, CONTINUE passes the send to
     * the next subscribers.
     *
     * @param provider the send's provider
     * @return true when another subscriber returned PENDING
     */
    @Override
    public boolean continueSend(SendResponseProvider provider) {
        int from = pendingSend + 1;
        RequestNotificationStatus completed = pendingSendStatus;
        pendingSend = -1;
        pendingSendStatus = null;
        return completed != RequestNotificationStatus.FINISH_REQUEST && deliverSend(provider, from);
    }

    /** @return the slot of the SEND_RESPONSE subscriber the final send or a flush waits for, or -1 */
    int pendingSendSlot() {
        return pendingSend < 0 ? -1 : plan.slots(RequestNotification.SEND_RESPONSE)[pendingSend];
    }

    /**
     * Records how the subscriber a send waits for completed.
     *
     * @return true when a send was waiting (the caller goes on with it), false otherwise
     */
    boolean sendCompleted(RequestNotificationStatus status) {
        if (pendingSend < 0) {
            return false;
        }
        pendingSendStatus = status;
        return true;
    }

    /** Forgets the subscriber a held flush waited for (the flush was given up). */
    void dropPendingSend() {
        pendingSend = -1;
        pendingSendStatus = null;
    }

    private boolean deliverSend(SendResponseProvider provider, int from) {
        int[] send = plan.slots(RequestNotification.SEND_RESPONSE);
        EventLoopWatchdog.Probe p = EventLoopWatchdog.probe();
        for (int i = from; i < send.length; i++) {
            int slot = send[i];
            if (context.isNotificationDisabled(slot, RequestNotification.SEND_RESPONSE, false)) {
                continue;
            }
            RequestNotificationStatus status = invoker.call(
                    slot,
                    RequestNotification.SEND_RESPONSE,
                    false,
                    p,
                    (m, c, sent) -> m.onSendResponse(c, sent),
                    provider,
                    ModuleInvoker.CallRules.SEND_RESPONSE);
            if (status == RequestNotificationStatus.FINISH_REQUEST) {
                return false;
            }
            if (status == RequestNotificationStatus.PENDING) {
                pendingSend = i;
                return true;
            }
        }
        return false;
    }

    /**
     * Raises CUSTOM_NOTIFICATION ({@code NotifyCustomNotification}): each subscriber in priority
     * order; FINISH_REQUEST (handled) or PENDING from one stops the delivery to the rest; an
     * exception gives the request a 500 (or drops the connection when the headers have gone) and
     * stops the delivery. The request's cursor does not move: the module that raised the
     * notification decides what its own notification returns.
     *
     * @param provider the notification
     * @return true when a receiver returned PENDING (IIS's {@code pfCompletionExpected})
     */
    @Override
    public boolean customNotification(CustomNotificationProvider provider) {
        if (pipeline.isDone()) {
            throw new IllegalStateException("the request has ended");
        }
        for (int slot : plan.slots(RequestNotification.CUSTOM_NOTIFICATION)) {
            if (context.isNotificationDisabled(slot, RequestNotification.CUSTOM_NOTIFICATION, false)) {
                continue;
            }
            RequestNotificationStatus status = invoker.call(
                    slot,
                    RequestNotification.CUSTOM_NOTIFICATION,
                    false,
                    null,
                    (m, c, custom) -> m.onCustomRequestNotification(c, custom),
                    provider,
                    ModuleInvoker.CallRules.CUSTOM);
            if (status == RequestNotificationStatus.PENDING) {
                return true;
            }
            if (status == RequestNotificationStatus.FINISH_REQUEST) {
                return false;
            }
        }
        return false;
    }

    /**
     * Raises READ_ENTITY after a read of the request entity. FINISH_REQUEST from a subscriber stops
     * the delivery to the rest and finishes the request once the notification method that read
     * returns; an exception does the same after giving the request a 500 (or dropping the connection
     * when the headers have gone), and fails the read with that cause.
     *
     * @param provider the chunk just read
     */
    @Override
    public void readEntity(ReadEntityProvider provider) {
        EventLoopWatchdog.Probe p = EventLoopWatchdog.probe();
        for (int slot : plan.slots(RequestNotification.READ_ENTITY)) {
            if (context.isNotificationDisabled(slot, RequestNotification.READ_ENTITY, false)) {
                continue;
            }
            RequestNotificationStatus status = invoker.call(
                    slot,
                    RequestNotification.READ_ENTITY,
                    false,
                    p,
                    RaisedNotifications::onReadEntity,
                    provider,
                    ModuleInvoker.CallRules.EVENT);
            if (stops(slot, RequestNotification.READ_ENTITY, status)) {
                return;
            }
        }
    }

    private static RequestNotificationStatus onReadEntity(HttpModule m, RequestContext c, ReadEntityProvider read) {
        try {
            return m.onReadEntity(c, read);
        } catch (RuntimeException e) {
            read.setErrorStatus(e);
            throw e;
        }
    }

    /**
     * Raises MAP_PATH for a URL-to-path mapping; FINISH_REQUEST and exceptions as for
     * {@link #readEntity} (the mapping keeps the path as the modules before left it).
     *
     * @param provider the URL and path, overridable
     */
    @Override
    public void mapPath(MapPathProvider provider) {
        EventLoopWatchdog.Probe p = EventLoopWatchdog.probe();
        for (int slot : plan.slots(RequestNotification.MAP_PATH)) {
            if (context.isNotificationDisabled(slot, RequestNotification.MAP_PATH, false)) {
                continue;
            }
            RequestNotificationStatus status = invoker.call(
                    slot,
                    RequestNotification.MAP_PATH,
                    false,
                    p,
                    (m, c, mapped) -> m.onMapPath(c, mapped),
                    provider,
                    ModuleInvoker.CallRules.EVENT);
            if (stops(slot, RequestNotification.MAP_PATH, status)) {
                return;
            }
        }
    }

    /**
     * Applies a READ_ENTITY or MAP_PATH subscriber's status: FINISH_REQUEST (returned, or an
     * exception) finishes the request after the current notification method; PENDING cannot be
     * waited for inside the call that raised the event and is refused loudly (counted as CONTINUE).
     *
     * @return true when the delivery stops
     */
    private boolean stops(int slot, RequestNotification n, RequestNotificationStatus status) {
        if (status == RequestNotificationStatus.FINISH_REQUEST) {
            pipeline.finishAfterCurrentCall();
            return true;
        }
        if (status == RequestNotificationStatus.PENDING) {
            LOG.error(
                    "module '{}' returned PENDING from {} for {}, which cannot wait; treated as CONTINUE",
                    invoker.moduleName(slot),
                    n,
                    context.describe());
        }
        return false;
    }

    /** @return true when some module subscribed to SEND_RESPONSE (the response skips the provider otherwise) */
    @Override
    public boolean hasSendResponseModules() {
        return plan.slots(RequestNotification.SEND_RESPONSE).length > 0;
    }

    /** @return true when some module subscribed to MAP_PATH (the context skips the provider otherwise) */
    @Override
    public boolean hasMapPathModules() {
        return plan.slots(RequestNotification.MAP_PATH).length > 0;
    }

    @Override
    public NextNotification nextNotification(RequestNotificationStatus status) {
        return NotificationLookahead.next(pipeline, invoker, plan, status);
    }

    @Override
    public boolean isLastNotification(RequestNotificationStatus status) {
        int slot = pipeline.currentSlot();
        if (slot < 0) {
            throw new IllegalStateException("isLastNotification must be called from a notification method");
        }
        return NotificationLookahead.isLast(pipeline, plan, slot, status);
    }
}
