package io.weir.server.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rate floor's once-a-second check per event loop: each watched connection is checked a second
 * after the sweep starts and then once a second while it answers true, and the loop holds no task
 * when nothing is watched.
 */
class RateFloorSweepTest {

    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final RateFloorSweep sweep = new RateFloorSweep(loop.eventLoop());
    private final List<String> checks = new ArrayList<>();

    private void advance(long millis) {
        loop.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        loop.runScheduledPendingTasks();
    }

    @Test
    void checksEachConnectionOnceASecondUntilItLeaves() {
        int[] slowChecksLeft = {3};
        sweep.watch(now -> {
            checks.add("slow");
            return --slowChecksLeft[0] > 0;
        });
        sweep.watch(now -> {
            checks.add("done");
            return false;
        });
        advance(999);
        assertThat(checks).isEmpty();
        advance(1);
        assertThat(checks).containsExactly("slow", "done");
        advance(1000);
        assertThat(checks).containsExactly("slow", "done", "slow");
        advance(1000);
        assertThat(checks).containsExactly("slow", "done", "slow", "slow");
        advance(5000);
        assertThat(checks).hasSize(4);
    }

    @Test
    void aConnectionWatchedDuringASweepIsCheckedAtTheNext() {
        sweep.watch(now -> {
            checks.add("first");
            if (checks.size() == 1) {
                sweep.watch(later -> {
                    checks.add("second");
                    return false;
                });
            }
            return false;
        });
        advance(1000);
        assertThat(checks).containsExactly("first");
        advance(1000);
        assertThat(checks).containsExactly("first", "second");
    }

    @Test
    void theSweepStopsWhenNothingIsWatchedAndStartsAgain() {
        sweep.watch(now -> {
            checks.add("a");
            return false;
        });
        advance(1000);
        assertThat(loop.runScheduledPendingTasks())
                .as("no task left on the loop")
                .isEqualTo(-1);
        sweep.watch(now -> {
            checks.add("b");
            return false;
        });
        advance(1000);
        assertThat(checks).containsExactly("a", "b");
    }
}
