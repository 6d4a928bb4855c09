package io.ovnmesos.framework.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.ovnmesos.framework.metrics.FrameworkMetrics;
import io.ovnmesos.proto.v1.ClaimRequest;
import io.ovnmesos.proto.v1.ClaimResponse;
import io.ovnmesos.proto.v1.InterfaceRef;
import io.ovnmesos.proto.v1.ClaimRefusal;
import io.ovnmesos.proto.v1.RefusalReason;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.topology.port.PortRefusal;
import io.ovnmesos.topology.port.TaskPort;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Hostile claims: every id that Mesos would not allow, or that could name another task's port, is
 * refused with INVALID_ARGUMENT naming the field, before anything is looked up or changed.
 */
class PortClaimServiceTest {
  private static final InterfaceRef GOOD = InterfaceRef.newBuilder().setContainerId("c0ffee00-0000-4000-8000-000000000001")
      .setInterfaceName("eth0").setFrameworkId("fw-0001").setExecutorId("web.1").setAgentId("S0").build();

  private record Case(String name, UnaryOperator<InterfaceRef.Builder> change, String field) {}

  private static Throwable claim(PortClaimService service, InterfaceRef ref) {
    AtomicReference<Throwable> error = new AtomicReference<>();
    service.claim(ClaimRequest.newBuilder().setInterface(ref).build(), new StreamObserver<ClaimResponse>() {
      @Override
      public void onNext(ClaimResponse value) {
        throw new AssertionError("no port may be given for " + ref);
      }

      @Override
      public void onError(Throwable t) {
        error.set(t);
      }

      @Override
      public void onCompleted() {}
    });
    return error.get();
  }

  @Test
  void everyHostileReferenceIsRefusedNamingTheField() {
    List<Case> cases = List.of(
        new Case("no container id", b -> b.clearContainerId(), "interface.container_id is required"),
        new Case("no framework id", b -> b.clearFrameworkId(), "interface.framework_id is required"),
        new Case("no executor id", b -> b.clearExecutorId(), "interface.executor_id is required"),
        new Case("no interface", b -> b.clearInterfaceName(), "interface.interface_name is required"),
        new Case("framework id with '/' (another task's port name)", b -> b.setFrameworkId("fw-0001/web.2"),
            "interface.framework_id is not a Mesos id"),
        new Case("executor id with '/'", b -> b.setExecutorId("web.1/eth0/../x"), "interface.executor_id is not a Mesos id"),
        new Case("executor id '..'", b -> b.setExecutorId(".."), "interface.executor_id is not a Mesos id"),
        new Case("framework id '.'", b -> b.setFrameworkId("."), "interface.framework_id is not a Mesos id"),
        new Case("backslash", b -> b.setExecutorId("web\\1"), "interface.executor_id is not a Mesos id"),
        new Case("newline", b -> b.setFrameworkId("fw\nINFO forged log line"), "interface.framework_id is not a Mesos id"),
        new Case("NUL", b -> b.setContainerId("c0ffee\u0000"), "interface.container_id is not a Mesos id"),
        new Case("escape sequence", b -> b.setExecutorId("web\u001b[31m"), "interface.executor_id is not a Mesos id"),
        new Case("DEL character", b -> b.setExecutorId("web\u007f"), "interface.executor_id is not a Mesos id"),
        new Case("256 characters", b -> b.setExecutorId("x".repeat(256)), "interface.executor_id is not a Mesos id"),
        new Case("a megabyte", b -> b.setContainerId("c".repeat(1 << 20)), "interface.container_id is not a Mesos id"),
        new Case("interface too long", b -> b.setInterfaceName("eth0123456789012"), "interface.interface_name is not an interface name"),
        new Case("interface with '/'", b -> b.setInterfaceName("../eth0"), "interface.interface_name is not an interface name"),
        new Case("interface with a space", b -> b.setInterfaceName("eth 0"), "interface.interface_name is not an interface name"),
        new Case("interface with shell", b -> b.setInterfaceName("$(reboot)"), "interface.interface_name is not an interface name"),
        new Case("agent id with '/'", b -> b.setAgentId("S0/../S1"), "interface.agent_id is not a Mesos id"));
    FrameworkMetrics metrics = new FrameworkMetrics();
    PortClaimService service = new PortClaimService(metrics, TenantAccess.allowAll());
    for (Case c : cases) {
      Throwable t = claim(service, c.change().apply(GOOD.toBuilder()).build());
      assertThat(t).as(c.name()).isNotNull();
      Status s = Status.fromThrowable(t);
      assertThat(s.getCode()).as(c.name()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(s.getDescription()).as(c.name()).startsWith(c.field());
    }
    assertThat(metrics.scrape()).contains("ovn_mesos_claims_total{outcome=\"invalid\"} " + cases.size() + ".0");

    // A good reference passes the checks: this replica, not leading, says so.
    assertThat(Status.fromThrowable(claim(service, GOOD)).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void anyReplicaHandsOnItsTenantRulesAsConfigured() {
    List<io.ovnmesos.proto.v1.TenantRulesResponse> answers = new java.util.ArrayList<>();
    StreamObserver<io.ovnmesos.proto.v1.TenantRulesResponse> into = new StreamObserver<>() {
      @Override
      public void onNext(io.ovnmesos.proto.v1.TenantRulesResponse v) {
        answers.add(v);
      }

      @Override
      public void onError(Throwable t) {
        throw new AssertionError(t);
      }

      @Override
      public void onCompleted() {}
    };
    List<String> rules = List.of("role:web=coke,pepsi", "principal:marathon=*");
    new PortClaimService(new FrameworkMetrics(), TenantAccess.parse(rules))
        .tenantRules(io.ovnmesos.proto.v1.TenantRulesRequest.getDefaultInstance(), into);
    new PortClaimService(new FrameworkMetrics(), TenantAccess.allowAll())
        .tenantRules(io.ovnmesos.proto.v1.TenantRulesRequest.getDefaultInstance(), into);
    assertThat(answers).extracting(a -> List.copyOf(a.getRulesList())).containsExactly(rules, List.<String>of());
    assertThat(TenantAccess.parse(answers.get(0).getRulesList()).allows("web", "", "pepsi")).isTrue();
  }

  @Test
  void everyRefusalReasonHasItsWireEnumOfTheSameName() {
    for (PortRefusal.Reason r : PortRefusal.Reason.values()) {
      ClaimRefusal wire = PortClaimService.refusal(new PortRefusal(r, "why"));
      assertThat(wire.getReason().name()).isEqualTo(r.name());
      assertThat(wire.getMessage()).isEqualTo("why");
    }
    assertThat(Arrays.stream(RefusalReason.values()).filter(w -> w != RefusalReason.REFUSAL_REASON_UNSPECIFIED
        && w != RefusalReason.UNRECOGNIZED).map(Enum::name))
        .as("no wire reason the planner cannot give").containsExactlyInAnyOrderElementsOf(
            Arrays.stream(PortRefusal.Reason.values()).map(Enum::name).toList());
  }

  @Test
  void aNamedTaskResolvesThroughItsGatewayUnlessItsNetworkNamesServers() {
    TaskPort port = new TaskPort("p", "coke1", "0a:58:0a:0a:00:05", List.of("10.10.0.5/16"), List.of("10.10.0.1"),
        Optional.empty(), List.of(), "t", "fw", List.of());
    ClaimResponse named = PortClaimService.response(port, Optional.of("mesos"));
    assertThat(named.getDns().getNameserversList()).containsExactly("10.10.0.1");
    assertThat(named.getDns().getSearchList()).containsExactly("mesos");

    TaskPort withServers = new TaskPort("p", "coke1", "0a:58:0a:0a:00:05", List.of("10.10.0.5/16"), List.of("10.10.0.1"),
        Optional.empty(), List.of("192.0.2.53"), "t", "fw", List.of());
    assertThat(PortClaimService.response(withServers, Optional.of("mesos")).getDns().getNameserversList())
        .as("OVN answers the tenant's names on the way to any server").containsExactly("192.0.2.53");

    ClaimResponse unnamed = PortClaimService.response(port, Optional.empty());
    assertThat(unnamed.getDns().getNameserversList()).as("no names: the agent's resolver, as before").isEmpty();
    assertThat(unnamed.getDns().getSearchList()).isEmpty();
  }
}
