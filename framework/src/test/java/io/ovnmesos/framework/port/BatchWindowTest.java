package io.ovnmesos.framework.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchWindowTest {
  private static LinkedBlockingQueue<Integer> queued(int n) {
    LinkedBlockingQueue<Integer> q = new LinkedBlockingQueue<>();
    IntStream.range(1, n + 1).forEach(q::add);
    return q;
  }

  @Test
  void aBatchTakesWhatIsQueuedUpToItsSizeAndLeavesTheRest() throws Exception {
    LinkedBlockingQueue<Integer> q = queued(10);
    List<Integer> batch = new BatchWindow(4, Duration.ofHours(1), Duration.ofHours(1)).gather(q, 0);
    assertThat(batch).containsExactly(0, 1, 2, 3);
    assertThat(q).containsExactly(4, 5, 6, 7, 8, 9, 10);
  }

  @Test
  void aBatchClosesOnceNothingMoreComes() throws Exception {
    LinkedBlockingQueue<Integer> q = queued(2);
    assertThat(new BatchWindow(100, Duration.ofMillis(1), Duration.ofHours(1)).gather(q, 0)).containsExactly(0, 1, 2);
    assertThat(q).isEmpty();
  }

  @Test
  void aBatchTakesWhatArrivesWhileItIsOpen() throws Exception {
    LinkedBlockingQueue<Integer> q = new LinkedBlockingQueue<>();
    Thread late = new Thread(() -> q.add(7));
    late.start();
    // Open for as long as it takes: it closes only when full.
    assertThat(new BatchWindow(2, Duration.ofHours(1), Duration.ofHours(1)).gather(q, 0)).containsExactly(0, 7);
    late.join();
  }

  @Test
  void aSteadyStreamStillClosesTheBatchAtItsLongestWait() throws Exception {
    LinkedBlockingQueue<Integer> q = new LinkedBlockingQueue<>();
    AtomicBoolean more = new AtomicBoolean(true);
    Thread stream = new Thread(() -> {
      // One at a time, each as soon as the last is taken: the queue never grows.
      for (int i = 1; more.get(); ) {
        if (q.isEmpty()) {
          q.add(i++);
        } else {
          Thread.onSpinWait();
        }
      }
    });
    stream.start();
    try {
      // Never quiet, never full: only the longest wait ends it.
      List<Integer> batch = assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> new BatchWindow(Integer.MAX_VALUE, Duration.ofHours(1), Duration.ofMillis(20)).gather(q, 0));
      assertThat(batch).startsWith(0).hasSizeGreaterThan(1);
    } finally {
      more.set(false);
      stream.join();
    }
  }
}
