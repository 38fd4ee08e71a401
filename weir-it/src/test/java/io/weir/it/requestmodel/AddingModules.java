package io.weir.it.requestmodel;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.ApplicationResolveModulesProvider;
import io.weir.api.provider.GlobalApplicationPreloadProvider;
import io.weir.api.provider.HttpEventProvider;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Global modules that add a module to each application, and that preload applications. */
public final class AddingModules {

    /** What the preloader did: "application → status". */
    public static final List<String> PRELOADS = new CopyOnWriteArrayList<>();

    private AddingModules() {}

    /** The module added in APPLICATION_RESOLVE_MODULES: stamps the response in BEGIN_REQUEST. */
    static final class Stamp implements HttpModule {
        private final String application;

        Stamp(String application) {
            this.application = application;
        }

        @Override
        public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
            context.response().setHeader("X-Added-For", application, true);
            return RequestNotificationStatus.CONTINUE;
        }
    }

    /** Adds {@link Stamp} as "Stamp" to every application, at priority FIRST. */
    public static final class Adder implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            info.setGlobalNotifications(
                    new GlobalModule() {
                        @Override
                        public GlobalNotificationStatus onGlobalApplicationResolveModules(
                                ApplicationResolveModulesProvider p) {
                            String app = p.application().virtualPath();
                            p.registerModule(
                                    "Stamp",
                                    allocator -> new Stamp(app),
                                    EnumSet.of(RequestNotification.BEGIN_REQUEST),
                                    EnumSet.noneOf(RequestNotification.class));
                            p.setPriorityForRequestNotification(
                                    "Stamp", EnumSet.of(RequestNotification.BEGIN_REQUEST), Priority.FIRST);
                            return GlobalNotificationStatus.CONTINUE;
                        }

                        @Override
                        public void terminate() {}
                    },
                    EnumSet.of(GlobalNotification.APPLICATION_RESOLVE_MODULES));
        }
    }

    /** Preloads each application it is asked to with a request to /warm-up. */
    public static final class Preloader implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            info.setGlobalNotifications(
                    new GlobalModule() {
                        @Override
                        public GlobalNotificationStatus onGlobalApplicationPreload(GlobalApplicationPreloadProvider p) {
                            int status = p.executeRequest("/warm-up?by=preload");
                            PRELOADS.add(p.application().virtualPath() + " -> " + status + " recycled="
                                    + p.isProcessRecycled());
                            return GlobalNotificationStatus.CONTINUE;
                        }

                        @Override
                        public void terminate() {}
                    },
                    EnumSet.of(GlobalNotification.APPLICATION_PRELOAD));
        }
    }
}
