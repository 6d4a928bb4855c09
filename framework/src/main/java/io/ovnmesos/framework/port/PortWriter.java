package io.ovnmesos.framework.port;

import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.framework.ha.FencingEpoch;
import io.ovnmesos.framework.metrics.FrameworkMetrics;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbConnectionException;
import io.ovnmesos.ovsdb.OvsdbTimeoutException;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.port.AddressGuard;
import io.ovnmesos.topology.port.NorthboundPorts;
import io.ovnmesos.topology.port.PortMarks;
import io.ovnmesos.topology.port.PortPlan;
import io.ovnmesos.topology.port.PortPlanner;
import io.ovnmesos.topology.port.PortRefusal;
import io.ovnmesos.topology.port.TaskPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of task ports: creates, deletes and annotations are queued and committed by a single
 * thread in batches, so a burst of task events becomes a few large transactions. Up to
 * {@link #MAX_IN_FLIGHT} batches commit at once: the next is planned while OVN commits the last, and
 * their outcomes are handled in order. Each batch is coalesced (the last request for a port wins) and
 * guarded by the fencing epoch; a batch that fails for another reason is split until the failing
 * request is found, so one bad request never holds up the others. What each port is comes from
 * {@link PortPlanner}; a batch that adds ports to a switch also carries the {@link AddressGuard}, so
 * an address an agent gave out meanwhile is never given out again: such a batch is planned again
 * once the cache shows the agent's port.
 */
public final class PortWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PortWriter.class);
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

  /** What became of requests, for claims and bookkeeping; called on the writer thread. */
  public interface Listener {
    void created(TaskPort port);

    void refused(String name, PortRefusal refusal);

    void deleted(String name);

    /** Another replica took a newer epoch: this one must stop writing. */
    void fenced();
  }

  private sealed interface Request permits Create, Delete, Annotate, Answered {
    String name();
  }

  private record Create(WantedPort port, long receivedNanos) implements Request {
    public String name() {
      return port.name();
    }
  }

  private record Delete(String name, String why) implements Request {}

  private record Annotate(String name, String containerId) implements Request {}

  /** Wakes the writer: a batch it sent has its answer. */
  private record Answered() implements Request {
    public String name() {
      return "";
    }
  }

  private static final Answered ANSWERED = new Answered();

  /** A batch planned into a transaction: what to do once it commits. */
  private record Plan(List<Request> requests, List<Runnable> onCommit, List<Request> deferred, int created, int deleted,
      Map<Integer, LogicalSwitch> guards) {}

  /** A batch sent to OVN (or with nothing to send), its outcome not yet handled. */
  private record Sent(Plan plan, CompletableFuture<?> commit) {}

  private final Topology topology;
  private final FencingEpoch fencing;
  private final TenantAccess access;
  private final FrameworkMetrics metrics;
  private final Listener listener;
  /** Completes once this replica may write: it holds the epoch, and the cache shows all written before it. */
  private final CompletableFuture<Void> writable;
  private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  /** Ports committed (or being committed) but not yet seen in the cache: their network and address entry. */
  private final Map<String, NorthboundPorts.Pending> inFlight = new ConcurrentHashMap<>();
  /** Batches sent, oldest first; their outcomes are handled in this order. */
  private final Deque<Sent> sent = new ArrayDeque<>();
  /** Requests whose outcome is unknown (the connection failed), to be written again first. */
  private final List<Request> retry = new ArrayList<>();
  /** Halves of a batch OVN refused, each to be written as a transaction of its own. */
  private final Deque<List<Request>> splits = new ArrayDeque<>();
  private Duration backoff = RETRY_BACKOFF;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * A writer that queues requests at once but writes none until {@code writable} completes (and
   * none at all if it fails).
   */
  public PortWriter(Topology topology, FencingEpoch fencing, CompletableFuture<Void> writable, TenantAccess access,
      FrameworkMetrics metrics, Listener listener) {
    this.topology = topology;
    this.fencing = fencing;
    this.writable = writable;
    this.access = access;
    this.metrics = metrics;
    this.listener = listener;
    this.thread = new Thread(this::run, "port-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Completes once this writer may write (it never does if that fails). */
  public CompletableFuture<Void> writable() {
    return writable.copy();
  }

  /** Asks for the port of {@code port}; {@code receivedNanos} is when its task was announced. */
  public void create(WantedPort port, long receivedNanos) {
    queue.add(new Create(port, receivedNanos));
  }

  /** Asks for the port named {@code name} to go; nothing happens if there is none. */
  public void delete(String name, String why) {
    queue.add(new Delete(name, why));
  }

  /** Records the container a port was claimed for (shown by {@code ovn-mesos show}). */
  public void annotate(String name, String containerId) {
    queue.add(new Annotate(name, containerId));
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
        List<Request> batch = splits.isEmpty() ? nextBatch() : splits.poll();
        if (!batch.isEmpty()) {
          send(batch);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Fenced e) {
        LOG.error("Another replica took a newer fencing epoch; this one stops writing to OVN");
        metrics.error("fenced");
        running = false;
        listener.fenced();
        return;
      } catch (RuntimeException e) {
        LOG.error("Port writer failed on a batch", e);
        metrics.error("writer");
      }
    }
  }

  /** The requests to retry and those queued, up to a batch, coalesced: the last request for a port wins. */
  private List<Request> nextBatch() throws InterruptedException {
    List<Request> drained = new ArrayList<>(retry);
    retry.clear();
    if (drained.isEmpty()) {
      Request first = queue.poll(200, TimeUnit.MILLISECONDS);
      if (first == null) {
        return List.of();
      }
      drained = WINDOW.gather(queue, first);
    } else {
      queue.drainTo(drained, Math.max(0, MAX_BATCH - drained.size()));
    }
    Map<String, Request> last = new LinkedHashMap<>();
    for (Request r : drained) {
      if (r instanceof Answered) {
        continue;
      }
      Request previous = last.get(r.name());
      // An annotation never overrides a create or delete still pending for the port.
      if (r instanceof Annotate && previous != null && !(previous instanceof Annotate)) {
        continue;
      }
      last.remove(r.name());
      last.put(r.name(), r);
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
      Sent s = sent.pollFirst();
      try {
        OvsdbClient.join(s.commit());
      } catch (RuntimeException e) {
        failed(s.plan(), e);
        continue;
      }
      backoff = RETRY_BACKOFF;
      committed(s.plan());
    }
  }

  /** Thrown inside the writer when a batch hit the fencing guard. */
  private static final class Fenced extends RuntimeException {
    Fenced() {
      super(null, null, false, false);
    }
  }

  private void failed(Plan plan, RuntimeException e) {
    List<Request> requests = plan.requests();
    requests.stream().filter(r -> r instanceof Create).forEach(r -> inFlight.remove(r.name()));
    // Before fencing: both are failed waits, told apart by the operation that failed.
    if (AddressGuard.isConflict(e, plan.guards().keySet())) {
      // An agent gave out addresses on a switch meanwhile: plan the batch again once the cache shows them.
      LOG.info("An agent added ports to {} while a batch of {} change(s) was planned; planning it again",
          plan.guards().values().stream().map(LogicalSwitch::name).toList(), requests.size());
      metrics.error("address_conflict");
      awaitChanged(plan.guards().values());
      splits.addLast(requests); // after any batch sent before it, so a create never passes its port's delete
      return;
    }
    if (FencingEpoch.isFenced(e)) {
      throw new Fenced();
    }
    if (e instanceof OvsdbConnectionException || e instanceof OvsdbTimeoutException) {
      // The outcome is unknown: the same requests go again once the client has reconnected; a
      // create that did commit is then found in the cache and answered from there.
      LOG.warn("OVN unreachable while writing {} port change(s); again in {} ms: {}", requests.size(), backoff.toMillis(),
          e.getMessage());
      metrics.error("unreachable");
      retry.addAll(requests);
      return;
    }
    if (requests.size() == 1) {
      LOG.warn("OVN refused a change to port {}: {}", requests.get(0).name(), e.getMessage());
      metrics.error("transaction");
      return;
    }
    // Split to find the request at fault; the others go through.
    int half = requests.size() / 2;
    splits.addFirst(new ArrayList<>(requests.subList(half, requests.size())));
    splits.addFirst(new ArrayList<>(requests.subList(0, half)));
  }

  /** Waits (a bounded time) until the cache shows each switch's marks changed from {@code guarded}, or the switch gone. */
  private void awaitChanged(java.util.Collection<LogicalSwitch> guarded) {
    try {
      OvsdbClient.join(topology.northbound().cache().await("an agent's ports", Duration.ofSeconds(5), c -> guarded.stream()
          .allMatch(g -> topology.northbound().logicalSwitch(g.name()).map(now -> !now.externalIds().equals(g.externalIds()))
              .orElse(true)) ? Optional.of(true) : Optional.empty()));
    } catch (RuntimeException e) {
      LOG.warn("The cache did not show the agent's ports in time; planning again anyway: {}", e.getMessage());
    }
  }

  private void committed(Plan plan) {
    metrics.provisioned(plan.created());
    metrics.deleted(plan.deleted());
    plan.onCommit().forEach(Runnable::run);
    List<Request> deferred = plan.deferred();
    if (!deferred.isEmpty()) {
      // Our own commit is on its way to the cache; the deletes look again once it is there.
      topology.northbound().cache().await("ports just created", Duration.ofSeconds(5), c -> deferred.stream()
          .allMatch(d -> topology.northbound().switchPort(d.name()).isPresent()) ? Optional.of(true) : Optional.empty())
          .whenComplete((seen, e) -> {
            if (e != null) {
              deferred.forEach(d -> inFlight.remove(d.name())); // never arrived: nothing to delete
            }
            queue.addAll(deferred);
          });
    }
  }

  /** Plans {@code requests} into one transaction and sends it; its outcome is handled later, in order. */
  private void send(List<Request> requests) {
    forgetSeen();
    Transaction t = fencing.guard(topology.northbound().transaction());
    NorthboundPorts context = new NorthboundPorts(topology, inFlight::values);
    PortPlanner planner = new PortPlanner(context, access);
    Map<String, List<Object>> added = new LinkedHashMap<>();
    Map<String, List<Uuid>> removed = new LinkedHashMap<>();
    List<Runnable> onCommit = new ArrayList<>();
    List<Request> deferred = new ArrayList<>();
    int created = 0;
    int deleted = 0;
    for (Request r : requests) {
      if (r instanceof Create c) {
        if (planCreate(c, t, planner, added, removed, onCommit)) {
          created++;
        }
      } else if (r instanceof Delete d) {
        Optional<LogicalSwitchPort> existing = topology.northbound().switchPort(d.name());
        if (existing.isEmpty()) {
          if (inFlight.containsKey(d.name())) {
            deferred.add(d); // committed, not yet in the cache: delete once it is
          } else {
            onCommit.add(() -> listener.deleted(d.name()));
          }
          continue;
        }
        LogicalSwitchPort p = existing.get();
        String network = p.externalIds().get(Ownership.NETWORK);
        if (!PortMarks.OWNER_FRAMEWORK.equals(p.externalIds().get(PortMarks.OWNER)) || network == null) {
          continue; // never touch what is not ours
        }
        removed.computeIfAbsent(network, k -> new ArrayList<>()).add(p.uuid());
        deleted++;
        onCommit.add(() -> listener.deleted(d.name()));
      } else if (r instanceof Annotate a) {
        topology.northbound().switchPort(a.name())
            .filter(p -> !a.containerId().equals(p.externalIds().get(PortMarks.CONTAINER_ID)))
            .ifPresent(p -> t.mutate(LogicalSwitchPort.TABLE_NAME, List.of(Condition.uuid(p.uuid())), List.of(
                Mutation.delete(LogicalSwitchPort.EXTERNAL_IDS, List.of(PortMarks.CONTAINER_ID)),
                Mutation.insert(LogicalSwitchPort.EXTERNAL_IDS, Map.of(PortMarks.CONTAINER_ID, a.containerId())))));
      }
    }
    Map<Integer, LogicalSwitch> guards = new HashMap<>();
    added.forEach((ls, uuids) -> {
      // The switch as planned from, not as the cache shows it now: an agent's port that arrived meanwhile must abort.
      context.switchAsRead(ls).ifPresent(planned -> guards.put(AddressGuard.framework(t, planned), planned));
      t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, ls)),
          List.of(Mutation.insert(LogicalSwitch.PORTS, uuids)));
    });
    removed.forEach((ls, uuids) -> t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, ls)),
        List.of(Mutation.delete(LogicalSwitch.PORTS, uuids))));
    Plan plan = new Plan(requests, onCommit, deferred, created, deleted, guards);
    if (t.size() <= 1) {
      sent.addLast(new Sent(plan, CompletableFuture.completedFuture(null))); // only the guard: nothing to write
      return;
    }
    t.comment("ovn-mesos framework: " + created + " port(s) created, " + deleted + " deleted");
    long start = System.nanoTime();
    int operations = t.size();
    CompletableFuture<?> commit = t.commit();
    commit.whenComplete((r, e) -> {
      if (e == null) {
        metrics.committed(operations, Duration.ofNanos(System.nanoTime() - start));
      }
      queue.add(ANSWERED);
    });
    sent.addLast(new Sent(plan, commit));
  }

  private boolean planCreate(Create c, Transaction t, PortPlanner planner, Map<String, List<Object>> added,
      Map<String, List<Uuid>> removed, List<Runnable> onCommit) {
    WantedPort w = c.port();
    String name = w.name();
    Optional<LogicalSwitchPort> existing = topology.northbound().switchPort(name);
    if (existing.isPresent() || inFlight.containsKey(name)) {
      existing.ifPresent(p -> answerExisting(w, p, t, planner, removed, onCommit));
      return false;
    }
    PortPlan plan = planner.plan(w.request());
    if (plan instanceof PortPlan.Refused refused) {
      PortRefusal r = refused.refusal();
      LOG.warn("No port for task {} ({} of framework {}): {}", w.taskId(), w.ifName(), w.frameworkId(), r.message());
      metrics.refused(r.reason().name());
      onCommit.add(() -> listener.refused(name, r));
      return false;
    }
    PortPlan.Create create = (PortPlan.Create) plan;
    NamedUuid row = t.insert(LogicalSwitchPort.TABLE_NAME, create.row());
    added.computeIfAbsent(create.network().name(), k -> new ArrayList<>()).add(row);
    inFlight.put(name, new NorthboundPorts.Pending(create.network().name(), create.address().ovn(), w.agentId()));
    onCommit.add(() -> {
      metrics.readyAfter(Duration.ofNanos(System.nanoTime() - c.receivedNanos()));
      listener.created(create.port());
    });
    return true;
  }

  /**
   * Idempotent: the port is there; answer with what it has. One an agent made while this framework
   * could not answer lacks the task's id, which only the master knows, and was made under the
   * tenant rules the agent could read: this framework's apply now.
   */
  private void answerExisting(WantedPort w, LogicalSwitchPort p, Transaction t, PortPlanner planner,
      Map<String, List<Uuid>> removed, List<Runnable> onCommit) {
    Optional<io.ovnmesos.topology.network.Network> network = topology.networks()
        .find(p.externalIds().getOrDefault(Ownership.NETWORK, ""));
    boolean agentMade = PortMarks.OWNER_AGENT.equals(p.externalIds().get(PortMarks.MADE_BY))
        && PortMarks.OWNER_FRAMEWORK.equals(p.externalIds().get(PortMarks.OWNER));
    if (agentMade && network.isPresent()) {
      Optional<PortRefusal> denied = planner.authorize(w.request(), network.get());
      if (denied.isPresent()) {
        PortRefusal r = new PortRefusal(denied.get().reason(), denied.get().message()
            + "; removing the port an agent made for it");
        LOG.warn("Port {} for task {}: {}", p.name(), w.taskId(), r.message());
        metrics.refused(r.reason().name());
        removed.computeIfAbsent(network.get().name(), k -> new ArrayList<>()).add(p.uuid());
        onCommit.add(() -> listener.refused(p.name(), r));
        return;
      }
      if (!p.externalIds().containsKey(PortMarks.TASK_ID)) {
        t.mutate(LogicalSwitchPort.TABLE_NAME, List.of(Condition.uuid(p.uuid())),
            List.of(Mutation.insert(LogicalSwitchPort.EXTERNAL_IDS, Map.of(PortMarks.TASK_ID, w.taskId()))));
      }
    }
    network.flatMap(n -> TaskPort.from(p, n)).ifPresent(port -> onCommit.add(() -> listener.created(port)));
  }

  /** Drops in-flight entries the cache now shows. */
  private void forgetSeen() {
    var cache = topology.northbound().cache();
    inFlight.keySet().removeIf(name -> cache.lookupOne(LogicalSwitchPort.TABLE_NAME, LogicalSwitchPort.NAME, name).isPresent());
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
