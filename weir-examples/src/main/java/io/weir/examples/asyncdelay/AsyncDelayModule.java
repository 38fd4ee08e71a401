package io.weir.examples.asyncdelay;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.SendResponseProvider;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Answers every request after {@value #DELAY_MILLIS} ms without holding a thread: BEGIN_REQUEST
 * schedules a completion and returns PENDING; the scheduler thread calls
 * {@link HttpContext#postCompletion}, which re-enters this instance's {@link #onAsyncCompletion} on
 * the request's event loop, where the answer ({@code 200 text/plain "done after 10 ms"}) is written
 * and FINISH_REQUEST ends the request's stages (IIS's {@code IHttpContext::PostCompletion} pattern). SEND_RESPONSE counts the responses whose headers go out.
 */
final class AsyncDelayModule implements HttpModule {

    /** How long each request waits, in milliseconds. */
    static final long DELAY_MILLIS = 10;

    private static final byte[] BODY = ("done after " + DELAY_MILLIS + " ms\n").getBytes(StandardCharsets.UTF_8);

    private final ScheduledExecutorService timer;
    private final AsyncDelayModuleRegistration.Counts counts;

    AsyncDelayModule(ScheduledExecutorService timer, AsyncDelayModuleRegistration.Counts counts) {
        this.timer = timer;
        this.counts = counts;
    }

    @Override
    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
        counts.begun.incrementAndGet();
        timer.schedule(
                () -> {
                    counts.completed.incrementAndGet();
                    context.postCompletion(0);
                },
                DELAY_MILLIS,
                TimeUnit.MILLISECONDS);
        return RequestNotificationStatus.PENDING;
    }

    @Override
    public RequestNotificationStatus onAsyncCompletion(
            HttpContext context,
            RequestNotification notification,
            boolean postNotification,
            HttpEventProvider provider,
            CompletionInfo completionInfo) {
        context.response().setHeader("Content-Type", "text/plain; charset=utf-8", true);
        context.response().writeEntityChunks(DataChunk.ofBytes(BODY));
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    @Override
    public RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
        if (provider.headersBeingSent()) {
            counts.responses.incrementAndGet();
        }
        return RequestNotificationStatus.CONTINUE;
    }
}
