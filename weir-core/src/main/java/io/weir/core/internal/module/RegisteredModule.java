package io.weir.core.internal.module;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.HttpModuleFactory;
import io.weir.api.ModuleId;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.config.EffectiveConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A module after its registration ran: what it asked for, frozen. Immutable after
 * {@link ModuleRegistrationRecorder#freeze()}.
 *
 * @param name                 its {@code <globalModules>} name
 * @param id                   its identity
 * @param origin               where its code came from, for messages
 * @param factory              its request-level factory, or null for a global-only module
 * @param notifications        request notifications it registered
 * @param postNotifications    post-notifications it registered
 * @param priorities           priority per request notification (MEDIUM when unset)
 * @param postPriorities       priority per post-notification (the event's priority when unset)
 * @param globalModule         its global module, or null
 * @param globalNotifications  global notifications it registered
 * @param globalPriorities     priority per global notification (MEDIUM when unset)
 * @param blocking             request notifications declared blocking ({@code setBlocking}): run on
 *                             the blocking executor, event and post alike
 * @param idleWhen             configurations under which the module does nothing
 *                             ({@code setIdleWhen}); all must hold for the module to be left out
 */
public record RegisteredModule(
        String name,
        ModuleId id,
        String origin,
        HttpModuleFactory factory,
        Set<RequestNotification> notifications,
        Set<RequestNotification> postNotifications,
        Map<RequestNotification, Priority> priorities,
        Map<RequestNotification, Priority> postPriorities,
        GlobalModule globalModule,
        Set<GlobalNotification> globalNotifications,
        Map<GlobalNotification, Priority> globalPriorities,
        Set<RequestNotification> blocking,
        List<IdleCondition<?>> idleWhen) {

    /** @param n a notification @return this module's priority for it */
    public Priority priority(RequestNotification n) {
        return priorities.getOrDefault(n, Priority.MEDIUM);
    }

    /** @param n a deterministic notification @return this module's priority for its post-notification */
    public Priority postPriority(RequestNotification n) {
        Priority p = postPriorities.get(n);
        return p != null ? p : priority(n);
    }

    /** @param n a global notification @return this module's priority for it */
    public Priority globalPriority(GlobalNotification n) {
        return globalPriorities.getOrDefault(n, Priority.MEDIUM);
    }

    /**
     * @param config an effective configuration
     * @return the sections that make this module idle there, when every declared condition holds;
     *         empty when the module declared none or one does not hold (it runs)
     */
    public List<String> idleSections(EffectiveConfig config) {
        if (idleWhen.isEmpty() || config.error().isPresent()) {
            return List.of();
        }
        List<String> sections = new ArrayList<>(idleWhen.size());
        for (IdleCondition<?> condition : idleWhen) {
            if (!condition.holds(config)) {
                return List.of();
            }
            sections.add(condition.section().sectionPath());
        }
        return sections;
    }

    static RegisteredModule empty(String name, ModuleId id, String origin) {
        return new RegisteredModule(
                name,
                id,
                origin,
                null,
                EnumSet.noneOf(RequestNotification.class),
                EnumSet.noneOf(RequestNotification.class),
                new EnumMap<>(RequestNotification.class),
                new EnumMap<>(RequestNotification.class),
                null,
                EnumSet.noneOf(GlobalNotification.class),
                new EnumMap<>(GlobalNotification.class),
                EnumSet.noneOf(RequestNotification.class),
                List.of());
    }
}
