package io.weir.testkit;

import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import java.util.Optional;

/**
 * One delivery of a request notification to a module, as the engine made it during a
 * {@link PipelineHarness} request; {@link #toString()} is the line {@link HarnessResponse#notifications()}
 * lists, for example {@code "BEGIN_REQUEST GreetingModule"} or
 * {@code "POST_MAP_REQUEST_HANDLER GreetingModule"}.
 *
 * @param module       the module's name
 * @param notification the notification
 * @param post         true for the post-notification
 * @param delivery     how the module took part
 * @param status       what the module returned (an exception counts as FINISH_REQUEST; CONTINUE for
 *                     SEND_RESPONSE's companions READ_ENTITY and MAP_PATH, whose status is unused)
 * @param childUrl     the URL of the child request ({@code executeRequest}) it belongs to, or null
 *                     for the request itself
 * @param error        what the module threw, or null
 */
public record ModuleNotification(
        String module,
        RequestNotification notification,
        boolean post,
        Delivery delivery,
        RequestNotificationStatus status,
        String childUrl,
        Throwable error) {

    /** How a module took part in a notification. */
    public enum Delivery {
        /** Its notification method ran and returned {@link ModuleNotification#status()}. */
        CALL,
        /** Its {@code onAsyncCompletion} ran, after it returned PENDING and called {@code postCompletion}. */
        ASYNC_COMPLETION,
        /** It returned PENDING and later called {@code indicateCompletion} with {@link ModuleNotification#status()}. */
        INDICATED_COMPLETION
    }

    /** @return the notification's name with {@code POST_} in front for a post-notification */
    public String notificationName() {
        return (post ? "POST_" : "") + notification.name();
    }

    /** @return what the module threw, or empty */
    public Optional<Throwable> thrown() {
        return Optional.ofNullable(error);
    }

    /**
     * Formats the delivery: {@code NOTIFICATION Module}, then {@code " (onAsyncCompletion)"} or
     * {@code " (indicateCompletion)"} for a completion, then {@code " [child /url]"} for a child
     * request's notification.
     *
     * @return the line
     */
    @Override
    public String toString() {
        String line = notificationName() + " " + module;
        if (delivery == Delivery.ASYNC_COMPLETION) {
            line += " (onAsyncCompletion)";
        } else if (delivery == Delivery.INDICATED_COMPLETION) {
            line += " (indicateCompletion)";
        }
        return childUrl == null ? line : line + " [child " + childUrl + "]";
    }
}
