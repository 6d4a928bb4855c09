package io.ovnmesos.framework.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One grace rule for unreachable tasks and orphaned ports: ends once, unless cancelled; never restarted by a repeat. */
class GracePeriodsTest {
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
  private final GracePeriods grace = new GracePeriods(thread);
  private final List<String> ended = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    thread.shutdownNow();
  }

  /** Runs {@code r} on the event thread and waits for it, as every caller of GracePeriods does. */
  private <T> T on(java.util.concurrent.Callable<T> r) throws Exception {
    return thread.submit(r).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aPeriodEndsOnceAndAnotherStartForTheSameKeyKeepsTheFirst() throws Exception {
    on(() -> {
      grace.start("port a", Duration.ZERO, () -> ended.add("first"));
      grace.start("port a", Duration.ZERO, () -> ended.add("second"));
      return null;
    });
    // Scheduled behind this task on the one thread: once this answers, the period has ended.
    on(() -> null);
    assertThat(ended).containsExactly("first");
    assertThat(on(grace::running)).isZero();
  }

  @Test
  void cancelledPeriodsNeverEnd() throws Exception {
    on(() -> {
      grace.start("task t", Duration.ofHours(1), () -> ended.add("t"));
      grace.start("port p", Duration.ofHours(1), () -> ended.add("p"));
      grace.start("port q", Duration.ofHours(1), () -> ended.add("q"));
      return null;
    });
    assertThat(on(() -> grace.cancel("task t"))).isTrue();
    assertThat(on(() -> grace.cancel("task t"))).isFalse();
    assertThat(on(grace::running)).isEqualTo(2);
    on(() -> {
      grace.cancelAll();
      return null;
    });
    assertThat(on(grace::running)).isZero();
    assertThat(ended).isEmpty();
  }
}
