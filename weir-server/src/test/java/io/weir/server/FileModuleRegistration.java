package io.weir.server;

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
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** A handler module for the end-to-end test: answers every request with the file {@link #file} as a file chunk. */
public final class FileModuleRegistration implements ModuleRegistration {

    /** The file to serve; set by the test before the server starts. */
    static volatile Path file;

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(
                            HttpContext context, HttpEventProvider provider) {
                        Path served = file;
                        context.response().setStatus(HttpStatus.OK);
                        context.response().setHeader("Content-Type", "application/octet-stream", true);
                        context.response()
                                .writeEntityChunks(
                                        DataChunk.ofFile(served, served.toFile().length()));
                        return RequestNotificationStatus.FINISH_REQUEST;
                    }
                },
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                Set.of());
    }
}
