package io.weir.core.spi;

import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;

/**
 * Sees every request notification the engine delivers to a module, as the engine delivers it; the
 * hook behind weir-testkit's in-memory harness (and a starting point for a FREB-like trace, whose
 * {@code NOTIFY_MODULE_START/END/COMPLETION} events it mirrors). Installed with
 * {@link io.weir.core.WeirEngine#start(io.weir.config.ApplicationHostConfig, PipelineObserver)};
 * without one the engine pays a null check per notification.
 *
 * <p>Called on the thread that runs the notification (the request's event loop), after the
 * module's method returned; it must be fast and must not throw (an exception is logged and
 * ignored).
 */
public interface PipelineObserver {

    /** How a module took part in a notification. */
    enum Kind {
        /** The module's notification method (or post-notification method) ran and returned. */
        CALL,
        /** The module's {@code onAsyncCompletion} ran after it called {@code postCompletion}. */
        ASYNC_COMPLETION,
        /** The module called {@code indicateCompletion}; the request resumed without calling it. */
        INDICATED_COMPLETION
    }

    /**
     * One delivery of a notification to a module.
     *
     * @param exchange     the top-level request's exchange (a child request shares its parent's)
     * @param context      the request, the child's own context for a child request
     * @param module       the module's name, as in {@code <globalModules>}
     * @param notification the notification
     * @param post         true for the post-notification
     * @param kind         how the module took part
     * @param status       what the notification resulted in (an exception counts as FINISH_REQUEST;
     *                     CONTINUE for the non-deterministic notifications, whose status is not used)
     * @param error        what the module threw, or null
     */
    record Event(
            Exchange exchange,
            HttpContext context,
            String module,
            RequestNotification notification,
            boolean post,
            Kind kind,
            RequestNotificationStatus status,
            Throwable error) {

        /** @return true when the event belongs to a child request ({@code executeRequest}) */
        public boolean childRequest() {
            return context.parentContext().isPresent();
        }
    }

    /**
     * Called after each delivery.
     *
     * @param event what ran
     */
    void notified(Event event);

    /**
     * Whether {@link #notified} is to be called: an observer that only wants {@link #requestEnded}
     * returns false, and the engine then makes no event per notification. Read once per request.
     *
     * @return true (the default) to see every notification
     */
    default boolean observesNotifications() {
        return true;
    }

    /**
     * Called once when a top-level request has ended: after END_REQUEST's post-notification and the
     * disposal of its module instances, or right after the engine answered it without a pipeline
     * (400 for a malformed URL or unknown host). The default does nothing.
     *
     * @param exchange the request's exchange
     * @param context  the request, or null when it never reached a site's pipeline
     */
    default void requestEnded(Exchange exchange, HttpContext context) {}

    /**
     * The table into which a sample of requests' module calls are timed. Read once per request,
     * when its pipeline starts; the engine then reads the clock twice around each module call of
     * a sampled request.
     *
     * @return the table, or null (the default) for no timing
     */
    default ModuleTimings moduleTimings() {
        return null;
    }
}
