package io.weir.modules.caching;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.api.cache.KernelCacheEntry;
import io.weir.api.provider.GlobalConfigurationChangeProvider;
import io.weir.api.provider.GlobalFileChangeProvider;
import java.util.EnumSet;

/**
 * The ServiceLoader entry of HttpCacheModule; mirrors the {@code RegisterModule} export of IIS's
 * {@code cachhttp.dll}. Called once at start-up: registers a per-request module for
 * RESOLVE_REQUEST_CACHE, UPDATE_REQUEST_CACHE and SEND_RESPONSE, and a global module for
 * GL_FILE_CHANGE (a changed file drops the copies that depend on it from both caches),
 * GL_CONFIGURATION_CHANGE (an edited applicationHost.config or web.config empties both caches, as
 * IIS flushes its output cache and http.sys's response cache when the configuration changes: a copy
 * made under the old rules must not answer under the new ones) and GL_CACHE_CLEANUP (expired copies
 * are dropped), all on the thread that raises them.
 */
public final class HttpCacheModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader needs a public no-argument constructor. */
    public HttpCacheModuleRegistration() {}

    /**
     * Registers the module.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server, whose module context container keeps the output cache
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        HttpCacheShared shared = new HttpCacheShared(server, info.id());
        info.setRequestNotifications(
                allocator -> new HttpCacheModule(shared),
                EnumSet.of(
                        RequestNotification.RESOLVE_REQUEST_CACHE,
                        RequestNotification.UPDATE_REQUEST_CACHE,
                        RequestNotification.SEND_RESPONSE),
                EnumSet.noneOf(RequestNotification.class));
        // SEND_RESPONSE runs in reverse priority order: FIRST runs last, after compression,
        // outbound rewriting and custom errors, so the kernel-style cache keeps the response as sent
        info.setPriorityForRequestNotification(EnumSet.of(RequestNotification.SEND_RESPONSE), Priority.FIRST);
        info.setGlobalNotifications(
                new GlobalModule() {
                    @Override
                    public void terminate() {
                        OutputCache cache = shared.outputCacheIfCreated();
                        if (cache != null) {
                            cache.cleanupStoredContext();
                        }
                    }

                    @Override
                    public GlobalNotificationStatus onGlobalFileChange(GlobalFileChangeProvider provider) {
                        OutputCache cache = shared.outputCacheIfCreated();
                        if (cache != null) {
                            cache.invalidate(provider.fileName());
                        }
                        server.kernelResponseCache().ifPresent(k -> k.invalidate(provider.fileName()));
                        return GlobalNotificationStatus.CONTINUE;
                    }

                    @Override
                    public GlobalNotificationStatus onGlobalConfigurationChange(
                            GlobalConfigurationChangeProvider provider) {
                        OutputCache cache = shared.outputCacheIfCreated();
                        if (cache != null) {
                            cache.cleanupStoredContext();
                        }
                        server.kernelResponseCache().ifPresent(k -> k.removeIf((KernelCacheEntry e) -> true));
                        return GlobalNotificationStatus.CONTINUE;
                    }

                    @Override
                    public GlobalNotificationStatus onGlobalCacheCleanup() {
                        OutputCache cache = shared.outputCacheIfCreated();
                        if (cache != null) {
                            cache.cleanUp();
                        }
                        long now = System.nanoTime();
                        server.kernelResponseCache()
                                .ifPresent(k -> k.removeIf((KernelCacheEntry e) ->
                                        e.expiresAtNanos() != Long.MAX_VALUE && now - e.expiresAtNanos() >= 0));
                        return GlobalNotificationStatus.CONTINUE;
                    }
                },
                EnumSet.of(
                        GlobalNotification.FILE_CHANGE,
                        GlobalNotification.CONFIGURATION_CHANGE,
                        GlobalNotification.CACHE_CLEANUP));
    }
}
