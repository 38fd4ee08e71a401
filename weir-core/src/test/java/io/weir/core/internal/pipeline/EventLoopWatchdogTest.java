package io.weir.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When a hold the watchdog sees is blamed on the module, and when on a busy machine. */
class EventLoopWatchdogTest {

    private static final long BUDGET = TimeUnit.MILLISECONDS.toNanos(EventLoopWatchdog.DEFAULT_BUDGET_MILLIS);

    @Test
    void aThreadThatSleepsWaitsOrIsBlockedIsHeldByItsModule() {
        for (Thread.State state :
                new Thread.State[] {Thread.State.TIMED_WAITING, Thread.State.WAITING, Thread.State.BLOCKED}) {
            assertThat(EventLoopWatchdog.heldByModule(state, 0, false))
                    .as(state.name())
                    .isTrue();
        }
    }

    @Test
    void aRunnableThreadThatUsedCpuIsHeldByItsModule() {
        assertThat(EventLoopWatchdog.heldByModule(Thread.State.RUNNABLE, BUDGET, false))
                .isTrue();
        assertThat(EventLoopWatchdog.heldByModule(Thread.State.RUNNABLE, BUDGET / 4, false))
                .isTrue();
    }

    @Test
    void aRunnableThreadInANativeMethodIsHeldByItsModule() {
        assertThat(EventLoopWatchdog.heldByModule(Thread.State.RUNNABLE, 0, true))
                .isTrue();
    }

    @Test
    void aRunnableThreadThatUsedAlmostNoCpuInJavaWaitedForACore() {
        assertThat(EventLoopWatchdog.heldByModule(Thread.State.RUNNABLE, BUDGET / 10, false))
                .isFalse();
        assertThat(EventLoopWatchdog.heldByModule(Thread.State.RUNNABLE, 0, false))
                .isFalse();
    }

    @Test
    void withoutACpuClockEveryRunnableHoldIsTheModules() {
        assertThat(EventLoopWatchdog.heldByModule(Thread.State.RUNNABLE, -1, false))
                .isTrue();
    }
}
