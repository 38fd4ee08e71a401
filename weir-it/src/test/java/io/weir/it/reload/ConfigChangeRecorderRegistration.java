package io.weir.it.reload;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.provider.GlobalConfigurationChangeProvider;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The global module {@link WebConfigHotReloadIT} installs: records every GL_CONFIGURATION_CHANGE path, in order. */
public final class ConfigChangeRecorderRegistration implements ModuleRegistration {

    /** The configuration paths received, e.g. {@code MACHINE/WEBROOT/APPHOST/Load/docs}. */
    public static final List<String> PATHS = new CopyOnWriteArrayList<>();

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setGlobalNotifications(
                new GlobalModule() {
                    @Override
                    public void terminate() {
                        // nothing to release
                    }

                    @Override
                    public GlobalNotificationStatus onGlobalConfigurationChange(
                            GlobalConfigurationChangeProvider provider) {
                        PATHS.add(provider.changePath());
                        return GlobalNotificationStatus.CONTINUE;
                    }
                },
                EnumSet.of(GlobalNotification.CONFIGURATION_CHANGE));
    }
}
