package io.weir.testkit;

import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpStatus;
import io.weir.core.spi.MemoryExchange;
import io.weir.core.spi.PipelineObserver;
import io.weir.core.spi.ResponseHead;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One in-memory request for {@link PipelineHarness}: the {@link MemoryExchange} the engine writes
 * to, plus what the harness's observer recorded for it. The request is done when the engine has
 * both made its last write and reported the request's end, or aborted it. Called on the harness's
 * event loop, except {@link #done} and {@link #eventsSoFar}.
 */
final class HarnessExchange {

    private final MemoryExchange exchange;
    private final List<ModuleNotification> events = new ArrayList<>();
    private final CompletableFuture<HarnessResponse> done = new CompletableFuture<>();
    private HttpStatus finalStatus;
    private boolean ended;

    HarnessExchange(
            String method,
            String rawUri,
            String protocol,
            List<Map.Entry<String, String>> headers,
            byte[] entity,
            InetSocketAddress remote,
            InetSocketAddress local,
            Executor loop) {
        this.exchange = new MemoryExchange(method, rawUri)
                .protocol(protocol)
                .entity(entity)
                .addresses(remote, local)
                .eventLoop(loop)
                .keepBody();
        headers.forEach(h -> exchange.header(h.getKey(), h.getValue()));
        exchange.written().thenRun(this::completeIfDone);
    }

    /** @return the exchange handed to the engine */
    MemoryExchange exchange() {
        return exchange;
    }

    CompletableFuture<HarnessResponse> done() {
        return done;
    }

    synchronized List<String> eventsSoFar() {
        return events.stream().map(ModuleNotification::toString).toList();
    }

    synchronized void record(PipelineObserver.Event e) {
        ModuleNotification.Delivery delivery =
                switch (e.kind()) {
                    case CALL -> ModuleNotification.Delivery.CALL;
                    case ASYNC_COMPLETION -> ModuleNotification.Delivery.ASYNC_COMPLETION;
                    case INDICATED_COMPLETION -> ModuleNotification.Delivery.INDICATED_COMPLETION;
                };
        String child = e.childRequest() ? e.context().request().rawUrl() : null;
        events.add(
                new ModuleNotification(e.module(), e.notification(), e.post(), delivery, e.status(), child, e.error()));
    }

    synchronized void ended(HttpContext context) {
        ended = true;
        if (context != null) {
            finalStatus = context.response().status();
        }
        completeIfDone();
    }

    private synchronized void completeIfDone() {
        if ((ended && exchange.isComplete()) || exchange.isAborted()) {
            ResponseHead head = exchange.head();
            int status = head == null ? 0 : head.status();
            int sub = finalStatus != null && head != null && finalStatus.code() == head.status()
                    ? finalStatus.subStatus()
                    : 0;
            done.complete(new HarnessResponse(
                    status,
                    sub,
                    head == null ? "" : head.reason(),
                    head == null ? List.of() : List.copyOf(head.headers()),
                    head == null ? -1 : head.contentLength(),
                    exchange.body(),
                    List.copyOf(events),
                    exchange.isAborted()));
        }
    }
}
