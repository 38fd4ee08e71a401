package io.weir.it.pipeline;

import io.weir.api.http.HttpContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the test modules saw, per request: each request carries an {@code X-Test-Id} header and the
 * modules append "Module:NOTIFICATION" to that request's list. The lists survive the response, so
 * LOG_REQUEST and END_REQUEST (which run after the send) can be checked too.
 */
public final class Recorder {

    private static final Map<String, List<String>> EVENTS = new ConcurrentHashMap<>();
    static final AtomicInteger CREATED = new AtomicInteger();
    static final AtomicInteger DISPOSED = new AtomicInteger();

    private Recorder() {}

    static void record(HttpContext context, String event) {
        String id = context.request().header("X-Test-Id").orElse("none");
        EVENTS.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>()))
                .add(event);
    }

    /** @param id a request's X-Test-Id @return a copy of what was recorded for it */
    static List<String> events(String id) {
        List<String> list = EVENTS.getOrDefault(id, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }
}
