package io.weir.core.internal.module;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.HttpModuleFactory;
import io.weir.api.ModuleId;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.api.config.ConfigSectionType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@link ModuleRegistrationInfo} handed to one registration call; records what the module asks
 * for and enforces IIS's rules (each set-call once; post-notifications only for deterministic
 * notifications).
 */
final class ModuleRegistrationRecorder implements ModuleRegistrationInfo {

    private final String name;
    private final ModuleId id;
    private final String origin;
    private HttpModuleFactory factory;
    private final EnumSet<RequestNotification> notifications = EnumSet.noneOf(RequestNotification.class);
    private final EnumSet<RequestNotification> postNotifications = EnumSet.noneOf(RequestNotification.class);
    private final EnumSet<RequestNotification> blocking = EnumSet.noneOf(RequestNotification.class);
    private final EnumMap<RequestNotification, Priority> priorities = new EnumMap<>(RequestNotification.class);
    private final EnumMap<RequestNotification, Priority> postPriorities = new EnumMap<>(RequestNotification.class);
    private GlobalModule globalModule;
    private final EnumSet<GlobalNotification> globalNotifications = EnumSet.noneOf(GlobalNotification.class);
    private final EnumMap<GlobalNotification, Priority> globalPriorities = new EnumMap<>(GlobalNotification.class);
    private final List<IdleCondition<?>> idleWhen = new ArrayList<>();
    private boolean open = true;

    ModuleRegistrationRecorder(String name, ModuleId id, String origin) {
        this.name = name;
        this.id = id;
        this.origin = origin;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ModuleId id() {
        return id;
    }

    @Override
    public void setRequestNotifications(
            HttpModuleFactory factory,
            Set<RequestNotification> notifications,
            Set<RequestNotification> postNotifications) {
        checkOpen();
        Objects.requireNonNull(factory, "factory");
        if (this.factory != null) {
            throw new IllegalStateException("module '" + name + "' called setRequestNotifications twice");
        }
        for (RequestNotification n : postNotifications) {
            if (!n.isDeterministic()) {
                throw new IllegalArgumentException(
                        "module '" + name + "' asked for a post-notification of " + n + ", which has none");
            }
        }
        this.factory = factory;
        this.notifications.addAll(notifications);
        this.postNotifications.addAll(postNotifications);
    }

    @Override
    public void setBlocking(Set<RequestNotification> notifications) {
        checkOpen();
        for (RequestNotification n : notifications) {
            if (!n.isDeterministic()) {
                throw new IllegalArgumentException(
                        "module '" + name + "' declared " + n + " blocking; only deterministic notifications can be");
            }
        }
        blocking.addAll(notifications);
    }

    @Override
    public <T> void setIdleWhen(ConfigSectionType<T> section, Predicate<? super T> idle) {
        checkOpen();
        idleWhen.add(
                new IdleCondition<>(Objects.requireNonNull(section, "section"), Objects.requireNonNull(idle, "idle")));
    }

    @Override
    public void setGlobalNotifications(GlobalModule module, Set<GlobalNotification> notifications) {
        checkOpen();
        Objects.requireNonNull(module, "module");
        if (this.globalModule != null) {
            throw new IllegalStateException("module '" + name + "' called setGlobalNotifications twice");
        }
        this.globalModule = module;
        this.globalNotifications.addAll(notifications);
    }

    @Override
    public void setPriorityForRequestNotification(Set<RequestNotification> notifications, Priority priority) {
        checkOpen();
        for (RequestNotification n : notifications) {
            priorities.put(n, Objects.requireNonNull(priority, "priority"));
        }
    }

    @Override
    public void setPriorityForPostRequestNotification(Set<RequestNotification> notifications, Priority priority) {
        checkOpen();
        for (RequestNotification n : notifications) {
            postPriorities.put(n, Objects.requireNonNull(priority, "priority"));
        }
    }

    @Override
    public void setPriorityForGlobalNotification(Set<GlobalNotification> notifications, Priority priority) {
        checkOpen();
        for (GlobalNotification n : notifications) {
            globalPriorities.put(n, Objects.requireNonNull(priority, "priority"));
        }
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException(
                    "ModuleRegistrationInfo of '" + name + "' used after its register() call returned");
        }
    }

    RegisteredModule freeze() {
        open = false;
        return new RegisteredModule(
                name,
                id,
                origin,
                factory,
                Collections.unmodifiableSet(EnumSet.copyOf(notificationsOrEmpty(notifications))),
                Collections.unmodifiableSet(EnumSet.copyOf(notificationsOrEmpty(postNotifications))),
                Collections.unmodifiableMap(new EnumMap<>(priorities)),
                Collections.unmodifiableMap(new EnumMap<>(postPriorities)),
                globalModule,
                Collections.unmodifiableSet(
                        globalNotifications.isEmpty()
                                ? EnumSet.noneOf(GlobalNotification.class)
                                : EnumSet.copyOf(globalNotifications)),
                Collections.unmodifiableMap(new EnumMap<>(globalPriorities)),
                Collections.unmodifiableSet(EnumSet.copyOf(notificationsOrEmpty(blocking))),
                List.copyOf(idleWhen));
    }

    private static EnumSet<RequestNotification> notificationsOrEmpty(EnumSet<RequestNotification> set) {
        return set.isEmpty() ? EnumSet.noneOf(RequestNotification.class) : set;
    }
}
