package io.weir.it.pipeline;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.PreBeginRequestProvider;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

/**
 * Registrations of {@link RecordingModule} that differ only in priority; the module's name comes
 * from the configuration ({@code <globalModules><add name="A" type="...$High"/>}), so one class can
 * be loaded under several names.
 */
public final class RecordingRegistrations {

    private RecordingRegistrations() {}

    private static void register(ModuleRegistrationInfo info, Priority priority) {
        String name = info.name();
        info.setRequestNotifications(
                allocator -> new RecordingModule(name),
                RecordingModule.NOTIFICATIONS,
                EnumSet.of(RequestNotification.BEGIN_REQUEST));
        if (priority != null) {
            info.setPriorityForRequestNotification(RecordingModule.NOTIFICATIONS, priority);
        }
    }

    /** Priority FIRST. */
    public static final class First implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            RecordingRegistrations.register(info, Priority.FIRST);
        }
    }

    /** Priority HIGH. */
    public static final class High implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            RecordingRegistrations.register(info, Priority.HIGH);
        }
    }

    /** No priority set: MEDIUM by default. */
    public static final class Default implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            RecordingRegistrations.register(info, null);
        }
    }

    /** Priority LOW. */
    public static final class Low implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            RecordingRegistrations.register(info, Priority.LOW);
        }
    }

    /** Priority LAST. */
    public static final class Last implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            RecordingRegistrations.register(info, Priority.LAST);
        }
    }

    /** Throws from register(): the server must start without it. */
    public static final class Broken implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            throw new IllegalStateException("this registration fails on purpose");
        }
    }

    /**
     * A recording module that is also a global module for PRE_BEGIN_REQUEST: with the request
     * header {@code X-PreBegin-Finish}, it writes "answered in PRE_BEGIN_REQUEST" and calls
     * {@code PreBeginRequestProvider.finishRequest()} (docs/reference/native-module-model.md, "Statuses").
     */
    public static final class PreBeginFinisher implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            RecordingRegistrations.register(info, null);
            info.setGlobalNotifications(
                    new GlobalModule() {
                        @Override
                        public GlobalNotificationStatus onGlobalPreBeginRequest(PreBeginRequestProvider provider) {
                            HttpContext c = provider.httpContext();
                            if (c.request().header("X-PreBegin-Finish").isPresent()) {
                                c.response().setStatus(HttpStatus.OK);
                                c.response().setHeader("Content-Type", "text/plain", true);
                                c.response()
                                        .writeEntityChunks(DataChunk.ofBytes(
                                                "answered in PRE_BEGIN_REQUEST".getBytes(StandardCharsets.US_ASCII)));
                                provider.finishRequest();
                            }
                            return GlobalNotificationStatus.CONTINUE;
                        }

                        @Override
                        public void terminate() {}
                    },
                    EnumSet.of(GlobalNotification.PRE_BEGIN_REQUEST));
        }
    }
}
