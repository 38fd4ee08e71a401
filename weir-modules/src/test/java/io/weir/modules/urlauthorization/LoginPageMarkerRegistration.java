package io.weir.modules.urlauthorization;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import java.util.EnumSet;

/**
 * A test module that marks {@code …/login.txt} as a login page (server variable
 * {@code IS_LOGIN_PAGE=1}) in BEGIN_REQUEST, as a forms-login module would.
 */
public final class LoginPageMarkerRegistration implements ModuleRegistration {

    /** Creates the registration. */
    public LoginPageMarkerRegistration() {}

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        HttpModule marker = new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
                if (context.request().urlPath().endsWith("/login.txt")) {
                    context.setServerVariable("IS_LOGIN_PAGE", "1");
                }
                return RequestNotificationStatus.CONTINUE;
            }
        };
        info.setRequestNotifications(
                allocator -> marker,
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                EnumSet.noneOf(RequestNotification.class));
    }
}
