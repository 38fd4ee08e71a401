package io.weir.examples.requestcounter;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.GlobalNotificationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The counting half on its own: PRE_BEGIN_REQUEST arrives on several event loops at once. */
class RequestCounterGlobalModuleTest {

    @Test
    void countsConcurrentNotificationsWithoutLosingAny() throws Exception {
        RequestCounterGlobalModule counter = new RequestCounterGlobalModule("RequestCounterModule");
        int threads = 4;
        int perThread = 10_000;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        assertThat(counter.onGlobalPreBeginRequest(null)).isEqualTo(GlobalNotificationStatus.CONTINUE);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(counter.count()).isEqualTo((long) threads * perThread);
        counter.terminate();
    }
}
