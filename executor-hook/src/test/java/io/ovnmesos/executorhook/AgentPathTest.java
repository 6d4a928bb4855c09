package io.ovnmesos.executorhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.executorhook.plumbing.AgentPaths;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.CommandResult;
import io.ovnmesos.testbed.Container;
import io.ovnmesos.testbed.Daemon;
import io.ovnmesos.testbed.Echo;
import io.ovnmesos.testbed.Netns;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.network.NetworkSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every container reaches its own agent, and only its agent's port: two tenants with the same
 * subnet on one agent both connect (each from an address of its own, so the agent tells them
 * apart); another port on the host and the other tenant's path do not answer.
 */
@OvnTest
class AgentPathTest {
  private static final String AGENT = "10.253.0.1";
  private final ExecutorHookTest setup = new ExecutorHookTest();
  private final List<Daemon> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(Daemon::stop);
    setup.stop();
  }

  @Test
  void twoTenantsWithOneSubnetEachReachTheirAgentAndNothingElse(OvnTestbed ovn) throws Exception {
    try (Topology topo = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())))) {
      topo.tenants().create("pepsi");
      topo.networks().create(NetworkSpec.of("pepsi", "pepsi1", "192.168.1.0/24"));
    }
    // The agent: an address of the host, and the agent's port (a server answering with the caller's address).
    Netns host = ovn.chassis().netns().orElseThrow();
    host.ip("addr", "add", AGENT + "/32", "dev", "lo");
    servers.add(Echo.serve(host, ovn.dir(), Container.Protocol.PEER, 5051));
    servers.add(Echo.serve(host, ovn.dir(), Container.Protocol.PEER, 5052));
    MesosCni cni = setup.startWith(ovn, h -> h.agentEndpoint = AGENT + ":5051");

    Netns a = setup.container(ovn);
    Netns b = setup.container(ovn);
    String cidA = ExecutorHookTest.cid();
    MesosCni.Result ra = setup.add(cni, cidA, "eth0", a, Map.of("logical_switch", "coke1"));
    MesosCni.Result rb = setup.add(cni, ExecutorHookTest.cid(), "eth0", b, Map.of("logical_switch", "pepsi1"));
    assertThat(ra.exit()).as(ra.stdout()).isZero();
    assertThat(rb.exit()).as(rb.stdout()).isZero();
    assertThat(ra.json().at("/ip4/ip").asText()).as("the tenants overlap").isEqualTo(rb.json().at("/ip4/ip").asText());

    CommandResult fromA = Echo.send(a, Container.Protocol.PEER, AGENT, 5051, "a");
    CommandResult fromB = Echo.send(b, Container.Protocol.PEER, AGENT, 5051, "b");
    assertThat(fromA.ok()).as("a reaches its agent: %s", fromA).isTrue();
    assertThat(fromB.ok()).as("b reaches its agent: %s", fromB).isTrue();
    String peerA = fromA.out().strip();
    String peerB = fromB.out().strip();
    assertThat(peerA).startsWith("169.254.");
    assertThat(peerB).startsWith("169.254.").isNotEqualTo(peerA);

    assertThat(Echo.send(a, Container.Protocol.PEER, AGENT, 5052, "a").ok()).as("another port of the host").isFalse();
    assertThat(Echo.send(a, Container.Protocol.PEER, "169.254.0.1", 5051, "a").ok()).as("the path's host end itself").isFalse();
    assertThat(Echo.send(a, Container.Protocol.PEER, peerB, 5051, "a").ok()).as("the other tenant's path").isFalse();

    // DEL removes the path with the interface, and a's agent is out of reach.
    MesosCni.Result del = cni.run(MesosCni.env("DEL", cidA, "eth0", ExecutorHookTest.path(a)),
        cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1")));
    assertThat(del.exit()).isZero();
    assertThat(host.exec(Duration.ofSeconds(5), "ip", "link", "show", AgentPaths.hostInterface(cidA)).ok()).isFalse();
    assertThat(a.exec(Duration.ofSeconds(5), "ip", "link", "show", AgentPaths.CONTAINER_INTERFACE).ok()).isFalse();
    assertThat(Echo.send(a, Container.Protocol.PEER, AGENT, 5051, "a").ok()).isFalse();
  }
}
