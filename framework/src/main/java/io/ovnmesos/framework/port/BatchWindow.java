package io.ovnmesos.framework.port;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * How long a batch stays open for more requests, as a Kafka producer's {@code linger.ms}: it closes
 * when it holds {@code maxSize}, when nothing has arrived for {@code quiet}, or {@code maxWait} after
 * its first request, whichever comes first. A lone request waits only {@code quiet}; a burst of task
 * events becomes a few full batches instead of many small ones, and each batch is one Northbound
 * transaction, one Raft entry and one ovn-northd recompute of every port.
 */
record BatchWindow(int maxSize, Duration quiet, Duration maxWait) {

  /** The requests of one batch: {@code first}, then what {@code queue} holds or receives while the window is open. */
  <T> List<T> gather(BlockingQueue<T> queue, T first) throws InterruptedException {
    List<T> batch = new ArrayList<>();
    batch.add(first);
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (batch.size() < maxSize) {
      queue.drainTo(batch, maxSize - batch.size());
      long left = Math.min(quiet.toNanos(), deadline - System.nanoTime());
      if (batch.size() >= maxSize || left <= 0) {
        break;
      }
      T next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        break;
      }
      batch.add(next);
    }
    return batch;
  }
}
