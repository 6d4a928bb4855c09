package io.ovnmesos.framework.port;

import io.ovnmesos.framework.dns.DnsEdits;
import io.ovnmesos.framework.ha.FencingEpoch;
import io.ovnmesos.framework.metrics.FrameworkMetrics;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.topology.network.Network;
import io.ovnmesos.topology.port.AddressGuard;
import io.ovnmesos.topology.port.NorthboundPorts;
import io.ovnmesos.topology.port.PortMarks;
import io.ovnmesos.topology.port.PortPlan;
import io.ovnmesos.topology.port.PortPlanner;
import io.ovnmesos.topology.port.PortRefusal;
import io.ovnmesos.topology.port.TaskPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of task ports: turns creates, deletes, repairs and annotations into Northbound
 * operations, batch by batch, for a {@link BatchCommitter} that queues, commits, retries and
 * fences them. What each port is comes from {@link PortPlanner}; a batch that adds ports to a
 * switch also carries the {@link AddressGuard}, so an address an agent gave out meanwhile is never
 * given out again: such a batch is planned again once the cache shows the agent's port.
 */
public final class PortWriter implements AutoCloseable, BatchCommitter.Planner<PortWriter.Change> {
  private static final Logger LOG = LoggerFactory.getLogger(PortWriter.class);

  /** What became of requests, for claims and bookkeeping; called on the writer's thread. */
  public interface Listener {
    void created(TaskPort port);

    void refused(String name, PortRefusal refusal);

    void deleted(String name);
  }

  /** One change to one port, keyed by the port's name. */
  sealed interface Change extends BatchCommitter.Keyed permits Create, Delete, Repair, Annotate, Names, Records {}

  private record Create(WantedPort port, long receivedNanos) implements Change {
    public String key() {
      return port.name();
    }
  }

  private record Delete(String key, String why) implements Change {}

  private record Repair(WantedPort port) implements Change {
    public String key() {
      return port.name();
    }
  }

  private record Annotate(String key, String containerId) implements Change {}

  /** A name and the ports it stands for now; {@code receivedNanos}: when the event that changed them was received. */
  private record Names(String name, Set<String> ports, long receivedNanos) implements Change {
    public String key() {
      return "dns " + name;
    }
  }

  /** What a tenant's DNS row is to hold, in full. */
  private record Records(String tenant, Map<String, String> wanted) implements Change {
    public String key() {
      return "dns-row " + tenant;
    }
  }

  private final Topology topology;
  private final TenantAccess access;
  private final FrameworkMetrics metrics;
  private final Listener listener;
  private final BatchCommitter<Change> committer;
  private final Optional<DnsEdits> dns;
  /** Ports committed (or being committed) but not yet seen in the cache: their network and address entry. */
  private final Map<String, NorthboundPorts.Pending> inFlight = new ConcurrentHashMap<>();

  /**
   * A writer that queues requests at once but writes none until {@code writable} completes (and
   * none at all if it fails).
   *
   * @param onFenced told that another replica took a newer epoch: this one has stopped writing
   * @param names whether tasks' names are written (a deleted port's reverse names go with it)
   */
  public PortWriter(Topology topology, FencingEpoch fencing, CompletableFuture<Void> writable, TenantAccess access,
      FrameworkMetrics metrics, Listener listener, Runnable onFenced, boolean names) {
    this.topology = topology;
    this.dns = names ? Optional.of(new DnsEdits(topology)) : Optional.empty();
    this.access = access;
    this.metrics = metrics;
    this.listener = listener;
    this.committer = new BatchCommitter<>("port-writer", () -> topology.northbound().transaction(), fencing::guard, writable,
        this, onFenced, metrics);
    committer.start();
  }

  /** Completes once this writer may write (it never does if that fails). */
  public CompletableFuture<Void> writable() {
    return committer.writable();
  }

  /** Asks for the port of {@code port}; {@code receivedNanos} is when its task was announced. */
  public void create(WantedPort port, long receivedNanos) {
    committer.submit(new Create(port, receivedNanos));
  }

  /** Asks for the port named {@code name} to go; nothing happens if there is none. */
  public void delete(String name, String why) {
    committer.submit(new Delete(name, why));
  }

  /** Asks for the port of {@code port} to be made again what its task asks, if it drifted; nothing happens if there is none. */
  public void repair(WantedPort port) {
    committer.submit(new Repair(port));
  }

  /** Records the container a port was claimed for (shown by {@code ovn-mesos show}). */
  public void annotate(String name, String containerId) {
    committer.submit(new Annotate(name, containerId));
  }

  /**
   * Makes the name {@code name} stand for the addresses of {@code ports} (none: the name goes);
   * {@code receivedNanos} is when the event that changed them was received.
   */
  public void names(String name, Set<String> ports, long receivedNanos) {
    committer.submit(new Names(name, Set.copyOf(ports), receivedNanos));
  }

  /** Makes {@code tenant}'s DNS row hold exactly {@code wanted}, made and attached if need be. */
  public void records(String tenant, Map<String, String> wanted) {
    committer.submit(new Records(tenant, Map.copyOf(wanted)));
  }

  /**
   * A create or delete takes the place of anything; a repair or annotation never takes the place of
   * a create or delete; a name's or a row's latest state takes the place of the one before.
   */
  @Override
  public boolean replaces(Change later, Change earlier) {
    return later instanceof Create || later instanceof Delete || earlier instanceof Repair || earlier instanceof Annotate
        || later instanceof Names || later instanceof Records;
  }

  /** One batch's operations, and what to do once they commit. */
  private final class Planned implements BatchCommitter.Batch {
    final List<Change> requests;
    final List<Runnable> onCommit = new ArrayList<>();
    final List<Delete> deferred = new ArrayList<>();
    final Map<Integer, LogicalSwitch> guards = new HashMap<>();
    final Optional<DnsEdits.Batch> names = dns.map(DnsEdits::batch);
    int created;
    int deleted;
    int repaired;

    Planned(List<Change> requests) {
      this.requests = requests;
    }

    @Override
    public String describe() {
      return "ovn-mesos framework: " + created + " port(s) created, " + deleted + " deleted, " + repaired + " repaired";
    }

    @Override
    public void committed() {
      metrics.provisioned(created);
      metrics.deleted(deleted);
      onCommit.forEach(Runnable::run);
      if (!deferred.isEmpty()) {
        // Our own commit is on its way to the cache; the deletes look again once it is there.
        topology.northbound().cache().await("ports just created", Duration.ofSeconds(5), c -> deferred.stream()
            .allMatch(d -> topology.northbound().switchPort(d.key()).isPresent()) ? Optional.of(true) : Optional.empty())
            .whenComplete((seen, e) -> {
              if (e != null) {
                deferred.forEach(d -> inFlight.remove(d.key())); // never arrived: nothing to delete
              }
              committer.submitAll(List.copyOf(deferred));
            });
      }
    }

    @Override
    public void failed() {
      requests.stream().filter(r -> r instanceof Create).forEach(r -> inFlight.remove(r.key()));
      names.ifPresent(DnsEdits.Batch::failed);
    }

    @Override
    public boolean conflict(RuntimeException e) {
      if (!AddressGuard.isConflict(e, guards.keySet())) {
        return false;
      }
      // An agent gave out addresses on a switch meanwhile: plan the batch again once the cache shows them.
      LOG.info("An agent added ports to {} while a batch of {} change(s) was planned; planning it again",
          guards.values().stream().map(LogicalSwitch::name).toList(), requests.size());
      metrics.error("address_conflict");
      awaitChanged(guards.values());
      return true;
    }
  }

  @Override
  public BatchCommitter.Batch plan(List<Change> requests, Transaction t) {
    forgetSeen();
    NorthboundPorts context = new NorthboundPorts(topology, inFlight::values);
    PortPlanner planner = new PortPlanner(context, access);
    Planned batch = new Planned(requests);
    Map<String, List<Object>> added = new LinkedHashMap<>();
    Map<String, List<Uuid>> removed = new LinkedHashMap<>();
    for (Change r : requests) {
      if (r instanceof Create c) {
        planCreate(c, t, planner, added, removed, batch);
      } else if (r instanceof Delete d) {
        planDelete(d, removed, batch);
      } else if (r instanceof Repair rp) {
        topology.northbound().switchPort(rp.key()).flatMap(p -> planner.repair(rp.port().request(), p)).ifPresent(repair -> {
          t.update(LogicalSwitchPort.TABLE_NAME, List.of(Condition.uuid(repair.uuid())), repair.columns());
          batch.repaired++;
        });
      } else if (r instanceof Names n) {
        batch.names.ifPresent(b -> {
          b.name(n.name(), n.ports(), port -> Optional.ofNullable(inFlight.get(port)));
          batch.onCommit.add(() -> metrics.nameReadyAfter(Duration.ofNanos(System.nanoTime() - n.receivedNanos())));
        });
      } else if (r instanceof Records rec) {
        batch.names.ifPresent(b -> b.records(rec.tenant(), rec.wanted()));
      } else if (r instanceof Annotate a) {
        topology.northbound().switchPort(a.key())
            .filter(p -> !a.containerId().equals(p.externalIds().get(PortMarks.CONTAINER_ID)))
            .ifPresent(p -> t.mutate(LogicalSwitchPort.TABLE_NAME, List.of(Condition.uuid(p.uuid())), List.of(
                Mutation.delete(LogicalSwitchPort.EXTERNAL_IDS, List.of(PortMarks.CONTAINER_ID)),
                Mutation.insert(LogicalSwitchPort.EXTERNAL_IDS, Map.of(PortMarks.CONTAINER_ID, a.containerId())))));
      }
    }
    added.forEach((ls, uuids) -> {
      // The switch as planned from, not as the cache shows it now: an agent's port that arrived meanwhile must abort.
      context.switchAsRead(ls).ifPresent(planned -> batch.guards.put(AddressGuard.framework(t, planned), planned));
      t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, ls)),
          List.of(Mutation.insert(LogicalSwitch.PORTS, uuids)));
    });
    removed.forEach((ls, uuids) -> t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, ls)),
        List.of(Mutation.delete(LogicalSwitch.PORTS, uuids))));
    batch.names.ifPresent(b -> b.write(t));
    return batch;
  }

  private void planDelete(Delete d, Map<String, List<Uuid>> removed, Planned batch) {
    Optional<LogicalSwitchPort> existing = topology.northbound().switchPort(d.key());
    if (existing.isEmpty()) {
      if (inFlight.containsKey(d.key())) {
        batch.deferred.add(d); // committed, not yet in the cache: delete once it is
      } else {
        batch.onCommit.add(() -> listener.deleted(d.key()));
      }
      return;
    }
    LogicalSwitchPort p = existing.get();
    String network = p.externalIds().get(Ownership.NETWORK);
    if (!PortMarks.OWNER_FRAMEWORK.equals(p.externalIds().get(PortMarks.OWNER)) || network == null) {
      return; // never touch what is not ours
    }
    removed.computeIfAbsent(network, k -> new ArrayList<>()).add(p.uuid());
    batch.names.ifPresent(b -> b.portGone(p));
    batch.deleted++;
    batch.onCommit.add(() -> listener.deleted(d.key()));
  }

  private void planCreate(Create c, Transaction t, PortPlanner planner, Map<String, List<Object>> added,
      Map<String, List<Uuid>> removed, Planned batch) {
    WantedPort w = c.port();
    String name = w.name();
    Optional<LogicalSwitchPort> existing = topology.northbound().switchPort(name);
    if (existing.isPresent() || inFlight.containsKey(name)) {
      existing.ifPresent(p -> answerExisting(w, p, t, planner, removed, batch));
      return;
    }
    PortPlan plan = planner.plan(w.request());
    if (plan instanceof PortPlan.Refused refused) {
      PortRefusal r = refused.refusal();
      LOG.warn("No port for task {} ({} of framework {}): {}", w.taskId(), w.ifName(), w.frameworkId(), r.message());
      metrics.refused(r.reason().name());
      batch.onCommit.add(() -> listener.refused(name, r));
      return;
    }
    PortPlan.Create create = (PortPlan.Create) plan;
    NamedUuid row = t.insert(LogicalSwitchPort.TABLE_NAME, create.row());
    added.computeIfAbsent(create.network().name(), k -> new ArrayList<>()).add(row);
    inFlight.put(name, new NorthboundPorts.Pending(create.network().name(), create.address().ovn(), w.agentId()));
    batch.created++;
    batch.onCommit.add(() -> {
      metrics.readyAfter(Duration.ofNanos(System.nanoTime() - c.receivedNanos()));
      listener.created(create.port());
    });
  }

  /**
   * Idempotent: the port is there; answer with what it has. One an agent made while this framework
   * could not answer lacks the task's id, which only the master knows, and was made under the
   * tenant rules the agent could read: this framework's apply now.
   */
  private void answerExisting(WantedPort w, LogicalSwitchPort p, Transaction t, PortPlanner planner,
      Map<String, List<Uuid>> removed, Planned batch) {
    Optional<Network> network = topology.networks().find(p.externalIds().getOrDefault(Ownership.NETWORK, ""));
    boolean agentMade = PortMarks.agentMadeForFramework(p.externalIds());
    if (agentMade && network.isPresent()) {
      Optional<PortRefusal> denied = planner.authorize(w.request(), network.get());
      if (denied.isPresent()) {
        PortRefusal r = new PortRefusal(denied.get().reason(), denied.get().message()
            + "; removing the port an agent made for it");
        LOG.warn("Port {} for task {}: {}", p.name(), w.taskId(), r.message());
        metrics.refused(r.reason().name());
        removed.computeIfAbsent(network.get().name(), k -> new ArrayList<>()).add(p.uuid());
        batch.onCommit.add(() -> listener.refused(p.name(), r));
        return;
      }
      if (!p.externalIds().containsKey(PortMarks.TASK_ID)) {
        t.mutate(LogicalSwitchPort.TABLE_NAME, List.of(Condition.uuid(p.uuid())),
            List.of(Mutation.insert(LogicalSwitchPort.EXTERNAL_IDS, Map.of(PortMarks.TASK_ID, w.taskId()))));
      }
    }
    network.flatMap(n -> TaskPort.from(p, n)).ifPresent(port -> batch.onCommit.add(() -> listener.created(port)));
  }

  /** Waits (a bounded time) until the cache shows each switch's marks changed from {@code guarded}, or the switch gone. */
  private void awaitChanged(Collection<LogicalSwitch> guarded) {
    try {
      OvsdbClient.join(topology.northbound().cache().await("an agent's ports", Duration.ofSeconds(5), c -> guarded.stream()
          .allMatch(g -> topology.northbound().logicalSwitch(g.name()).map(now -> !now.externalIds().equals(g.externalIds()))
              .orElse(true)) ? Optional.of(true) : Optional.empty()));
    } catch (RuntimeException e) {
      LOG.warn("The cache did not show the agent's ports in time; planning again anyway: {}", e.getMessage());
    }
  }

  /** Drops in-flight entries the cache now shows. */
  private void forgetSeen() {
    var cache = topology.northbound().cache();
    inFlight.keySet().removeIf(name -> cache.lookupOne(LogicalSwitchPort.TABLE_NAME, LogicalSwitchPort.NAME, name).isPresent());
  }

  @Override
  public void close() {
    committer.close();
  }
}
