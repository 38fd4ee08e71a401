package io.weir.api.provider;

import io.weir.api.HttpModuleFactory;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import java.util.Set;

/**
 * The provider of GL_APPLICATION_RESOLVE_MODULES, through which a global module adds request-level
 * modules to an application; mirrors IIS's {@code IHttpApplicationResolveModulesProvider}.
 */
public interface ApplicationResolveModulesProvider extends HttpApplicationProvider {

    /**
     * Adds a module to the application, after the configured ones. Mirrors {@code RegisterModule}.
     *
     * @param name              the module's name, unique in the application
     * @param factory           creates its per-request instances
     * @param notifications     its request notifications
     * @param postNotifications its post-notifications
     */
    void registerModule(
            String name,
            HttpModuleFactory factory,
            Set<RequestNotification> notifications,
            Set<RequestNotification> postNotifications);

    /**
     * Sets the priority of an added module. Mirrors {@code SetPriorityForRequestNotification}.
     *
     * @param name          the module's name
     * @param notifications the notifications
     * @param priority      the priority
     */
    void setPriorityForRequestNotification(String name, Set<RequestNotification> notifications, Priority priority);
}
