package io.weir.examples.requestcounter;

import io.weir.api.GlobalNotification;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * Registers the two halves of the request counter under one module name, as an IIS module may:
 * the {@link RequestCounterGlobalModule} for GL_PRE_BEGIN_REQUEST, which counts, and a request-level
 * {@link RequestCounterModule} for BEGIN_REQUEST (priority FIRST), which shows the count in a
 * response header.
 *
 * <p>The global half works from the {@code <globalModules>} entry alone; the header appears only
 * where the module is also enabled in {@code system.webServer/modules}.
 */
public final class RequestCounterModuleRegistration implements ModuleRegistration {

    /** Creates the registration; the server does this through {@link java.util.ServiceLoader} or {@code type=}. */
    public RequestCounterModuleRegistration() {}

    /**
     * Creates one counter for this {@code <globalModules>} entry and registers both halves on it.
     *
     * @param serverVersion ignored
     * @param info          where the modules are registered
     * @param server        ignored
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        RequestCounterGlobalModule counter = new RequestCounterGlobalModule(info.name());
        info.setGlobalNotifications(counter, EnumSet.of(GlobalNotification.PRE_BEGIN_REQUEST));
        RequestCounterModule header = new RequestCounterModule(counter);
        info.setRequestNotifications(
                allocator -> header,
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                EnumSet.noneOf(RequestNotification.class));
        info.setPriorityForRequestNotification(EnumSet.of(RequestNotification.BEGIN_REQUEST), Priority.FIRST);
    }
}
