package io.weir.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.RequestNotification;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sampled module timings: cells per module, notification and post flag, summed across threads. */
class ModuleTimingsTest {

    @Test
    void callsAddUpPerModuleAndNotificationAcrossThreads() throws InterruptedException {
        ModuleTimings timings = new ModuleTimings(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    timings.record("A", RequestNotification.BEGIN_REQUEST, false, 10);
                    timings.record("A", RequestNotification.BEGIN_REQUEST, true, 1);
                    timings.record("B", RequestNotification.LOG_REQUEST, false, 5);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        List<String> seen = new ArrayList<>();
        timings.forEach(c -> seen.add(c.module() + " " + c.notification() + " " + c.calls() + " " + c.nanos()));
        assertThat(seen)
                .containsExactlyInAnyOrder(
                        "A BEGIN_REQUEST 4000 40000", "A POST_BEGIN_REQUEST 4000 4000", "B LOG_REQUEST 4000 20000");
    }

    @Test
    void oneRequestInNIsSampled() {
        ModuleTimings every = new ModuleTimings(1);
        ModuleTimings some = new ModuleTimings(8);
        int sampled = 0;
        for (int i = 0; i < 8000; i++) {
            assertThat(ModuleTimings.sample(every)).isSameAs(every);
            if (ModuleTimings.sample(some) != null) {
                sampled++;
            }
        }
        assertThat(sampled).isBetween(700, 1300);
        assertThat(ModuleTimings.sample(null)).isNull();
        assertThatThrownBy(() -> new ModuleTimings(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
