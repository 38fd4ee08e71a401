package io.weir.it.requestmodel;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpUser;
import io.weir.api.provider.AuthenticationProvider;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every AUTHENTICATE_REQUEST; authenticates "alice" when the request says {@code X-User: alice}. */
final class AuthRecorder implements HttpModule {

    /** "AUTH path" per AUTHENTICATE_REQUEST. */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @Override
    public RequestNotificationStatus onAuthenticateRequest(HttpContext context, AuthenticationProvider provider) {
        SEEN.add("AUTH " + context.request().urlPath());
        if (context.request().header("X-User").filter("alice"::equals).isPresent()) {
            provider.setUser(new HttpUser() {
                @Override
                public String userName() {
                    return "alice";
                }

                @Override
                public String authenticationType() {
                    return "Test";
                }

                @Override
                public boolean isInRole(String role) {
                    return false;
                }
            });
        }
        return RequestNotificationStatus.CONTINUE;
    }

    /** Registers AUTHENTICATE_REQUEST. */
    public static final class Registration implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            info.setRequestNotifications(
                    allocator -> new AuthRecorder(),
                    EnumSet.of(RequestNotification.AUTHENTICATE_REQUEST),
                    EnumSet.noneOf(RequestNotification.class));
        }
    }
}
