package io.ovnmesos.testbed;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.pollinterval.IterativePollInterval;

/** Waits for a condition with a deadline, polling with a growing interval; never a fixed sleep. */
public final class Waiter {
  private static final Duration MAX_INTERVAL = Duration.ofMillis(100);

  private Waiter() {}

  /**
   * Returns once {@code condition} is true, or throws {@link IllegalStateException} naming
   * {@code what} when {@code limit} passes. An exception from the condition ends the wait at once.
   */
  public static void until(String what, Duration limit, Callable<Boolean> condition) {
    try {
      await(what)
          .atMost(limit)
          .pollDelay(Duration.ZERO)
          .pollInterval(new IterativePollInterval(
              d -> d.compareTo(MAX_INTERVAL) >= 0 ? MAX_INTERVAL : d.multipliedBy(2), Duration.ofMillis(1)))
          .until(condition);
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("timed out after " + limit.toMillis() + " ms waiting for: " + what, e);
    }
  }
}
