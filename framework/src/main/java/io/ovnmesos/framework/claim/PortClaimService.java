package io.ovnmesos.framework.claim;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.ovnmesos.framework.metrics.FrameworkMetrics;
import io.ovnmesos.framework.port.PortWriter;
import io.ovnmesos.proto.v1.ClaimRequest;
import io.ovnmesos.proto.v1.ClaimRefusal;
import io.ovnmesos.proto.v1.ClaimResponse;
import io.ovnmesos.proto.v1.ClaimTrailers;
import io.ovnmesos.proto.v1.Dns;
import io.ovnmesos.proto.v1.InterfaceRef;
import io.ovnmesos.proto.v1.PortClaimsGrpc;
import io.ovnmesos.proto.v1.RefusalReason;
import io.ovnmesos.proto.v1.TenantRulesRequest;
import io.ovnmesos.proto.v1.TenantRulesResponse;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.topology.port.PortMarks;
import io.ovnmesos.topology.port.PortRefusal;
import io.ovnmesos.topology.port.TaskPort;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The PortClaims gRPC service: the executor hook's way to get the port made for a container's
 * interface. Answered on the leader only; a standby says UNAVAILABLE so the hook tries the next
 * replica.
 */
public final class PortClaimService extends PortClaimsGrpc.PortClaimsImplBase {
  /** Longest a claim may wait for its task to appear. */
  static final int MAX_WAIT_MILLIS = 60_000;

  private final FrameworkMetrics metrics;
  private final TenantAccess access;
  private final Optional<String> domain;
  private volatile ClaimBoard board;
  private volatile PortWriter writer;

  /** @param access the tenant rules, handed to agents for the ports they make themselves */
  public PortClaimService(FrameworkMetrics metrics, TenantAccess access) {
    this(metrics, access, Optional.empty());
  }

  /** @param domain the domain tasks are named under (their resolver searches it), empty if none */
  public PortClaimService(FrameworkMetrics metrics, TenantAccess access, Optional<String> domain) {
    this.metrics = metrics;
    this.access = access;
    this.domain = domain;
  }

  /** Any replica answers: the rules are configuration, the same on every one. */
  @Override
  public void tenantRules(TenantRulesRequest request, StreamObserver<TenantRulesResponse> response) {
    response.onNext(TenantRulesResponse.newBuilder().addAllRules(access.rules()).build());
    response.onCompleted();
  }

  /** Starts answering claims (this replica leads). */
  public void activate(ClaimBoard board, PortWriter writer) {
    this.board = board;
    this.writer = writer;
  }

  /** Stops answering claims (this replica no longer leads). */
  public void deactivate() {
    this.board = null;
    this.writer = null;
  }


  /**
   * What is wrong with an interface reference, if anything. The ids must be ones Mesos allows: the
   * port's name is made of them, so one with a '/' could name another task's port.
   */
  static Optional<String> invalid(InterfaceRef ref) {
    for (String[] field : new String[][] {{"interface.container_id", ref.getContainerId()},
        {"interface.framework_id", ref.getFrameworkId()}, {"interface.executor_id", ref.getExecutorId()}}) {
      if (field[1].isEmpty()) {
        return Optional.of(field[0] + " is required");
      }
      if (!PortMarks.isMesosId(field[1])) {
        return Optional.of(field[0] + " is not a Mesos id: at most " + PortMarks.MESOS_ID_MAX
            + " characters, no '/', '\\' or control characters, not \".\" or \"..\"");
      }
    }
    if (ref.getInterfaceName().isEmpty()) {
      return Optional.of("interface.interface_name is required");
    }
    if (!PortMarks.isInterfaceName(ref.getInterfaceName())) {
      return Optional.of("interface.interface_name is not an interface name: 1 to 15 of letters, digits, '_', '.' and '-', "
          + "starting with a letter or digit");
    }
    if (!ref.getAgentId().isEmpty() && !PortMarks.isMesosId(ref.getAgentId())) {
      return Optional.of("interface.agent_id is not a Mesos id");
    }
    return Optional.empty();
  }

  @Override
  public void claim(ClaimRequest req, StreamObserver<ClaimResponse> out) {
    InterfaceRef ref = req.getInterface();
    Optional<String> invalid = invalid(ref);
    if (invalid.isPresent()) {
      metrics.claim("invalid");
      out.onError(Status.INVALID_ARGUMENT.withDescription(invalid.get()).asRuntimeException());
      return;
    }
    ClaimBoard b = board;
    PortWriter w = writer;
    if (b == null || w == null) {
      metrics.claim("not_leader");
      out.onError(Status.UNAVAILABLE.withDescription("this ovn-mesos framework replica is not the leader").asRuntimeException());
      return;
    }
    String name = PortMarks.frameworkPortName(ref.getFrameworkId(), ref.getExecutorId(), ref.getInterfaceName());
    CompletableFuture<TaskPort> f = b.await(name);
    boolean ready = f.isDone(); // the port was there (or refused) when the agent asked
    int wait = Math.min(Math.max(req.getWaitMillis(), 0), MAX_WAIT_MILLIS);
    f.orTimeout(wait, TimeUnit.MILLISECONDS).whenComplete((port, error) -> {
      if (error == null) {
        // "ok_waited": the agent asked before the framework had made the port.
        metrics.claim(ready ? "ok" : "ok_waited");
        w.annotate(name, ref.getContainerId());
        out.onNext(response(port, domain));
        out.onCompleted();
        return;
      }
      b.forget(name, f);
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      if (cause instanceof ClaimBoard.RefusedClaim r) {
        metrics.claim("refused");
        Status s = r.refusal().reason() == PortRefusal.Reason.NOT_AUTHORIZED ? Status.PERMISSION_DENIED : Status.FAILED_PRECONDITION;
        io.grpc.Metadata why = new io.grpc.Metadata();
        why.put(ClaimTrailers.REFUSAL, refusal(r.refusal()));
        out.onError(s.withDescription(r.refusal().message()).asRuntimeException(why));
      } else if (cause instanceof ClaimBoard.Abandoned) {
        metrics.claim("not_leader");
        out.onError(Status.UNAVAILABLE.withDescription(cause.getMessage()).asRuntimeException());
      } else if (cause instanceof TimeoutException) {
        metrics.claim("unknown_task");
        out.onError(Status.NOT_FOUND.withDescription("no task of framework " + ref.getFrameworkId() + " with executor "
            + ref.getExecutorId() + " and an OVN interface " + ref.getInterfaceName() + " is known after " + wait
            + " ms").asRuntimeException());
      } else {
        metrics.claim("error");
        out.onError(Status.INTERNAL.withDescription(String.valueOf(cause)).asRuntimeException());
      }
    });
  }

  /** A refusal as the wire carries it: the reason is the ports.proto enum of the same name. */
  public static ClaimRefusal refusal(PortRefusal r) {
    return ClaimRefusal.newBuilder().setReason(RefusalReason.valueOf(r.reason().name())).setMessage(r.message()).build();
  }

  /** The answer to a claim of {@code port}; a task named under {@code domain} resolves names through OVN. */
  static ClaimResponse response(TaskPort port, Optional<String> domain) {
    TaskPort p = domain.map(port::namedUnder).orElse(port);
    ClaimResponse.Builder r = ClaimResponse.newBuilder().setLogicalSwitch(p.logicalSwitch()).setLogicalSwitchPort(p.name())
        .setMac(p.mac()).addAllAddresses(p.addresses()).addAllGateways(p.gateways()).setTaskId(p.taskId())
        .setFrameworkId(p.frameworkId()).setDns(Dns.newBuilder().addAllNameservers(p.dnsServers()).addAllSearch(p.dnsSearch()));
    p.mtu().ifPresent(r::setMtu);
    return r.build();
  }
}
