package io.ovnmesos.executorhook.port;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.ovnmesos.proto.tls.GrpcTls;
import io.ovnmesos.executorhook.AttachFailure;
import io.ovnmesos.executorhook.cni.CniRequest;
import io.ovnmesos.executorhook.mesos.CheckpointedTasks;
import io.ovnmesos.executorhook.mesos.ExecutorSandboxes;
import io.ovnmesos.proto.v1.ClaimRefusal;
import io.ovnmesos.proto.v1.ClaimRequest;
import io.ovnmesos.proto.v1.ClaimResponse;
import io.ovnmesos.proto.v1.ClaimTrailers;
import io.ovnmesos.proto.v1.InterfaceRef;
import io.ovnmesos.proto.v1.PortClaimsGrpc;
import io.ovnmesos.proto.v1.RefusalReason;
import io.ovnmesos.proto.v1.TenantRulesRequest;
import io.ovnmesos.topology.access.TenantAccess;
import java.util.function.Supplier;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.port.PortMarks;
import io.ovnmesos.topology.port.PortRefusal;
import io.ovnmesos.topology.port.PortRequest;
import io.ovnmesos.topology.port.TaskPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ports the framework made for tasks, claimed over gRPC: the container's framework and executor come
 * from its sandbox path, the framework answers with the port (waiting a bounded time for a task it
 * has not seen yet). Replicas are tried in turn; a standby answers UNAVAILABLE. When no replica can
 * be reached in the claim window, the framework does not know the task, or the container has no
 * sandbox, the agent makes the port itself (if allowed), so no task's network depends on the
 * framework being up. A port the framework refused is never made here: its refusal stands.
 */
public final class FrameworkPorts implements PortSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FrameworkPorts.class);
  private final ExecutorSandboxes sandboxes;
  private final Topology topology;
  private final AgentPorts leftovers;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Duration wait;
  private final boolean fallback;
  private final CheckpointedTasks checkpoints;
  private final Supplier<Optional<TenantAccess>> rules;
  private volatile int preferred;

  /**
   * @param frameworks the replicas' gRPC addresses, host:port
   * @param tls TLS to the replicas, if they serve it
   * @param leftovers ports the agent made itself earlier (in standalone mode), still released on DEL
   * @param wait how long the framework may wait for a task it has not seen yet
   * @param fallback whether the agent makes the port itself when the framework cannot give one
   * @param checkpoints what the agent checkpointed of the tasks, for their roles and principal
   * @param rules the framework's tenant rules as last heard, which the ports made here follow; none: none made here
   */
  public FrameworkPorts(List<String> frameworks, Optional<GrpcTls> tls, ExecutorSandboxes sandboxes, Topology topology,
      AgentPorts leftovers, Duration wait, boolean fallback, CheckpointedTasks checkpoints,
      Supplier<Optional<TenantAccess>> rules) throws javax.net.ssl.SSLException {
    this.rules = rules;
    this.fallback = fallback;
    this.checkpoints = checkpoints;
    this.sandboxes = sandboxes;
    this.topology = topology;
    this.leftovers = leftovers;
    this.wait = wait;
    var context = tls.isPresent() ? tls.get().clientContext() : null;
    for (String f : frameworks) {
      NettyChannelBuilder b = NettyChannelBuilder.forTarget(f);
      channels.add((context == null ? b.usePlaintext() : b.sslContext(context)).build());
    }
  }

  @Override
  public TaskPort ensure(CniRequest req) {
    // A retried ADD, or one the agent served before, finds its own port again.
    if (leftovers.find(req.containerId(), req.ifName()).isPresent()) {
      return leftovers.ensure(req);
    }
    Optional<ExecutorSandboxes.Owner> owner = sandboxes.find(req.containerId());
    try {
      return claim(req, owner.orElseThrow(() -> new FrameworkUnavailable("no executor sandbox of container "
          + req.containerId() + " under the agent's work directory, so its task is unknown",
          "is --mesos-work-dir the agent's --work_dir?")));
    } catch (FrameworkUnavailable e) {
      if (!fallback) {
        throw AttachFailure.tryLater(e.getMessage(), e.details);
      }
      if (rules.get().isEmpty()) {
        throw AttachFailure.tryLater(e.getMessage() + "; this agent has not yet heard the framework's tenant rules, so it "
            + "makes no port itself", e.details);
      }
      LOG.warn("Making the port of {} {} here: {} ({})", req.containerId(), req.ifName(), e.getMessage(), e.details);
      // The task's roles and principal as the agent checkpointed them, for the tenant rules.
      Optional<PortRequest.Identity> identity = owner.flatMap(o -> checkpoints.find(o, req.containerId()))
          .map(who -> new PortRequest.Identity(List.copyOf(new java.util.TreeSet<>(who.roles())), who.principal()));
      // Under the framework's own name when the task's framework and executor are known, so the
      // framework adopts it when it is back instead of making a second one.
      return owner.map(o -> leftovers.ensureForFramework(req, o, identity)).orElseGet(() -> leftovers.ensure(req, identity));
    }
  }

  /** The tenant rules of the first replica that answers; empty if none does. */
  public Optional<List<String>> tenantRules() {
    for (ManagedChannel channel : channels) {
      try {
        return Optional.of(PortClaimsGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
            .tenantRules(TenantRulesRequest.getDefaultInstance()).getRulesList());
      } catch (StatusRuntimeException e) {
        // the next replica
      }
    }
    return Optional.empty();
  }

  /** The framework could not give a port: unreachable, no leader, or the task unknown to it. */
  private static final class FrameworkUnavailable extends RuntimeException {
    final String details;

    FrameworkUnavailable(String message, String details) {
      super(message, null, false, false);
      this.details = details;
    }
  }

  private TaskPort claim(CniRequest req, ExecutorSandboxes.Owner owner) {
    ClaimRequest claim = ClaimRequest.newBuilder().setInterface(InterfaceRef.newBuilder().setContainerId(req.containerId())
        .setInterfaceName(req.ifName()).setAgentId(owner.agentId()).setFrameworkId(owner.frameworkId())
        .setExecutorId(owner.executorId())).setWaitMillis((int) wait.toMillis()).build();
    // Every replica in turn; while none leads or answers (a failover, a restart), again after a
    // growing pause, for as long as the claim may wait.
    long deadline = System.nanoTime() + wait.toNanos();
    long pauseMillis = 50;
    List<String> unavailable = new ArrayList<>();
    while (true) {
      unavailable.clear();
      for (int i = 0; i < channels.size(); i++) {
        int index = (preferred + i) % channels.size();
        try {
          ClaimResponse r = PortClaimsGrpc.newBlockingStub(channels.get(index))
              .withDeadlineAfter(wait.toMillis() + 5_000, TimeUnit.MILLISECONDS).claim(claim);
          preferred = index;
          return new TaskPort(r.getLogicalSwitchPort(), r.getLogicalSwitch(), r.getMac(), r.getAddressesList(),
              r.getGatewaysList(), r.getMtu() == 0 ? Optional.empty() : Optional.of(r.getMtu()),
              r.getDns().getNameserversList(), r.getTaskId(), r.getFrameworkId(), r.getDns().getSearchList());
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
            throw new FrameworkUnavailable("the ovn-mesos framework does not know this container's task",
                e.getStatus().getDescription());
          }
          if (e.getStatus().getCode() != Status.Code.UNAVAILABLE && e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
            throw refusal(e, req);
          }
          unavailable.add(channels.get(index).authority() + ": " + e.getStatus().getCode() + " "
              + e.getStatus().getDescription());
        }
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new FrameworkUnavailable("no ovn-mesos framework replica is leading or reachable", String.join("; ", unavailable));
      }
      try {
        TimeUnit.MILLISECONDS.sleep(Math.min(pauseMillis, left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw AttachFailure.tryLater("interrupted while waiting for the framework", "");
      }
      pauseMillis = Math.min(pauseMillis * 2, 1_000);
    }
  }

  /** The framework's answer: a refusal by its reason, anything else as "try again later". */
  private static AttachFailure refusal(StatusRuntimeException e, CniRequest req) {
    Metadata trailers = e.getTrailers();
    String details = "the ovn-mesos framework gave no port for " + req.ifName();
    Optional<PortRefusal> refused = Optional.ofNullable(trailers).map(t -> t.get(ClaimTrailers.REFUSAL))
        .flatMap(FrameworkPorts::fromWire);
    return refused.map(r -> AttachFailure.refused(r, details)).orElseGet(() -> AttachFailure.tryLater(
        details + ": " + e.getStatus().getDescription(), e.getStatus().getCode().name()));
  }

  /** A refusal as the framework sent it; empty if its reason is one this agent does not know. */
  public static Optional<PortRefusal> fromWire(ClaimRefusal wire) {
    if (wire.getReason() == RefusalReason.REFUSAL_REASON_UNSPECIFIED || wire.getReason() == RefusalReason.UNRECOGNIZED) {
      return Optional.empty();
    }
    return Optional.of(new PortRefusal(PortRefusal.Reason.valueOf(wire.getReason().name()), wire.getMessage()));
  }

  @Override
  public boolean release(String containerId, String ifName) {
    // The framework deletes its ports when the master says the task ended; DEL must work without it.
    // A port this agent made under the framework's name goes with its container, as the agent's own
    // do: its task may have ended while the claim waited, and then no one else would delete it.
    boolean released = leftovers.release(containerId, ifName);
    return sandboxes.find(containerId).map(o -> leftovers.releaseMadeHere(
        PortMarks.frameworkPortName(o.frameworkId(), o.executorId(), ifName), containerId)).orElse(false) || released;
  }

  @Override
  public Optional<TaskPort> find(String containerId, String ifName) {
    Optional<TaskPort> own = leftovers.find(containerId, ifName);
    if (own.isPresent()) {
      return own;
    }
    return sandboxes.find(containerId).flatMap(o -> topology.northbound().switchPort(
        PortMarks.frameworkPortName(o.frameworkId(), o.executorId(), ifName))).flatMap(p -> topology.networks().find(p.externalIds().getOrDefault(Ownership.NETWORK, ""))
        .flatMap(n -> TaskPort.from(p, n)));
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
  }
}
