package io.weir.it.proxy;

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
 * Stands in for URL Rewrite's side of the contract with the proxy: in BEGIN_REQUEST, a request
 * with an {@code X-Test-Proxy-To} header (a base URL) gets the server variable
 * {@code WEIR_PROXY_URL} set to that base plus its own URL, as a Rewrite action to an absolute URL
 * sets it.
 */
public final class ProxyUrlSetter implements ModuleRegistration {

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        HttpModule module = new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
                context.request()
                        .header("X-Test-Proxy-To")
                        .ifPresent(base -> context.setServerVariable(
                                "WEIR_PROXY_URL", base + context.request().rawUrl()));
                return RequestNotificationStatus.CONTINUE;
            }
        };
        info.setRequestNotifications(
                allocator -> module,
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                EnumSet.noneOf(RequestNotification.class));
    }
}
