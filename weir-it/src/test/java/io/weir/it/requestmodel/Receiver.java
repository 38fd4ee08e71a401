package io.weir.it.requestmodel;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.CustomNotificationProvider;
import java.util.EnumSet;
import java.util.Set;

/**
 * Receives request-level custom notifications: appends its name to a {@link Ping} of type
 * {@link Ping#TYPE}; {@code X-Custom-Finish: NAME} makes NAME return FINISH_REQUEST (handled),
 * {@code X-Custom-Pending: NAME} makes NAME complete it later from the blocking executor with
 * {@code postCompletion}.
 */
final class Receiver implements HttpModule {

    private static final Set<RequestNotification> CUSTOM = EnumSet.of(RequestNotification.CUSTOM_NOTIFICATION);
    private final String name;

    private Receiver(String name) {
        this.name = name;
    }

    @Override
    public RequestNotificationStatus onCustomRequestNotification(HttpContext context, CustomNotificationProvider p) {
        if (!Ping.TYPE.equals(p.notificationType()) || !(p instanceof Ping ping)) {
            return RequestNotificationStatus.CONTINUE;
        }
        ping.seen.add(name);
        if (context.request().header("X-Custom-Finish").filter(name::equals).isPresent()) {
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        if (context.request().header("X-Custom-Pending").filter(name::equals).isPresent()) {
            context.server().blockingExecutor().execute(() -> {
                ping.seen.add(name + "(async)");
                context.postCompletion(7);
            });
            return RequestNotificationStatus.PENDING;
        }
        return RequestNotificationStatus.CONTINUE;
    }

    private static void register(ModuleRegistrationInfo info, Priority priority) {
        String name = info.name();
        info.setRequestNotifications(
                allocator -> new Receiver(name), CUSTOM, EnumSet.noneOf(RequestNotification.class));
        if (priority != null) {
            info.setPriorityForRequestNotification(CUSTOM, priority);
        }
    }

    /** Priority HIGH. */
    public static final class High implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            Receiver.register(info, Priority.HIGH);
        }
    }

    /** Priority MEDIUM. */
    public static final class Medium implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            Receiver.register(info, null);
        }
    }

    /** Priority LOW. */
    public static final class Low implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            Receiver.register(info, Priority.LOW);
        }
    }
}
