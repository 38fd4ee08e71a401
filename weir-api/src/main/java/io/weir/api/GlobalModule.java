package io.weir.api;

import io.weir.api.provider.ApplicationResolveModulesProvider;
import io.weir.api.provider.CacheProvider;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.provider.GlobalApplicationPreloadProvider;
import io.weir.api.provider.GlobalConfigurationChangeProvider;
import io.weir.api.provider.GlobalFileChangeProvider;
import io.weir.api.provider.GlobalRscaQueryProvider;
import io.weir.api.provider.GlobalStopListeningProvider;
import io.weir.api.provider.GlobalThreadCleanupProvider;
import io.weir.api.provider.GlobalTraceEventProvider;
import io.weir.api.provider.HttpApplicationProvider;
import io.weir.api.provider.PreBeginRequestProvider;

/**
 * A server-wide module: one instance for the life of the server, registered with
 * {@link ModuleRegistrationInfo#setGlobalNotifications}; mirrors IIS's {@code CGlobalModule}.
 *
 * <p>Every method has a default body returning {@link GlobalNotificationStatus#CONTINUE}; the server
 * calls only those registered. Methods may be called from any server thread, concurrently for
 * different events: a global module must be thread-safe. {@link #onGlobalPreBeginRequest} runs on the
 * event loop of the request's connection and must not block. Which notifications this version raises
 * is listed in {@link GlobalNotification}.
 */
public interface GlobalModule {

    /**
     * Handles {@link GlobalNotification#STOP_LISTENING}; mirrors {@code CGlobalModule::OnGlobalStopListening}.
     *
     * @param provider the drain mode
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalStopListening(GlobalStopListeningProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#CACHE_CLEANUP}; mirrors {@code CGlobalModule::OnGlobalCacheCleanup}.
     *
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalCacheCleanup() {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#CACHE_OPERATION}; mirrors {@code CGlobalModule::OnGlobalCacheOperation}.
     *
     * @param provider the cache operation
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalCacheOperation(CacheProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#HEALTH_CHECK}; mirrors {@code CGlobalModule::OnGlobalHealthCheck}.
     *
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalHealthCheck() {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#CONFIGURATION_CHANGE}; mirrors {@code CGlobalModule::OnGlobalConfigurationChange}.
     *
     * @param provider the changed configuration path
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalConfigurationChange(GlobalConfigurationChangeProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#FILE_CHANGE}; mirrors {@code CGlobalModule::OnGlobalFileChange}.
     *
     * @param provider the changed file
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalFileChange(GlobalFileChangeProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#PRE_BEGIN_REQUEST}; mirrors {@code CGlobalModule::OnGlobalPreBeginRequest}.
     *
     * @param provider the request's context
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalPreBeginRequest(PreBeginRequestProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#APPLICATION_START}; mirrors {@code CGlobalModule::OnGlobalApplicationStart}.
     *
     * @param provider the application
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalApplicationStart(HttpApplicationProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#APPLICATION_RESOLVE_MODULES}; mirrors {@code CGlobalModule::OnGlobalApplicationResolveModules}.
     *
     * @param provider a way to add modules to the application
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalApplicationResolveModules(ApplicationResolveModulesProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#APPLICATION_STOP}; mirrors {@code CGlobalModule::OnGlobalApplicationStop}.
     *
     * @param provider the application
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalApplicationStop(HttpApplicationProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#RSCA_QUERY}; mirrors {@code CGlobalModule::OnGlobalRSCAQuery}.
     *
     * @param provider the query and its output
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalRscaQuery(GlobalRscaQueryProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#TRACE_EVENT}; mirrors {@code CGlobalModule::OnGlobalTraceEvent}.
     *
     * @param provider the trace event
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalTraceEvent(GlobalTraceEventProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#CUSTOM_NOTIFICATION}; mirrors {@code CGlobalModule::OnGlobalCustomNotification}.
     *
     * @param provider identifies the notification
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalCustomNotification(CustomNotificationProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#THREAD_CLEANUP}; mirrors {@code CGlobalModule::OnGlobalThreadCleanup}.
     *
     * @param provider the application whose thread is released
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalThreadCleanup(GlobalThreadCleanupProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Handles {@link GlobalNotification#APPLICATION_PRELOAD}; mirrors {@code CGlobalModule::OnGlobalApplicationPreload}.
     *
     * @param provider runs warm-up requests
     * @return CONTINUE, or HANDLED to stop delivery to the remaining global modules
     */
    default GlobalNotificationStatus onGlobalApplicationPreload(GlobalApplicationPreloadProvider provider) {
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Called once when the server stops, after the last notification; releases what the module
     * holds. Mirrors {@code CGlobalModule::Terminate}.
     */
    void terminate();
}
