package ${package};

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the module JAR, named in {@code META-INF/services/io.weir.api.ModuleRegistration}
 * (the Java counterpart of the {@code RegisterModule} export of an IIS native module). Weir calls
 * {@link #register} once per {@code <globalModules>} entry, at start-up, before any request.
 */
public final class ${moduleName}Registration implements ModuleRegistration {

    private static final Logger LOG = LoggerFactory.getLogger(${moduleName}Registration.class);

    /** Creates the registration; Weir does this through {@link java.util.ServiceLoader}. */
    public ${moduleName}Registration() {
    }

    /**
     * Registers one {@link ${moduleName}} per request for BEGIN_REQUEST and SEND_RESPONSE, with no
     * post-notification, and runs BEGIN_REQUEST early (HIGH) so the URL is taken before another module
     * rewrites it.
     *
     * @param serverVersion the module API version of the server ({@link HttpServer#API_VERSION})
     * @param info          where the module registers; valid during this call only
     * @param server        the server's services (kept by modules that need them later)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(new ${moduleName}Factory(),
                EnumSet.of(RequestNotification.BEGIN_REQUEST, RequestNotification.SEND_RESPONSE),
                EnumSet.noneOf(RequestNotification.class));
        info.setPriorityForRequestNotification(EnumSet.of(RequestNotification.BEGIN_REQUEST), Priority.HIGH);
        LOG.info("${moduleName} registered (module API {}): BEGIN_REQUEST (HIGH), SEND_RESPONSE", serverVersion);
    }
}
