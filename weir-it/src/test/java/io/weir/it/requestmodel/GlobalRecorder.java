package io.weir.it.requestmodel;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.provider.ApplicationResolveModulesProvider;
import io.weir.api.provider.CacheProvider;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.provider.GlobalApplicationPreloadProvider;
import io.weir.api.provider.GlobalConfigurationChangeProvider;
import io.weir.api.provider.GlobalFileChangeProvider;
import io.weir.api.provider.GlobalRscaQueryProvider;
import io.weir.api.provider.GlobalStopListeningProvider;
import io.weir.api.provider.GlobalThreadCleanupProvider;
import io.weir.api.provider.HttpApplicationProvider;
import io.weir.api.provider.PreBeginRequestProvider;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A global module registered for every global notification Weir raises: it records
 * "name:NOTIFICATION" in {@link #EVENTS} and returns HANDLED where {@link #HANDLING} says so. The
 * module's name comes from the configuration; the nested registrations differ in priority.
 */
public class GlobalRecorder implements GlobalModule {

    /** What every recorder saw, in order, across the JVM (tests clear it). */
    public static final List<String> EVENTS = new CopyOnWriteArrayList<>();
    /** Threads the periodic notifications ran on. */
    public static final List<String> THREADS = new CopyOnWriteArrayList<>();
    /** "name:NOTIFICATION" pairs for which the named recorder returns HANDLED. */
    public static final Set<String> HANDLING = ConcurrentHashMap.newKeySet();

    static final Set<GlobalNotification> ALL =
            EnumSet.complementOf(EnumSet.of(GlobalNotification.SUSPEND_PROCESS, GlobalNotification.TRACE_EVENT));

    private final String name;

    GlobalRecorder(String name) {
        this.name = name;
    }

    static void register(ModuleRegistrationInfo info, Priority priority) {
        info.setGlobalNotifications(new GlobalRecorder(info.name()), ALL);
        if (priority != null) {
            info.setPriorityForGlobalNotification(ALL, priority);
        }
    }

    /** @param n a notification @return the events of that notification, module names in order */
    public static List<String> of(GlobalNotification n) {
        return EVENTS.stream()
                .filter(e -> e.endsWith(":" + n))
                .map(e -> e.substring(0, e.indexOf(':')))
                .toList();
    }

    GlobalNotificationStatus on(GlobalNotification n) {
        EVENTS.add(name + ":" + n);
        return HANDLING.contains(name + ":" + n) ? GlobalNotificationStatus.HANDLED : GlobalNotificationStatus.CONTINUE;
    }

    @Override
    public GlobalNotificationStatus onGlobalStopListening(GlobalStopListeningProvider provider) {
        return on(GlobalNotification.STOP_LISTENING);
    }

    @Override
    public GlobalNotificationStatus onGlobalCacheCleanup() {
        THREADS.add(Thread.currentThread().getName());
        return on(GlobalNotification.CACHE_CLEANUP);
    }

    @Override
    public GlobalNotificationStatus onGlobalCacheOperation(CacheProvider provider) {
        EVENTS.add(name + ":" + provider.cacheOperation() + " " + provider.cacheKey());
        return on(GlobalNotification.CACHE_OPERATION);
    }

    @Override
    public GlobalNotificationStatus onGlobalHealthCheck() {
        THREADS.add(Thread.currentThread().getName());
        return on(GlobalNotification.HEALTH_CHECK);
    }

    @Override
    public GlobalNotificationStatus onGlobalConfigurationChange(GlobalConfigurationChangeProvider provider) {
        return on(GlobalNotification.CONFIGURATION_CHANGE);
    }

    @Override
    public GlobalNotificationStatus onGlobalFileChange(GlobalFileChangeProvider provider) {
        return on(GlobalNotification.FILE_CHANGE);
    }

    @Override
    public GlobalNotificationStatus onGlobalPreBeginRequest(PreBeginRequestProvider provider) {
        return on(GlobalNotification.PRE_BEGIN_REQUEST);
    }

    @Override
    public GlobalNotificationStatus onGlobalApplicationStart(HttpApplicationProvider provider) {
        return on(GlobalNotification.APPLICATION_START);
    }

    @Override
    public GlobalNotificationStatus onGlobalApplicationResolveModules(ApplicationResolveModulesProvider provider) {
        return on(GlobalNotification.APPLICATION_RESOLVE_MODULES);
    }

    @Override
    public GlobalNotificationStatus onGlobalApplicationStop(HttpApplicationProvider provider) {
        return on(GlobalNotification.APPLICATION_STOP);
    }

    @Override
    public GlobalNotificationStatus onGlobalRscaQuery(GlobalRscaQueryProvider provider) {
        if (provider.functionName().equals("Echo")) {
            provider.setResult(
                    name + " saw generation " + provider.runtimeStatus().generation() + " and "
                            + provider.runtimeStatus().requestsInFlight() + " in flight, parameters "
                            + provider.functionParameters());
        }
        return on(GlobalNotification.RSCA_QUERY);
    }

    @Override
    public GlobalNotificationStatus onGlobalCustomNotification(CustomNotificationProvider provider) {
        if (provider instanceof Ping ping) {
            ping.seen.add(name);
        }
        return on(GlobalNotification.CUSTOM_NOTIFICATION);
    }

    @Override
    public GlobalNotificationStatus onGlobalThreadCleanup(GlobalThreadCleanupProvider provider) {
        EVENTS.add(name + ":cleanup of " + Thread.currentThread().getName() + " for "
                + provider.application().map(a -> a.virtualPath()).orElse("none"));
        return on(GlobalNotification.THREAD_CLEANUP);
    }

    @Override
    public GlobalNotificationStatus onGlobalApplicationPreload(GlobalApplicationPreloadProvider provider) {
        return on(GlobalNotification.APPLICATION_PRELOAD);
    }

    @Override
    public void terminate() {
        EVENTS.add(name + ":TERMINATE");
    }

    /** Priority HIGH. */
    public static final class High implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            GlobalRecorder.register(info, Priority.HIGH);
        }
    }

    /** Priority MEDIUM (none set). */
    public static final class Medium implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            GlobalRecorder.register(info, null);
        }
    }

    /** Priority LOW. */
    public static final class Low implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            GlobalRecorder.register(info, Priority.LOW);
        }
    }
}
