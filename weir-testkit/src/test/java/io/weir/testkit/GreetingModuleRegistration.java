package io.weir.testkit;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.SendResponseProvider;
import java.util.EnumSet;

/**
 * The module the testkit's own tests run both in memory and over loopback: a handler that answers
 * {@code "Hello, <name>"} from the {@code name} query parameter; {@code 400.1} when the name is missing (a made-up substatus, to see substatuses
 * in the harness). It also marks the request in BEGIN_REQUEST (post-notification, request header
 * {@code X-Greeting-Seen}) and stamps {@code X-Greeting} in SEND_RESPONSE.
 */
public final class GreetingModuleRegistration implements ModuleRegistration {

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new GreetingModule(),
                EnumSet.of(
                        RequestNotification.BEGIN_REQUEST,
                        RequestNotification.EXECUTE_REQUEST_HANDLER,
                        RequestNotification.SEND_RESPONSE),
                EnumSet.of(RequestNotification.BEGIN_REQUEST));
        info.setPriorityForRequestNotification(EnumSet.of(RequestNotification.BEGIN_REQUEST), Priority.HIGH);
    }

    static final class GreetingModule implements HttpModule {
        @Override
        public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
            return RequestNotificationStatus.CONTINUE;
        }

        @Override
        public RequestNotificationStatus onPostBeginRequest(HttpContext context, HttpEventProvider provider) {
            context.request().setHeader("X-Greeting-Seen", "yes", true);
            return RequestNotificationStatus.CONTINUE;
        }

        @Override
        public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
            String query = context.request().queryString();
            String name = null;
            for (String pair : query.split("&")) {
                if (pair.startsWith("name=") && pair.length() > 5) {
                    name = pair.substring(5);
                }
            }
            if (name == null) {
                context.response().setStatus(new HttpStatus(400, 1, "Bad Request"));
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            String text = "Hello";
            context.response().setHeader("Content-Type", "text/plain; charset=utf-8", true);
            context.response()
                    .setHeader(
                            "X-Greeting-Seen",
                            context.request().header("X-Greeting-Seen").orElse("no"),
                            true);
            context.response().writeEntityChunks(DataChunk.ofUtf8(text + ", " + name));
            return RequestNotificationStatus.CONTINUE;
        }

        @Override
        public RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
            if (provider.headersBeingSent()) {
                context.response().setHeader("X-Greeting", "sent", true);
            }
            return RequestNotificationStatus.CONTINUE;
        }
    }
}
