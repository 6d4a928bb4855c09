package io.ovnmesos.framework.port;

import io.ovnmesos.framework.ha.FencingEpoch;
import io.ovnmesos.framework.metrics.FrameworkMetrics;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbConnectionException;
import io.ovnmesos.ovsdb.OvsdbTimeoutException;
import io.ovnmesos.ovsdb.txn.Transaction;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits requests to the Northbound in batches, on one thread of its own, knowing nothing of what
 * they mean: it queues them, gathers a batch ({@link BatchWindow}), coalesces it (one request per
 * key), has a {@link Planner} turn it into one transaction behind the fencing guard, and keeps up to
 * {@link #MAX_IN_FLIGHT} transactions in flight, handling their outcomes in order. A batch whose
 * outcome is unknown (OVN unreachable) is retried first, with back-off; one the planner's own guard
 * stopped is planned again; one OVN refused is split until the failing request is found, so one bad
 * request never holds up the others. A batch that hit the fencing guard stops the committer and is
 * reported to the owner at once.
 */
public final class BatchCommitter<R extends BatchCommitter.Keyed> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);
  static final int MAX_BATCH = 2_000;
  /**
   * A batch stays open while requests keep coming (less than 2 ms apart), at most 100 ms: a burst of
   * 5,000 tasks then makes two to four transactions instead of four to eight (each is also a Raft
   * entry and a full recompute in ovn-northd 23.03), and a lone request waits 2 ms.
   */
  static final BatchWindow WINDOW = new BatchWindow(MAX_BATCH, Duration.ofMillis(2), Duration.ofMillis(100));
  /** Two: one batch commits while the next is planned; more only queue up inside ovsdb-server. */
  static final int MAX_IN_FLIGHT = 2;
  private static final Duration RETRY_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(5);

  /** A request for one object, named by its key: of two for one key in a batch, one is kept. */
  public interface Keyed {
    String key();
  }

  /** Gives a batch of requests its meaning. Called on the committer's thread only. */
  public interface Planner<R> {
    /** Whether {@code later} takes the place of {@code earlier}, both for one key; if not, {@code later} is dropped. */
    boolean replaces(R later, R earlier);

    /** Adds the operations for {@code requests} to {@code t}, which already holds the fencing guard. */
    Batch plan(List<R> requests, Transaction t);
  }

  /** One planned batch: what to do with its outcome. */
  public interface Batch {
    /** The transaction's comment, for the Northbound's log. */
    String describe();

    /** It committed. */
    void committed();

    /** It did not commit; its requests may be written again, split, or dropped. */
    void failed();

    /**
     * True if {@code e} is a guard of this batch's own failing because the database changed since it
     * was planned; returns once the batch may be planned again.
     */
    boolean conflict(RuntimeException e);
  }

  private record Item<R>(R request) {}

  /** A batch sent to OVN (or with nothing to send), its outcome not yet handled. */
  private record Sent<R>(List<R> requests, Batch batch, CompletableFuture<?> commit) {}

  private final Supplier<Transaction> transactions;
  private final UnaryOperator<Transaction> fence;
  private final Planner<R> planner;
  private final Runnable onFenced;
  private final FrameworkMetrics metrics;
  private final CompletableFuture<Void> writable;
  private final BlockingQueue<Item<R>> queue = new LinkedBlockingQueue<>();
  /** Wakes the committer: a batch it sent has its answer. */
  private final Item<R> answered = new Item<>(null);
  /** Batches sent, oldest first; their outcomes are handled in this order. */
  private final Deque<Sent<R>> sent = new ArrayDeque<>();
  /** Requests whose outcome is unknown (the connection failed), to be written again first. */
  private final List<R> retry = new ArrayList<>();
  /** Batches to write as they are: halves of one OVN refused, or one to plan again after a conflict. */
  private final Deque<List<R>> again = new ArrayDeque<>();
  private Duration backoff = RETRY_BACKOFF;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * A committer that queues requests at once but writes none until {@code writable} completes (and
   * none at all if it fails).
   *
   * @param fence puts the fencing guard ({@link FencingEpoch#guard}) in front of a transaction; a
   *     transaction it stopped ({@link FencingEpoch#isFenced}) stops the committer
   * @param onFenced told, on the committer's thread, that another replica took a newer epoch
   */
  public BatchCommitter(String name, Supplier<Transaction> transactions, UnaryOperator<Transaction> fence,
      CompletableFuture<Void> writable, Planner<R> planner, Runnable onFenced, FrameworkMetrics metrics) {
    this.transactions = transactions;
    this.fence = fence;
    this.writable = writable;
    this.planner = planner;
    this.onFenced = onFenced;
    this.metrics = metrics;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  /** Starts the committer's thread. */
  public BatchCommitter<R> start() {
    thread.start();
    return this;
  }

  /** Completes once this committer may write (it never does if that fails). */
  public CompletableFuture<Void> writable() {
    return writable.copy();
  }

  public void submit(R request) {
    queue.add(new Item<>(request));
  }

  public void submitAll(Collection<R> requests) {
    requests.forEach(this::submit);
  }

  private void run() {
    try {
      writable.get();
    } catch (InterruptedException | ExecutionException | CancellationException e) {
      return; // never led: the next leader writes what was asked
    }
    while (running) {
      try {
        handleAnswered();
        if (sent.size() >= MAX_IN_FLIGHT || (!retry.isEmpty() && !sent.isEmpty())) {
          awaitOldest();
          continue;
        }
        if (!retry.isEmpty()) {
          // Every batch sent has its answer; OVN was unreachable for some: wait, then write them first.
          TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
          backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY_BACKOFF) > 0 ? MAX_RETRY_BACKOFF : backoff.multipliedBy(2);
        }
        List<R> batch = again.isEmpty() ? nextBatch() : again.poll();
        if (!batch.isEmpty()) {
          send(batch);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Fenced e) {
        LOG.error("Another replica took a newer fencing epoch; this one stops writing to OVN");
        metrics.error("fenced");
        running = false;
        onFenced.run();
        return;
      } catch (RuntimeException e) {
        LOG.error("Committer failed on a batch", e);
        metrics.error("writer");
      }
    }
  }

  /** The requests to retry and those queued, up to a batch, coalesced: one request per key. */
  private List<R> nextBatch() throws InterruptedException {
    List<Item<R>> drained = new ArrayList<>();
    retry.forEach(r -> drained.add(new Item<>(r)));
    retry.clear();
    if (drained.isEmpty()) {
      Item<R> first = queue.poll(200, TimeUnit.MILLISECONDS);
      if (first == null) {
        return List.of();
      }
      drained.addAll(WINDOW.gather(queue, first));
    } else {
      queue.drainTo(drained, Math.max(0, MAX_BATCH - drained.size()));
    }
    Map<String, R> last = new LinkedHashMap<>();
    for (Item<R> item : drained) {
      R r = item.request();
      if (r == null) {
        continue;
      }
      R previous = last.get(r.key());
      if (previous != null && !planner.replaces(r, previous)) {
        continue;
      }
      last.remove(r.key());
      last.put(r.key(), r);
    }
    return new ArrayList<>(last.values());
  }

  /** Waits until the oldest batch sent has its answer. */
  private void awaitOldest() throws InterruptedException {
    try {
      sent.peekFirst().commit().get();
    } catch (ExecutionException | CancellationException e) {
      // handled with the batch
    }
  }

  /** Handles the outcomes of the batches answered so far, oldest first, stopping at one still committing. */
  private void handleAnswered() {
    while (!sent.isEmpty() && sent.peekFirst().commit().isDone()) {
      Sent<R> s = sent.pollFirst();
      try {
        OvsdbClient.join(s.commit());
      } catch (RuntimeException e) {
        s.batch().failed();
        failed(s, e);
        continue;
      }
      backoff = RETRY_BACKOFF;
      s.batch().committed();
    }
  }

  /** Thrown inside the committer when a batch hit the fencing guard. */
  private static final class Fenced extends RuntimeException {
    Fenced() {
      super(null, null, false, false);
    }
  }

  private void failed(Sent<R> s, RuntimeException e) {
    List<R> requests = s.requests();
    // Before fencing: both are failed waits, told apart by the operation that failed.
    if (s.batch().conflict(e)) {
      again.addLast(requests); // after any batch sent before it, so a create never passes its port's delete
      return;
    }
    if (FencingEpoch.isFenced(e)) {
      throw new Fenced();
    }
    if (e instanceof OvsdbConnectionException || e instanceof OvsdbTimeoutException) {
      // The outcome is unknown: the same requests go again once the client has reconnected; the
      // planner then finds what did commit in the cache.
      LOG.warn("OVN unreachable while writing {} change(s); again in {} ms: {}", requests.size(), backoff.toMillis(),
          e.getMessage());
      metrics.error("unreachable");
      retry.addAll(requests);
      return;
    }
    if (requests.size() == 1) {
      LOG.warn("OVN refused a change to {}: {}", requests.get(0).key(), e.getMessage());
      metrics.error("transaction");
      return;
    }
    // Split to find the request at fault; the others go through.
    int half = requests.size() / 2;
    again.addFirst(new ArrayList<>(requests.subList(half, requests.size())));
    again.addFirst(new ArrayList<>(requests.subList(0, half)));
  }

  /** Plans {@code requests} into one transaction and sends it; its outcome is handled later, in order. */
  private void send(List<R> requests) {
    Transaction t = fence.apply(transactions.get());
    int guarded = t.size();
    Batch batch = planner.plan(requests, t);
    if (t.size() == guarded) {
      sent.addLast(new Sent<>(requests, batch, CompletableFuture.completedFuture(null))); // nothing to write
      return;
    }
    t.comment(batch.describe());
    long start = System.nanoTime();
    int operations = t.size();
    CompletableFuture<?> commit = t.commit();
    commit.whenComplete((r, e) -> {
      if (e == null) {
        metrics.committed(operations, Duration.ofNanos(System.nanoTime() - start));
      }
      queue.add(answered);
    });
    sent.addLast(new Sent<>(requests, batch, commit));
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
