package io.weir.server.reload;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.provider.GlobalConfigurationChangeProvider;
import io.weir.api.provider.GlobalFileChangeProvider;
import io.weir.api.provider.HttpApplicationProvider;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A global module that records CONFIGURATION_CHANGE, FILE_CHANGE and APPLICATION_START/STOP as text. */
public final class ChangeRecorderRegistration implements ModuleRegistration {

    /** "CONFIGURATION_CHANGE path", "FILE_CHANGE path", "APPLICATION_START site/path", … in order. */
    public static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setGlobalNotifications(
                new GlobalModule() {
                    @Override
                    public void terminate() {
                        EVENTS.add("TERMINATE");
                    }

                    @Override
                    public GlobalNotificationStatus onGlobalConfigurationChange(
                            GlobalConfigurationChangeProvider provider) {
                        EVENTS.add("CONFIGURATION_CHANGE " + provider.changePath());
                        return GlobalNotificationStatus.CONTINUE;
                    }

                    @Override
                    public GlobalNotificationStatus onGlobalFileChange(GlobalFileChangeProvider provider) {
                        EVENTS.add("FILE_CHANGE " + provider.fileName());
                        return GlobalNotificationStatus.CONTINUE;
                    }

                    @Override
                    public GlobalNotificationStatus onGlobalApplicationStart(HttpApplicationProvider provider) {
                        EVENTS.add("APPLICATION_START " + provider.application().virtualPath());
                        return GlobalNotificationStatus.CONTINUE;
                    }

                    @Override
                    public GlobalNotificationStatus onGlobalApplicationStop(HttpApplicationProvider provider) {
                        EVENTS.add("APPLICATION_STOP " + provider.application().virtualPath());
                        return GlobalNotificationStatus.CONTINUE;
                    }
                },
                EnumSet.of(
                        GlobalNotification.CONFIGURATION_CHANGE,
                        GlobalNotification.FILE_CHANGE,
                        GlobalNotification.APPLICATION_START,
                        GlobalNotification.APPLICATION_STOP));
    }
}
