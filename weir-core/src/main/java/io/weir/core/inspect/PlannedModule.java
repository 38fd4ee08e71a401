package io.weir.core.inspect;

import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.core.internal.module.RegisteredModule;
import java.util.Set;

/**
 * A module enabled for a URL, as the compiled pipeline holds it: the request notifications it
 * registered and its priority for each. Immutable.
 */
public final class PlannedModule {

    private final RegisteredModule module;

    PlannedModule(RegisteredModule module) {
        this.module = module;
    }

    /** @return the module's name (its {@code <globalModules>} and {@code <modules>} entry) */
    public String name() {
        return module.name();
    }

    /** @return where its code came from (a class, an image), for messages */
    public String origin() {
        return module.origin();
    }

    /** @return the request notifications it registered */
    public Set<RequestNotification> notifications() {
        return module.notifications();
    }

    /**
     * Returns the module's priority for a notification.
     *
     * @param n the notification
     * @return its priority; MEDIUM when it set none, as IIS defaults it
     */
    public Priority priority(RequestNotification n) {
        return module.priority(n);
    }

    /**
     * Returns the module's priority for a post-notification.
     *
     * @param n the notification
     * @return its priority; the notification's priority when it set none
     */
    public Priority postPriority(RequestNotification n) {
        return module.postPriority(n);
    }

    @Override
    public String toString() {
        return module.name();
    }
}
