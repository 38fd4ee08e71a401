package io.weir.core.context;

import io.weir.api.RequestNotification;
import java.util.Set;

/**
 * The deterministic notifications each module turned off for the rest of one request
 * ({@code IHttpContext::DisableNotifications}): per module slot, one bit per stage event and one
 * per post-event. On the request's event loop.
 */
final class DisabledNotifications {

    private static final int POST_SHIFT = 16;

    private final int[] bits;

    DisabledNotifications(int slots) {
        this.bits = new int[slots];
    }

    void disable(int slot, Set<RequestNotification> notifications, Set<RequestNotification> posts) {
        for (RequestNotification n : notifications) {
            if (n.isDeterministic()) {
                bits[slot] |= 1 << n.ordinal();
            }
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
