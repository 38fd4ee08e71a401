package io.weir.server;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A module for {@link ResetConnectionTest}: in BEGIN_REQUEST, {@code /reset} calls
 * {@code resetConnection()}; any other URL answers 200 "ok". END_REQUEST counts the requests that
 * reached it, so the test can see the end stages still ran for a reset request.
 */
public final class ResetModuleRegistration implements ModuleRegistration {

    /** Requests that reached END_REQUEST. */
    static final AtomicInteger ENDED = new AtomicInteger();

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
                        if (context.request().urlPath().equals("/reset")) {
                            context.response().writeEntityChunks(DataChunk.ofUtf8("must not be sent"));
                            context.response().resetConnection();
                        } else {
                            context.response().writeEntityChunks(DataChunk.ofUtf8("ok"));
                        }
                        return RequestNotificationStatus.FINISH_REQUEST;
                    }

                    @Override
                    public RequestNotificationStatus onEndRequest(HttpContext context, HttpEventProvider provider) {
                        ENDED.incrementAndGet();
                        return RequestNotificationStatus.CONTINUE;
                    }
                },
                EnumSet.of(RequestNotification.BEGIN_REQUEST, RequestNotification.END_REQUEST),
                Set.of());
    }
}
