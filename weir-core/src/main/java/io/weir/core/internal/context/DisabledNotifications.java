package io.weir.core.internal.context;

import io.weir.api.RequestNotification;
import java.util.Set;

/**
 * The notifications each module turned off for the rest of one request
 * ({@code IHttpContext::DisableNotifications}): per module slot, one bit per notification (the
 * non-deterministic ones included) and one per post-event. The calling module is the one whose
 * method runs, also inside a SEND_RESPONSE, READ_ENTITY, MAP_PATH or custom notification raised
 * from another module's call. On the request's event loop.
 */
final class DisabledNotifications {

    private static final int POST_SHIFT = 16;

    private final int[] bits;

    DisabledNotifications(int slots) {
        this.bits = new int[slots];
    }

    /**
     * Turns notifications off for the module whose notification method is running.
     *
     * @param current  the request's record so far, or null when none was turned off yet
     * @param pipeline the request's pipeline, or null before it runs
     * @return the record to keep (created on first use)
     * @throws IllegalStateException when no notification method is running
     */
    static DisabledNotifications disable(
            DisabledNotifications current,
            PipelineControl pipeline,
            Set<RequestNotification> notifications,
            Set<RequestNotification> posts) {
        int slot = pipeline == null ? -1 : pipeline.currentSlot();
        if (slot < 0) {
            throw new IllegalStateException("disableNotifications must be called from a notification method");
        }
        DisabledNotifications d = current == null ? new DisabledNotifications(pipeline.slotCount()) : current;
        d.disable(slot, notifications, posts);
        return d;
    }

    private void disable(int slot, Set<RequestNotification> notifications, Set<RequestNotification> posts) {
        for (RequestNotification n : notifications) {
            bits[slot] |= 1 << n.ordinal(); // the four non-deterministic ones have ordinals 12 to 15
        }
        for (RequestNotification n : posts) {
            if (n.isDeterministic()) {
                bits[slot] |= 1 << (n.ordinal() + POST_SHIFT);
            }
        }
    }

    boolean isDisabled(int slot, RequestNotification notification, boolean isPost) {
        return (bits[slot] & (1 << (notification.ordinal() + (isPost ? POST_SHIFT : 0)))) != 0;
    }
}
