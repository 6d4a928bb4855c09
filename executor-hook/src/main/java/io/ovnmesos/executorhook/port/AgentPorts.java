package io.ovnmesos.executorhook.port;

import io.ovnmesos.executorhook.AttachFailure;
import io.ovnmesos.executorhook.cni.CniRequest;
import io.ovnmesos.executorhook.mesos.ExecutorSandboxes;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbTimeoutException;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.OvsdbTransactionException;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.access.TenantAccess;
import java.util.function.Supplier;
import io.ovnmesos.topology.port.AddressGuard;
import io.ovnmesos.topology.port.NorthboundPorts;
import io.ovnmesos.topology.port.PortMarks;
import io.ovnmesos.topology.port.PortPlan;
import io.ovnmesos.topology.port.PortPlanner;
import io.ovnmesos.topology.port.PortRequest;
import io.ovnmesos.topology.port.TaskPort;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logical switch ports that the agent makes itself, for interfaces whose port the framework did not
 * provide (or while the framework is unreachable). What the port is comes from {@link PortPlanner},
 * as for the framework's own; each insert carries the {@link AddressGuard}, so an address another
 * writer gave out meanwhile is never given twice: the agent then plans again. Marked so that DEL, and
 * reconciliation, know the agent made them.
 */
public final class AgentPorts implements PortSource {
  private static final Logger LOG = LoggerFactory.getLogger(AgentPorts.class);
  /** How long an ADD keeps planning again while other writers add ports to the same switch. */
  private static final Duration CONFLICT_WINDOW = Duration.ofSeconds(10);
  private static final Duration CACHE_WAIT = Duration.ofSeconds(5);

  private final Topology topology;
  private final String chassis;
  private final Supplier<TenantAccess> access;
  private final Runnable onCreate;
  /** Ports this agent committed (or is committing) that its cache does not show yet. */
  private final Map<String, NorthboundPorts.Pending> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param access the tenant rules the ports made here follow
   * @param onCreate runs each time the agent has to make a port itself (for a metric)
   */
  public AgentPorts(Topology topology, String chassis, Supplier<TenantAccess> access, Runnable onCreate) {
    this.topology = topology;
    this.chassis = chassis;
    this.access = access;
    this.onCreate = onCreate;
  }

  /** The ports this chassis' agent made, by name. */
  public Map<String, LogicalSwitchPort> ownPorts() {
    Map<String, LogicalSwitchPort> out = new HashMap<>();
    for (var r : topology.northbound().cache().rows(LogicalSwitchPort.TABLE_NAME)) {
      LogicalSwitchPort p = LogicalSwitchPort.from(r);
      if (PortMarks.OWNER_AGENT.equals(p.externalIds().get(PortMarks.OWNER)) && chassis.equals(p.externalIds().get(PortMarks.CHASSIS))) {
        out.put(p.name(), p);
      }
    }
    return out;
  }

  /** The port name for a container interface. */
  public static String portName(String containerId, String ifName) {
    return "cni-" + containerId + "-" + ifName;
  }

  /** The port for the request's interface, with no task identity known: the one made by an earlier attempt, or a new one. */
  @Override
  public TaskPort ensure(CniRequest req) {
    return ensure(req, Optional.empty());
  }

  /** The agent's own port for the request's interface; {@code identity} is who the task runs as, if known. */
  public TaskPort ensure(CniRequest req, Optional<PortRequest.Identity> identity) {
    return make(ownRequest(req, chassis, identity), req);
  }

  /**
   * The port the framework would have made for the request's interface, made here because the
   * framework could not answer (see {@link #frameworkRequest}).
   */
  public TaskPort ensureForFramework(CniRequest req, ExecutorSandboxes.Owner owner, Optional<PortRequest.Identity> identity) {
    return make(frameworkRequest(req, owner, chassis, identity), req);
  }

  /** The request for the agent's own port of a container interface, on {@code chassis}. */
  public static PortRequest ownRequest(CniRequest req, String chassis, Optional<PortRequest.Identity> identity) {
    Map<String, String> marks = containerMarks(req, chassis);
    marks.put(PortMarks.OWNER, PortMarks.OWNER_AGENT);
    return new PortRequest(portName(req.containerId(), req.ifName()), req.labels(), marks,
        Map.of("iface-id-ver", req.containerId()), "", identity);
  }

  /**
   * The request for the port the framework would have made: same name and marks as the framework's
   * own (so the framework adopts it, keeps it while the task lives, deletes it when the task ends, and
   * removes it at its next reconcile if its tenant rules refuse it), plus {@link PortMarks#MADE_BY}
   * naming the agent, and the container and chassis.
   */
  public static PortRequest frameworkRequest(CniRequest req, ExecutorSandboxes.Owner owner, String chassis,
      Optional<PortRequest.Identity> identity) {
    Map<String, String> marks = containerMarks(req, chassis);
    marks.put(PortMarks.OWNER, PortMarks.OWNER_FRAMEWORK);
    marks.put(PortMarks.MADE_BY, PortMarks.OWNER_AGENT);
    marks.put(PortMarks.AGENT_ID, owner.agentId());
    marks.put(PortMarks.FRAMEWORK_ID, owner.frameworkId());
    marks.put(PortMarks.EXECUTOR_ID, owner.executorId());
    return new PortRequest(PortMarks.frameworkPortName(owner.frameworkId(), owner.executorId(), req.ifName()),
        req.labels(), marks, Map.of(), owner.agentId(), identity);
  }

  private static Map<String, String> containerMarks(CniRequest req, String chassis) {
    Map<String, String> marks = new HashMap<>();
    marks.put(PortMarks.CONTAINER_ID, req.containerId());
    marks.put(PortMarks.IF_NAME, req.ifName());
    marks.put(PortMarks.CHASSIS, chassis);
    return marks;
  }

  private TaskPort make(PortRequest request, CniRequest req) {
    Optional<TaskPort> existing = find(request.name());
    if (existing.isPresent()) {
      return existing.get();
    }
    long deadline = System.nanoTime() + CONFLICT_WINDOW.toNanos();
    while (true) {
      NorthboundPorts context = new NorthboundPorts(topology, inFlight::values);
      PortPlan plan;
      // Planned one at a time, each seeing the others' ports on their way: two ADDs here on two
      // switches (the guard covers one) never give this agent one address twice.
      synchronized (inFlight) {
        plan = new PortPlanner(context, access.get()).plan(request);
        if (plan instanceof PortPlan.Create c) {
          inFlight.put(request.name(), new NorthboundPorts.Pending(c.network().name(), c.address().ovn(), request.agentId()));
        }
      }
      if (plan instanceof PortPlan.Refused refused) {
        LOG.warn("No port for {} {}: {}", req.containerId(), req.ifName(), refused.refusal().message());
        throw AttachFailure.refused(refused.refusal(), "the agent made no port itself");
      }
      PortPlan.Create create = (PortPlan.Create) plan;
      // The switch as planned from: a port another writer added since must abort this one.
      LogicalSwitch cached = context.switchAsRead(create.network().name()).orElseThrow();
      Transaction t = topology.northbound().transaction();
      int nameGuard = t.size();
      t.guardAbsent(LogicalSwitchPort.TABLE_NAME, List.of(Condition.eq(LogicalSwitchPort.NAME, request.name())));
      int addressGuard = AddressGuard.agent(t, cached);
      NamedUuid lsp = t.insert(LogicalSwitchPort.TABLE_NAME, create.row());
      t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.uuid(cached.uuid())),
          List.of(Mutation.insert(LogicalSwitch.PORTS, List.of(lsp))));
      t.comment("ovn-mesos agent: port " + request.name() + " for container " + req.containerId() + " " + req.ifName());
      try {
        OvsdbClient.join(t.commit());
        onCreate.run();
        // On its way until the cache shows it.
        topology.northbound().cache().await("port " + request.name(), CACHE_WAIT, c -> find(request.name()))
            .whenComplete((seen, e) -> inFlight.remove(request.name()));
        return create.port();
      } catch (RuntimeException e) {
        inFlight.remove(request.name());
        if (!(e instanceof OvsdbTransactionException)) {
          throw e;
        }
        if (AddressGuard.isConflict(e, List.of(nameGuard))) {
          // Made meanwhile under the same name (by the framework): that one is the port.
          return awaitPort(request.name());
        }
        if (!AddressGuard.isConflict(e, List.of(addressGuard)) || System.nanoTime() > deadline) {
          throw e;
        }
        LOG.debug("Ports changed on {} while {} was planned; planning again", cached.name(), request.name());
        awaitChanged(cached);
      }
    }
  }

  private Optional<TaskPort> find(String name) {
    return topology.northbound().switchPort(name).flatMap(p -> topology.networks()
        .find(p.externalIds().getOrDefault(Ownership.NETWORK, "")).flatMap(n -> TaskPort.from(p, n)));
  }

  private TaskPort awaitPort(String name) {
    try {
      return OvsdbClient.join(topology.northbound().cache().await("port " + name, CACHE_WAIT, c -> find(name)));
    } catch (OvsdbTimeoutException e) {
      throw AttachFailure.tryLater("port " + name + " was made by another writer and is not "
          + "readable yet", "retry the ADD");
    }
  }

  /** Until the cache shows the switch's ports differ from {@code cached}'s (a bounded wait: planning again is safe anyway). */
  private void awaitChanged(LogicalSwitch cached) {
    try {
      OvsdbClient.join(topology.northbound().cache().await("ports of " + cached.name() + " to change", CACHE_WAIT,
          c -> topology.northbound().logicalSwitch(cached.name()).map(now -> !now.ports().equals(cached.ports()))
              .orElse(true) ? Optional.of(true) : Optional.empty()));
    } catch (OvsdbTimeoutException e) {
      LOG.debug("The cache did not show {} change in time", cached.name());
    }
  }

  /** Removes the agent's port of a container interface; false if there was none (or it is not the agent's). */
  @Override
  public boolean release(String containerId, String ifName) {
    Optional<LogicalSwitchPort> port = topology.northbound().switchPort(portName(containerId, ifName))
        .filter(p -> PortMarks.OWNER_AGENT.equals(p.externalIds().get(PortMarks.OWNER)));
    if (port.isEmpty()) {
      return false;
    }
    delete(port.get(), "ovn-mesos agent: release port for container " + containerId + " " + ifName);
    return true;
  }

  private void delete(LogicalSwitchPort port, String comment) {
    Transaction t = topology.northbound().transaction();
    t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, port.externalIds().get(Ownership.NETWORK))),
        List.of(Mutation.delete(LogicalSwitch.PORTS, List.of(port.uuid()))));
    t.comment(comment);
    OvsdbClient.join(t.commit());
  }

  /**
   * Removes port {@code name} if this agent made it for container {@code containerId} under the
   * framework's name; false if there was none, or another agent or the framework made it.
   */
  public boolean releaseMadeHere(String name, String containerId) {
    Optional<LogicalSwitchPort> port = topology.northbound().switchPort(name).filter(p -> {
      Map<String, String> ids = p.externalIds();
      return PortMarks.OWNER_AGENT.equals(ids.get(PortMarks.MADE_BY)) && chassis.equals(ids.get(PortMarks.CHASSIS))
          && containerId.equals(ids.get(PortMarks.CONTAINER_ID));
    });
    if (port.isEmpty()) {
      return false;
    }
    delete(port.get(), "ovn-mesos agent: release port " + name + " made here for container " + containerId);
    return true;
  }

  /** The port of a container interface, if it exists. */
  @Override
  public Optional<TaskPort> find(String containerId, String ifName) {
    return find(portName(containerId, ifName));
  }
}
