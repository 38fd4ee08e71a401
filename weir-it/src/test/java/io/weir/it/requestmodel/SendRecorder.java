package io.weir.it.requestmodel;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.SendResponseProvider;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every SEND_RESPONSE: the path, whether headers go, whether it is final, the flags and the bytes about to go. */
final class SendRecorder implements HttpModule {

    static final List<String> SENDS = new CopyOnWriteArrayList<>();

    @Override
    public RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
        SENDS.add(context.request().urlPath() + " headers=" + provider.headersBeingSent() + " final="
                + provider.isFinalSend() + " flags=" + provider.flags() + " bytes="
                + context.response().bufferedEntityLength());
        return RequestNotificationStatus.CONTINUE;
    }

    /** Registers SEND_RESPONSE. */
    public static final class Registration implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            info.setRequestNotifications(
                    allocator -> new SendRecorder(),
                    EnumSet.of(RequestNotification.SEND_RESPONSE),
                    EnumSet.noneOf(RequestNotification.class));
        }
    }
}
