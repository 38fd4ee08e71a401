package io.weir.core;

import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpModuleFactory;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.api.http.HttpApplication;
import io.weir.api.provider.ApplicationResolveModulesProvider;
import io.weir.core.internal.module.ModuleLoader;
import io.weir.core.internal.module.RegisteredModule;
import io.weir.core.internal.site.ServedApplication;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GL_APPLICATION_RESOLVE_MODULES for one application of a generation: the global modules that
 * registered it may add request-level modules to the application through the provider
 * ({@code IHttpApplicationResolveModulesProvider::RegisterModule}). The modules added run for every
 * request of that application as if listed after the configured {@code <modules>} (IIS: "adds
 * modules not listed in config for that application"), with MEDIUM priority unless set.
 *
 * <p>When: each generation resolves the module list of each of its applications once, when it is
 * built (at start and at every reload, just before APPLICATION_START), on the thread that builds it.
 * A request then uses the list of the application its URL falls in. Weir's choice where IIS says
 * only "the module list of an application is being resolved".
 */
final class ApplicationModules {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationModules.class);

    private ApplicationModules() {}

    /**
     * Raises the notification for one application.
     *
     * @return the modules added, in the order added (empty when none)
     */
    static List<RegisteredModule> resolve(EngineGeneration g, ServedApplication application) {
        Provider provider = new Provider(application);
        GlobalNotificationStatus ignored = GlobalNotifications.raiseGlobal(
                g, GlobalNotification.APPLICATION_RESOLVE_MODULES, m -> m.onGlobalApplicationResolveModules(provider));
        provider.open = false;
        List<RegisteredModule> added = new ArrayList<>();
        for (Added a : provider.added.values()) {
            added.add(new RegisteredModule(
                    a.name,
                    ModuleLoader.nextModuleId(),
                    "added for application " + application + " in APPLICATION_RESOLVE_MODULES",
                    a.factory,
                    Collections.unmodifiableSet(copy(a.notifications)),
                    Collections.unmodifiableSet(copy(a.posts)),
                    Collections.unmodifiableMap(new EnumMap<>(a.priorities)),
                    Collections.unmodifiableMap(new EnumMap<RequestNotification, Priority>(RequestNotification.class)),
                    null,
                    EnumSet.noneOf(GlobalNotification.class),
                    new EnumMap<>(GlobalNotification.class),
                    EnumSet.noneOf(RequestNotification.class),
                    List.of()));
        }
        if (!added.isEmpty()) {
            LOG.info(
                    "application {}: modules added by global modules: {}",
                    application,
                    added.stream().map(RegisteredModule::name).toList());
        }
        return List.copyOf(added);
    }

    private static EnumSet<RequestNotification> copy(Set<RequestNotification> set) {
        return set.isEmpty() ? EnumSet.noneOf(RequestNotification.class) : EnumSet.copyOf(set);
    }

    private static final class Added {
        final String name;
        final HttpModuleFactory factory;
        final Set<RequestNotification> notifications;
        final Set<RequestNotification> posts;
        final Map<RequestNotification, Priority> priorities = new EnumMap<>(RequestNotification.class);

        Added(
                String name,
                HttpModuleFactory factory,
                Set<RequestNotification> notifications,
                Set<RequestNotification> posts) {
            this.name = name;
            this.factory = factory;
            this.notifications = notifications;
            this.posts = posts;
        }
    }

    private static final class Provider implements ApplicationResolveModulesProvider {
        private final ServedApplication application;
        private final Map<String, Added> added = new LinkedHashMap<>();
        private boolean open = true;

        Provider(ServedApplication application) {
            this.application = application;
        }

        @Override
        public HttpApplication application() {
            return application;
        }

        @Override
        public synchronized void registerModule(
                String name,
                HttpModuleFactory factory,
                Set<RequestNotification> notifications,
                Set<RequestNotification> postNotifications) {
            if (!open) {
                throw new IllegalStateException("registerModule is allowed only during APPLICATION_RESOLVE_MODULES");
            }
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(factory, "factory");
            if (added.containsKey(name)) {
                throw new IllegalStateException("module '" + name + "' was already added to " + application);
            }
            for (RequestNotification n : postNotifications) {
                if (!n.isDeterministic()) {
                    throw new IllegalArgumentException(n + " has no post-notification");
                }
            }
            added.put(name, new Added(name, factory, copy(notifications), copy(postNotifications)));
        }

        @Override
        public synchronized void setPriorityForRequestNotification(
                String name, Set<RequestNotification> notifications, Priority priority) {
            Added a = added.get(name);
            if (a == null) {
                throw new IllegalArgumentException("no module '" + name + "' was added to " + application);
            }
            for (RequestNotification n : notifications) {
                a.priorities.put(n, Objects.requireNonNull(priority, "priority"));
            }
        }
    }
}
