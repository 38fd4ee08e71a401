package io.weir.core;

import io.weir.api.GlobalNotification;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine knows of one {@code <globalModules>} entry after trying to load it.
 *
 * @param name                 the entry's name
 * @param origin               where its code came from: "built-in (class)", a JAR path, or "unavailable (image)"
 * @param requestNotifications the request notifications it registered
 * @param postNotifications    the post-notifications it registered
 * @param globalNotifications  the global notifications it registered
 * @param priorities           the priority of each registered request notification
 * @param failure              why it is not loaded, or empty when it is
 */
public record GlobalModuleStatus(
        String name,
        String origin,
        Set<RequestNotification> requestNotifications,
        Set<RequestNotification> postNotifications,
        Set<GlobalNotification> globalNotifications,
        Map<RequestNotification, Priority> priorities,
        Optional<String> failure) {

    /** @return true when the module registered without error */
    public boolean isLoaded() {
        return failure.isEmpty();
    }
}
