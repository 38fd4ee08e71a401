package io.weir.api;

/**
 * What a global notification method tells the server; mirrors IIS's
 * {@code GLOBAL_NOTIFICATION_STATUS} with the same values.
 */
public enum GlobalNotificationStatus {
    /** {@code GL_NOTIFICATION_CONTINUE} (0): deliver the notification to the remaining global modules. */
    CONTINUE,
    /**
     * {@code GL_NOTIFICATION_HANDLED} (1): this notification is handled; the remaining global modules
     * do not get it. It has no other effect (in particular, returning it from PRE_BEGIN_REQUEST does
     * not end the request; a module that wants that sets the response and uses FINISH semantics
     * through the context it is given).
     */
    HANDLED;

    /**
     * Returns IIS's numeric value of this status.
     *
     * @return 0 for CONTINUE, 1 for HANDLED
     */
    public int value() {
        return ordinal();
    }
}
