package io.weir.server.reload;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import java.util.EnumSet;
import java.util.Set;

/** The handler of the reload tests: answers every request 200 {@code ok}. */
public final class TextHandlerRegistration implements ModuleRegistration {

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(
                            HttpContext context, HttpEventProvider provider) {
                        context.response().setStatus(HttpStatus.OK);
                        context.response().setHeader("Content-Type", "text/plain", true);
                        context.response().writeEntityChunks(DataChunk.ofUtf8("ok\n"));
                        return RequestNotificationStatus.FINISH_REQUEST;
                    }
                },
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                Set.of());
    }
}
