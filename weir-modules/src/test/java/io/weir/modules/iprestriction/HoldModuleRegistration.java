package io.weir.modules.iprestriction;

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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * A test handler that holds requests: EXECUTE_REQUEST_HANDLER parks each request (PENDING) and
 * hands its context to {@link #HELD}; the test releases it with {@link #release}. A URL ending in
 * {@code /throw} throws instead (a failing request). POST_END_REQUEST, which runs after every
 * END_REQUEST module, releases a permit of {@link #ENDED}, so a test can wait until a request has
 * fully ended without sleeping.
 */
public final class HoldModuleRegistration implements ModuleRegistration {

    /** Requests parked in the handler, in arrival order. */
    static final BlockingQueue<HttpContext> HELD = new LinkedBlockingQueue<>();
    /** One permit per request that finished END_REQUEST. */
    static final Semaphore ENDED = new Semaphore(0);

    /**
     * Answers a held request with 200 "released" and resumes its pipeline.
     *
     * @param context the held request
     */
    static void release(HttpContext context) {
        context.response().writeEntityChunks(DataChunk.ofUtf8("released"));
        context.indicateCompletion(RequestNotificationStatus.FINISH_REQUEST);
    }

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        HttpModule module = new HttpModule() {
            @Override
            public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
                if (context.request().urlPath().endsWith("/throw")) {
                    throw new IllegalStateException("a failing handler");
                }
                HELD.add(context);
                return RequestNotificationStatus.PENDING;
            }

            @Override
            public RequestNotificationStatus onPostEndRequest(HttpContext context, HttpEventProvider provider) {
                ENDED.release();
                return RequestNotificationStatus.CONTINUE;
            }
        };
        info.setRequestNotifications(
                allocator -> module,
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.of(RequestNotification.END_REQUEST));
    }
}
