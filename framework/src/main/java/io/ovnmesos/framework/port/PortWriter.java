package io.ovnmesos.framework.port;

import inet.ipaddr.IPAddress;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.framework.ha.FencingEpoch;
import io.ovnmesos.framework.metrics.FrameworkMetrics;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbConnectionException;
import io.ovnmesos.ovsdb.OvsdbTimeoutException;
import io.ovnmesos.ovsdb.cache.DatabaseCache;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.TopologyException;
import io.ovnmesos.topology.address.Macs;
import io.ovnmesos.topology.address.Subnet;
import io.ovnmesos.topology.network.Network;
import io.ovnmesos.topology.port.PortMarks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * request is found, so one bad request never holds up the others. Addresses are assigned here (see
 * {@link AddressPool}), which is safe because only the leader writes task ports.
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
    void created(ProvisionedPort port);

    void refused(String name, Refusal refusal);

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
  private record Plan(List<Request> requests, List<Runnable> onCommit, List<Request> deferred, int created, int deleted) {}

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
  private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
  /** Batches sent, oldest first; their outcomes are handled in this order. */
  private final Deque<Sent> sent = new ArrayDeque<>();
  /** Requests whose outcome is unknown (the connection failed), to be written again first. */
  private final List<Request> retry = new ArrayList<>();
  /** Halves of a batch OVN refused, each to be written as a transaction of its own. */
  private final Deque<List<Request>> splits = new ArrayDeque<>();
  private Duration backoff = RETRY_BACKOFF;

  private record InFlight(String network, String entry, String agentId) {}
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
    if (FencingEpoch.isFenced(e)) {
      throw new Fenced();
    }
    List<Request> requests = plan.requests();
    requests.stream().filter(r -> r instanceof Create).forEach(r -> inFlight.remove(r.name()));
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
    Map<String, AddressPool> pools = new HashMap<>();
    AgentAddresses agents = new AgentAddresses(topology.northbound().cache(), agent -> inFlight.values().stream()
        .filter(f -> agent.equals(f.agentId())).map(InFlight::entry).toList());
    Map<String, List<Object>> added = new LinkedHashMap<>();
    Map<String, List<Uuid>> removed = new LinkedHashMap<>();
    List<Runnable> onCommit = new ArrayList<>();
    List<Request> deferred = new ArrayList<>();
    int created = 0;
    int deleted = 0;
    for (Request r : requests) {
      if (r instanceof Create c) {
        if (planCreate(c, t, pools, agents, added, removed, onCommit)) {
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
    added.forEach((ls, uuids) -> t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, ls)),
        List.of(Mutation.insert(LogicalSwitch.PORTS, uuids))));
    removed.forEach((ls, uuids) -> t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, ls)),
        List.of(Mutation.delete(LogicalSwitch.PORTS, uuids))));
    Plan plan = new Plan(requests, onCommit, deferred, created, deleted);
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

  private boolean planCreate(Create c, Transaction t, Map<String, AddressPool> pools, AgentAddresses agents,
      Map<String, List<Object>> added, Map<String, List<Uuid>> removed, List<Runnable> onCommit) {
    WantedPort w = c.port();
    String name = w.name();
    Optional<LogicalSwitchPort> existing = topology.northbound().switchPort(name);
    if (existing.isPresent() || inFlight.containsKey(name)) {
      // Idempotent: the port is there (or on its way); answer with what it has. One an agent made
      // while this framework could not answer lacks the task's id, which only the master knows.
      Optional<LogicalSwitchPort> agentMade = existing.filter(p -> PortMarks.OWNER_AGENT.equals(p.externalIds().get(PortMarks.MADE_BY))
          && PortMarks.OWNER_FRAMEWORK.equals(p.externalIds().get(PortMarks.OWNER)));
      if (agentMade.isPresent()) {
        LogicalSwitchPort p = agentMade.get();
        String tenant = p.externalIds().getOrDefault(Ownership.TENANT, "");
        if (!access.allows(w.role(), w.principal(), tenant)) {
          // Made while this framework could not answer: its rules apply now.
          Refusal r = new Refusal(Refusal.Reason.NOT_AUTHORIZED, TenantAccess.denial(w.role(), w.principal(),
              p.externalIds().get(Ownership.NETWORK), tenant) + "; removing the port an agent made for it");
          LOG.warn("Port {} for task {}: {}", name, w.taskId(), r.message());
          metrics.refused(r.reason().name());
          removed.computeIfAbsent(p.externalIds().get(Ownership.NETWORK), k -> new ArrayList<>()).add(p.uuid());
          onCommit.add(() -> listener.refused(name, r));
          return false;
        }
        if (!p.externalIds().containsKey(PortMarks.TASK_ID)) {
          t.mutate(LogicalSwitchPort.TABLE_NAME, List.of(Condition.uuid(p.uuid())),
              List.of(Mutation.insert(LogicalSwitchPort.EXTERNAL_IDS, Map.of(PortMarks.TASK_ID, w.taskId()))));
        }
      }
      existing.flatMap(p -> topology.networks().find(p.externalIds().getOrDefault(Ownership.NETWORK, ""))
          .flatMap(n -> ProvisionedPort.from(p, n))).ifPresent(p -> onCommit.add(() -> listener.created(p)));
      return false;
    }
    Optional<Refusal> refusal = Optional.empty();
    AddressPool.Assignment assignment = null;
    Network network = null;
    String ls = w.logicalSwitch();
    if (ls == null || ls.isBlank()) {
      refusal = Optional.of(new Refusal(Refusal.Reason.INVALID_LABEL, "the task's network_info has no \""
          + WantedPort.LOGICAL_SWITCH + "\" label; label it logical_switch=<ovn-mesos network>"));
    } else {
      // A batch reads each network once: the first of its ports made the pool.
      AddressPool known = pools.get(ls);
      network = known != null ? known.network() : topology.networks().find(ls).orElse(null);
      if (network == null) {
        refusal = Optional.of(new Refusal(Refusal.Reason.UNKNOWN_NETWORK, "network \"" + printable(ls)
            + "\" does not exist in OVN; create it with 'ovn-mesos network create'"));
      } else if (!access.allows(w.role(), w.principal(), network.tenant())) {
        refusal = Optional.of(new Refusal(Refusal.Reason.NOT_AUTHORIZED,
            TenantAccess.denial(w.role(), w.principal(), network.name(), network.tenant())));
      }
    }
    if (refusal.isEmpty()) {
      Network n = network;
      AddressPool pool = pools.computeIfAbsent(n.name(), k -> newPool(n));
      try {
        // Not an address another task on the same agent holds, whatever its network.
        Set<Long> avoid = agents.of(w.agentId());
        Optional<AddressPool.Assignment> got = fixedAddress(w, pool, avoid);
        assignment = got.orElseGet(() -> pool.next(name, avoid).orElse(null));
        if (assignment == null) {
          refusal = Optional.of(new Refusal(Refusal.Reason.NO_ADDRESS, "network \"" + n.name() + "\" has no free address"));
        }
      } catch (RefusedException e) {
        refusal = Optional.of(e.refusal);
      }
    }
    if (refusal.isPresent()) {
      Refusal r = refusal.get();
      LOG.warn("No port for task {} ({} of framework {}): {}", w.taskId(), w.ifName(), w.frameworkId(), r.message());
      metrics.refused(r.reason().name());
      onCommit.add(() -> listener.refused(name, r));
      return false;
    }
    Map<String, String> ids = Ownership.marks(Ownership.Kind.PORT, network.tenant());
    ids.put(Ownership.NETWORK, network.name());
    ids.put(PortMarks.OWNER, PortMarks.OWNER_FRAMEWORK);
    ids.put(PortMarks.TASK_ID, w.taskId());
    ids.put(PortMarks.AGENT_ID, w.agentId()); // framework, executor and interface are in the name
    String entry = assignment.ovnAddress();
    NamedUuid row = t.insert(LogicalSwitchPort.TABLE_NAME, Map.of(LogicalSwitchPort.NAME, name,
        LogicalSwitchPort.ADDRESSES, List.of(entry), LogicalSwitchPort.PORT_SECURITY, List.of(entry),
        LogicalSwitchPort.EXTERNAL_IDS, ids));
    added.computeIfAbsent(network.name(), k -> new ArrayList<>()).add(row);
    inFlight.put(name, new InFlight(network.name(), entry, w.agentId()));
    agents.add(w.agentId(), assignment.ips());
    ProvisionedPort port = ProvisionedPort.placed(name, network, assignment.mac(),
        pools.get(network.name()).placed(assignment), w.taskId(), w.frameworkId());
    onCommit.add(() -> {
      metrics.readyAfter(Duration.ofNanos(System.nanoTime() - c.receivedNanos()));
      listener.created(port);
    });
    return true;
  }

  private static final class RefusedException extends RuntimeException {
    final Refusal refusal;

    RefusedException(Refusal.Reason reason, String message) {
      super(message, null, false, false);
      this.refusal = new Refusal(reason, message);
    }
  }

  /** The address a task's labels fix, taken from the pool; empty if the labels fix none. */
  private static Optional<AddressPool.Assignment> fixedAddress(WantedPort w, AddressPool pool, Set<Long> avoid) {
    String ip = w.labels().get(WantedPort.IP_ADDRESS);
    String mac = w.labels().get(WantedPort.MAC_ADDRESS);
    if (mac != null && !Macs.isUnicast(mac)) {
      throw new RefusedException(Refusal.Reason.INVALID_LABEL, "label " + WantedPort.MAC_ADDRESS
          + " is not a unicast MAC address: expected six colon-separated hex bytes, got \"" + printable(mac) + "\"");
    }
    Optional<String> fixedMac = Optional.ofNullable(mac).map(m -> m.toLowerCase(Locale.ROOT));
    if (ip == null) {
      return fixedMac.flatMap(m -> pool.next(w.name(), avoid).map(a -> new AddressPool.Assignment(m, a.ips())));
    }
    IPAddress a;
    try {
      a = Subnet.host(WantedPort.IP_ADDRESS, ip);
    } catch (TopologyException e) {
      throw new RefusedException(Refusal.Reason.INVALID_LABEL, "label " + WantedPort.IP_ADDRESS + ": " + e.getMessage());
    }
    return Optional.of(pool.take(a, fixedMac).orElseThrow(() -> new RefusedException(Refusal.Reason.NO_ADDRESS,
        "label " + WantedPort.IP_ADDRESS + " " + a + " is not a free host address of network " + pool.network().name()
            + " " + pool.network().subnets())));
  }

  private AddressPool newPool(Network n) {
    // Straight from the cached rows: only the address columns matter, for every port of the switch.
    List<String> taken = new ArrayList<>();
    DatabaseCache cache = topology.northbound().cache();
    topology.northbound().logicalSwitch(n.name()).ifPresent(ls -> ls.ports().forEach(u ->
        cache.row(LogicalSwitchPort.TABLE_NAME, u).ifPresent(r -> {
          if (r.has(LogicalSwitchPort.ADDRESSES)) {
            taken.addAll(r.<String>set(LogicalSwitchPort.ADDRESSES));
          }
          if (r.has(LogicalSwitchPort.DYNAMIC_ADDRESSES)) {
            r.<String>optional(LogicalSwitchPort.DYNAMIC_ADDRESSES).ifPresent(taken::add);
          }
        })));
    inFlight.values().stream().filter(f -> f.network().equals(n.name())).map(InFlight::entry).forEach(taken::add);
    return new AddressPool(n, taken);
  }

  /** Drops in-flight entries the cache now shows. */
  private void forgetSeen() {
    DatabaseCache cache = topology.northbound().cache();
    inFlight.keySet().removeIf(name -> cache.lookupOne(LogicalSwitchPort.TABLE_NAME, LogicalSwitchPort.NAME, name).isPresent());
  }

  private static String printable(String s) {
    return io.ovnmesos.topology.Names.printable(s);
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
