package io.ovnmesos.framework.reconcile;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one "delete after a grace period unless still wanted" rule, for a task that became unreachable
 * and for a port whose agent has not re-registered: keyed timers on the event thread's executor, so
 * what runs when a period ends sees the desired state as the events left it.
 */
public final class GracePeriods {
  private final ScheduledExecutorService executor;
  private final Map<String, ScheduledFuture<?>> running = new HashMap<>();

  /** @param executor the event thread's: periods are started, cancelled and ended there only */
  public GracePeriods(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** Runs {@code onEnd} after {@code grace} unless cancelled first; a period already running for {@code key} is kept. */
  public void start(String key, Duration grace, Runnable onEnd) {
    running.computeIfAbsent(key, k -> executor.schedule(() -> {
      running.remove(k);
      onEnd.run();
    }, grace.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** Ends the period for {@code key} without running its action; true if one was running. */
  public boolean cancel(String key) {
    ScheduledFuture<?> f = running.remove(key);
    if (f != null) {
      f.cancel(false);
    }
    return f != null;
  }

  /** Ends every period (a new snapshot restarts them, or this replica stops leading). */
  public void cancelAll() {
    running.values().forEach(f -> f.cancel(false));
    running.clear();
  }

  /** Periods running now. */
  public int running() {
    return running.size();
  }
}
