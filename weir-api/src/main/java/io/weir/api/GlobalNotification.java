package io.weir.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * The server-wide (global) notifications delivered to {@link GlobalModule}s, with IIS's
 * {@code GL_*} bit values. Bits {@code 0x1} and {@code 0x8} are unused, as in IIS.
 *
 * <p>Global modules for one notification run by {@link Priority} and then in
 * {@code system.webServer/globalModules} order; a module that returns
 * {@link GlobalNotificationStatus#HANDLED} stops the delivery of that notification to the rest.
 *
 * <p>When Weir raises each: PRE_BEGIN_REQUEST before each request's BEGIN_REQUEST (on its event
 * loop); APPLICATION_RESOLVE_MODULES then APPLICATION_START for every application when the engine
 * starts and for those a reload adds, then APPLICATION_PRELOAD for those with
 * {@code preloadEnabled="true"}; CONFIGURATION_CHANGE and FILE_CHANGE on changes; CUSTOM_NOTIFICATION
 * from {@code HttpServer.notifyCustomNotification}; HEALTH_CHECK periodically (30 s by default) and on
 * {@code HttpServer.reportUnhealthy}; CACHE_CLEANUP periodically (60 s) and at shutdown;
 * CACHE_OPERATION when the server's file cache adds or drops an entry; RSCA_QUERY from
 * {@code WeirEngine.rscaQuery}; THREAD_CLEANUP when a blocking-executor task's thread finishes;
 * STOP_LISTENING and APPLICATION_STOP at shutdown, before {@link GlobalModule#terminate()}. The
 * periodic ones and CACHE_OPERATION run on the engine's timer thread, never on an event loop.
 * TRACE_EVENT and SUSPEND_PROCESS are not raised in this version.
 *
 * <p>Mirrors the {@code GL_*} constants of IIS's {@code httpserv.h}.
 */
public enum GlobalNotification {
    /** {@code GL_STOP_LISTENING}: the server stops accepting requests (graceful drain). */
    STOP_LISTENING(0x00000002),
    /** {@code GL_CACHE_CLEANUP}: caches are purged before termination. */
    CACHE_CLEANUP(0x00000004),
    /** {@code GL_CACHE_OPERATION}: an operation on one of the server's caches. */
    CACHE_OPERATION(0x00000010),
    /** {@code GL_HEALTH_CHECK}: a health operation, for example after a module reported unhealthy. */
    HEALTH_CHECK(0x00000020),
    /** {@code GL_CONFIGURATION_CHANGE}: a configuration file changed. */
    CONFIGURATION_CHANGE(0x00000040),
    /** {@code GL_FILE_CHANGE}: a file under a site changed. */
    FILE_CHANGE(0x00000080),
    /** {@code GL_PRE_BEGIN_REQUEST}: a request arrived, before it enters the pipeline. */
    PRE_BEGIN_REQUEST(0x00000100),
    /** {@code GL_APPLICATION_START}: an application starts. */
    APPLICATION_START(0x00000200),
    /** {@code GL_APPLICATION_RESOLVE_MODULES}: an application's module list is being resolved. */
    APPLICATION_RESOLVE_MODULES(0x00000400),
    /** {@code GL_APPLICATION_STOP}: an application stops. */
    APPLICATION_STOP(0x00000800),
    /** {@code GL_RSCA_QUERY}: a run-time status and control query. */
    RSCA_QUERY(0x00001000),
    /** {@code GL_TRACE_EVENT}: a trace event was raised. */
    TRACE_EVENT(0x00002000),
    /** {@code GL_CUSTOM_NOTIFICATION}: a module raised a server-level custom notification. */
    CUSTOM_NOTIFICATION(0x00004000),
    /** {@code GL_THREAD_CLEANUP}: a worker thread is returned to its pool. */
    THREAD_CLEANUP(0x00008000),
    /** {@code GL_APPLICATION_PRELOAD}: an application is being preloaded (warm-up). */
    APPLICATION_PRELOAD(0x00010000),
    /** {@code GL_SUSPEND_PROCESS}: the process is being suspended; never raised by Weir. */
    SUSPEND_PROCESS(0x00020000);

    private static final GlobalNotification[] VALUES = values();

    private final int bit;

    GlobalNotification(int bit) {
        this.bit = bit;
    }

    /**
     * Returns IIS's bit value for this notification.
     *
     * @return the {@code GL_*} bit
     */
    public int bit() {
        return bit;
    }

    /**
     * Converts an IIS bitmask ({@code dwGlobalNotifications}) to a set.
     *
     * @param mask an OR of {@code GL_*} bits; unknown bits are ignored
     * @return a new mutable set with the notifications whose bit is in {@code mask}
     */
    public static EnumSet<GlobalNotification> fromMask(int mask) {
        EnumSet<GlobalNotification> set = EnumSet.noneOf(GlobalNotification.class);
        for (GlobalNotification n : VALUES) {
            if ((mask & n.bit) != 0) {
                set.add(n);
            }
        }
        return set;
    }

    /**
     * Converts a set of global notifications to IIS's bitmask form.
     *
     * @param notifications the notifications; may be empty, not null
     * @return the OR of their bits
     */
    public static int toMask(Set<GlobalNotification> notifications) {
        int mask = 0;
        for (GlobalNotification n : notifications) {
            mask |= n.bit;
        }
        return mask;
    }
}
