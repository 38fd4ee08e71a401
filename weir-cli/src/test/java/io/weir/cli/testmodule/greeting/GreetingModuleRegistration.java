package io.weir.cli.testmodule.greeting;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * A module JAR's registration for the editing tests: BEGIN_REQUEST at HIGH, doing nothing (the
 * tests only load it; the HTTP effect of an installed module is tested in weir-it).
 */
public final class GreetingModuleRegistration implements ModuleRegistration {

    /** Public for the service loader. */
    public GreetingModuleRegistration() {}

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new HttpModule() {},
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                EnumSet.noneOf(RequestNotification.class));
        info.setPriorityForRequestNotification(EnumSet.of(RequestNotification.BEGIN_REQUEST), Priority.HIGH);
    }
}
