package io.weir.examples.probe;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.provider.HttpEventProvider;
import io.weir.examples.helloworld.HelloWorldModule;
import java.util.EnumSet;

/**
 * A test-only module, packed into a JAR beside the Hello World classes, that reports in response
 * headers (in BEGIN_REQUEST, then continues) what its class loader sees: its name and identity, the
 * identity of the {@link HelloWorldModule} class it links to, the identity of the API's
 * {@link ModuleRegistration} class, and whether JUnit or the engine are visible to it.
 */
public final class ClassLoaderProbeModuleRegistration implements ModuleRegistration {

    /** Creates the registration. */
    public ClassLoaderProbeModuleRegistration() {}

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new Probe(),
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                EnumSet.noneOf(RequestNotification.class));
    }

    /** The per-request module. */
    static final class Probe implements HttpModule {
        @Override
        public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
            ClassLoader loader = Probe.class.getClassLoader();
            HttpResponse response = context.response();
            response.setHeader("X-Probe-Loader-Name", String.valueOf(loader.getName()), true);
            response.setHeader("X-Probe-Loader-Id", Integer.toString(System.identityHashCode(loader)), true);
            response.setHeader(
                    "X-Probe-HelloWorld-Class-Id",
                    Integer.toString(System.identityHashCode(HelloWorldModule.class)),
                    true);
            response.setHeader(
                    "X-Probe-Api-Class-Id", Integer.toString(System.identityHashCode(ModuleRegistration.class)), true);
            response.setHeader(
                    "X-Probe-Sees-JUnit", Boolean.toString(visible(loader, "org.junit.jupiter.api.Test")), true);
            response.setHeader(
                    "X-Probe-Sees-Engine", Boolean.toString(visible(loader, "io.weir.core.WeirEngine")), true);
            return RequestNotificationStatus.CONTINUE;
        }

        private static boolean visible(ClassLoader loader, String className) {
            try {
                Class.forName(className, false, loader);
                return true;
            } catch (ClassNotFoundException e) {
                return false;
            }
        }
    }
}
