package io.ovnmesos.executorhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovnmesos.executorhook.cni.CniException;
import io.ovnmesos.executorhook.plumbing.AgentPaths;
import io.ovnmesos.executorhook.plumbing.ContainerLink;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each container reaches its own agent, and only its agent's port; the agent reaches each container's
 * executor at the task's address, from the agent's address, and nothing else gets in. Two tenants
 * with the same subnet on one agent: under driver-based executors the second ADD of an address is
 * refused (the agent could not tell the executors apart); under HTTP executors both start.
 */
@OvnTest
class AgentPathTest {
  private static final String AGENT = "10.253.0.1";
  /** Another address of the agent's host, which is not the agent's. */
  private static final String OTHER_HOST_ADDRESS = "10.253.0.9";
  /** Where the stand-in executor listens in a container (a driver-based executor's random port). */
  private static final int EXECUTOR_PORT = 7000;
  private final ExecutorHookTest setup = new ExecutorHookTest();
  private final List<Daemon> servers = new ArrayList<>();
  private Netns host;

  @AfterEach
  void stop() {
    servers.forEach(Daemon::stop);
    setup.stop();
  }

  /** Tenant pepsi on the same subnet as coke1, the agent's address and port on the host, and the hook. */
  private MesosCni start(OvnTestbed ovn, String executorApi) throws Exception {
    try (Topology topo = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())))) {
      if (topo.tenants().find("pepsi").isEmpty()) {
        topo.tenants().create("pepsi");
        topo.networks().create(NetworkSpec.of("pepsi", "pepsi1", "192.168.1.0/24"));
      }
    }
    host = ovn.chassis().netns().orElseThrow();
    if (!host.exec(Duration.ofSeconds(5), "ip", "-o", "addr", "show", "dev", "lo").out().contains(AGENT + "/32")) {
      host.ip("addr", "add", AGENT + "/32", "dev", "lo");
      host.ip("addr", "add", OTHER_HOST_ADDRESS + "/32", "dev", "lo");
      // The agent's port: a server answering with the caller's address; and another port of the host.
      servers.add(Echo.serve(host, ovn.dir(), Container.Protocol.PEER, 5051));
      servers.add(Echo.serve(host, ovn.dir(), Container.Protocol.PEER, 5052));
    }
    return setup.startWith(ovn, h -> {
      h.agentEndpoint = AGENT + ":5051";
      h.executorApi = executorApi;
    });
  }

  private MesosCni.Result add(MesosCni cni, String cid, Netns ns, String network) {
    return setup.add(cni, cid, "eth0", ns, Map.of("logical_switch", network));
  }

  private MesosCni.Result del(MesosCni cni, String cid, Netns ns, String network) {
    return cni.run(MesosCni.env("DEL", cid, "eth0", ExecutorHookTest.path(ns)), cni.mesosStdin("0.3.1", Map.of("logical_switch", network)));
  }

  /** A container on {@code network}, its ADD done, with an executor in it. */
  private record Started(String containerId, Netns netns, String address) {}

  private Started startedWithExecutor(OvnTestbed ovn, MesosCni cni, String network) {
    Netns ns = setup.container(ovn);
    String cid = ExecutorHookTest.cid();
    MesosCni.Result r = add(cni, cid, ns, network);
    assertThat(r.exit()).as(r.stdout()).isZero();
    executorIn(ovn, ns);
    return new Started(cid, ns, r.json().at("/ip4/ip").asText().split("/")[0]);
  }

  /** The stand-in for a driver-based executor in {@code container}: it answers with the address a connection came from. */
  private void executorIn(OvnTestbed ovn, Netns container) {
    servers.add(Echo.serve(container, ovn.dir(), Container.Protocol.PEER, EXECUTOR_PORT));
  }

  /** The agent's connection to the executor at {@code taskAddress}, from the agent's host; the executor's reply. */
  private CommandResult agentConnects(String taskAddress) {
    return Echo.send(host, Container.Protocol.PEER, taskAddress, EXECUTOR_PORT, "agent");
  }

  private String hostRoutes() {
    return host.exec(Duration.ofSeconds(5), "ip", "-4", "-o", "route", "show").out();
  }

  @Test
  void underHttpExecutorsTwoTenantsWithOneSubnetEachReachTheirAgentAndNothingElse(OvnTestbed ovn) throws Exception {
    MesosCni cni = start(ovn, "http");
    Netns a = setup.container(ovn);
    Netns b = setup.container(ovn);
    String cidA = ExecutorHookTest.cid();
    MesosCni.Result ra = add(cni, cidA, a, "coke1");
    MesosCni.Result rb = add(cni, ExecutorHookTest.cid(), b, "pepsi1");
    assertThat(ra.exit()).as(ra.stdout()).isZero();
    assertThat(rb.exit()).as(rb.stdout()).isZero();
    String ip = ra.json().at("/ip4/ip").asText().split("/")[0];
    assertThat(rb.json().at("/ip4/ip").asText().split("/")[0]).as("the tenants overlap").isEqualTo(ip);

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
    // The shared address stays with the first container: the agent reaches a's executor there.
    executorIn(ovn, a);
    CommandResult agent = agentConnects(ip);
    assertThat(agent.ok()).as("the agent reaches a's executor: %s", agent).isTrue();
    assertThat(agent.out().strip()).isEqualTo(AGENT);

    // DEL removes the path with the interface, and a's agent is out of reach.
    assertThat(del(cni, cidA, a, "coke1").exit()).isZero();
    assertThat(host.exec(Duration.ofSeconds(5), "ip", "link", "show", AgentPaths.hostInterface(cidA)).ok()).isFalse();
    assertThat(a.exec(Duration.ofSeconds(5), "ip", "link", "show", AgentPaths.CONTAINER_INTERFACE).ok()).isFalse();
    assertThat(Echo.send(a, Container.Protocol.PEER, AGENT, 5051, "a").ok()).isFalse();
    assertThat(hostRoutes()).doesNotContain(AgentPaths.hostInterface(cidA));
  }

  @Test
  void underDriverExecutorsTheAgentReachesEachExecutorAtItsAddressAndATakenAddressIsRefused(OvnTestbed ovn) throws Exception {
    MesosCni cni = start(ovn, "driver");
    Started first = startedWithExecutor(ovn, cni, "coke1");
    Netns a = first.netns();
    String cidA = first.containerId();
    String ip = first.address();

    CommandResult agent = agentConnects(ip);
    assertThat(agent.ok()).as("the agent reaches the executor: %s", agent).isTrue();
    assertThat(agent.out().strip()).as("seen in the container from the agent's address").isEqualTo(AGENT);
    assertThat(Echo.sendFrom(host, OTHER_HOST_ADDRESS, ip, EXECUTOR_PORT, "x").ok())
        .as("a connection from another address of the host").isFalse();
    assertThat(host.exec(Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", ip).ok()).as("anything but TCP from the agent")
        .isFalse();
    assertThat(Echo.send(a, Container.Protocol.PEER, AGENT, 5051, "a").ok()).as("a still reaches its agent").isTrue();

    // The other tenant's task gets the same address on this agent: refused, naming a, leaving nothing.
    Netns b = setup.container(ovn);
    String cidB = ExecutorHookTest.cid();
    MesosCni.Result rb = add(cni, cidB, b, "pepsi1");
    assertThat(rb.exit()).isNotZero();
    assertThat(rb.json().at("/code").asInt()).isEqualTo(CniException.ADDRESS_SHARED_ON_AGENT);
    assertThat(rb.json().at("/msg").asText()).contains(ip).contains(cidA);
    assertThat(rb.json().at("/details").asText()).contains("--http_command_executor=true");
    assertThat(host.exec(Duration.ofSeconds(5), "ip", "link", "show", AgentPaths.hostInterface(cidB)).ok()).isFalse();
    assertThat(host.exec(Duration.ofSeconds(5), "ip", "link", "show", ContainerLink.hostInterface(cidB, "eth0")).ok()).isFalse();
    assertThat(b.exec(Duration.ofSeconds(5), "ip", "link", "show", "eth0").ok()).isFalse();
    assertThat(ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "name=cni-" + cidB + "-eth0").out()).isEmpty();
    assertThat(agentConnects(ip).out().strip()).as("the address still reaches a").isEqualTo(AGENT);

    // DEL takes a's link and routes; the address is then free for b.
    assertThat(del(cni, cidA, a, "coke1").exit()).isZero();
    assertThat(hostRoutes()).doesNotContain(AgentPaths.hostInterface(cidA)).doesNotContain(ip + " dev");
    assertThat(host.exec(Duration.ofSeconds(5), "ip", "link", "show", AgentPaths.hostInterface(cidA)).ok()).isFalse();
    assertThat(agentConnects(ip).ok()).isFalse();
    MesosCni.Result again = add(cni, cidB, b, "pepsi1");
    assertThat(again.exit()).as(again.stdout()).isZero();
    assertThat(again.json().at("/ip4/ip").asText().split("/")[0]).isEqualTo(ip);
    executorIn(ovn, b);
    assertThat(agentConnects(ip).out().strip()).isEqualTo(AGENT);
  }

  @Test
  void anAgentEndpointThatIsNotAnAddressOfTheHostStopsTheHookAtStart(OvnTestbed ovn) {
    assertThatThrownBy(() -> setup.startWith(ovn, h -> h.agentEndpoint = "10.253.0.200:5051"))
        .hasMessageContaining("--agent-endpoint").hasMessageContaining("10.253.0.200 is not an address of this host");
    assertThatThrownBy(() -> setup.startWith(ovn, h -> {
      h.agentEndpoint = AGENT + ":5051";
      h.executorApi = "v0";
    })).hasMessageContaining("--executor-api").hasMessageContaining("auto, driver or http");
  }

  @Test
  void twoTenantsAddingOneAddressAtOnceUnderDriverExecutorsGetOneRunningContainerAndOneRefusal(OvnTestbed ovn)
      throws Exception {
    MesosCni cni = start(ovn, "driver");
    Netns a = setup.container(ovn);
    Netns b = setup.container(ovn);
    CompletableFuture<MesosCni.Result> ra = CompletableFuture.supplyAsync(() -> add(cni, ExecutorHookTest.cid(), a, "coke1"));
    CompletableFuture<MesosCni.Result> rb = CompletableFuture.supplyAsync(() -> add(cni, ExecutorHookTest.cid(), b, "pepsi1"));
    List<MesosCni.Result> both = List.of(ra.join(), rb.join());
    List<MesosCni.Result> ok = both.stream().filter(r -> r.exit() == 0).toList();
    assertThat(ok).as("%s", both).hasSize(1);
    String ip = ok.get(0).json().at("/ip4/ip").asText().split("/")[0];
    MesosCni.Result refused = both.stream().filter(r -> r.exit() != 0).findFirst().orElseThrow();
    assertThat(refused.json().at("/code").asInt()).as(refused.stdout()).isEqualTo(CniException.ADDRESS_SHARED_ON_AGENT);
    assertThat(refused.json().at("/msg").asText()).contains(ip);
    Netns winner = ok.get(0) == ra.join() ? a : b;
    executorIn(ovn, winner);
    assertThat(agentConnects(ip).out().strip()).as("the one that runs is reached").isEqualTo(AGENT);
  }

  @Test
  void aContainerWithTwoInterfacesAddedInParallelIsReachedAtBothAddressesOverOneLink(OvnTestbed ovn) throws Exception {
    MesosCni cni = start(ovn, "driver");
    Netns multi = setup.container(ovn);
    String cid = ExecutorHookTest.cid();
    // Mesos runs the ADDs of one container's networks in parallel; either may make the link.
    CompletableFuture<MesosCni.Result> eth0 = CompletableFuture.supplyAsync(() -> setup.add(cni, cid, "eth0", multi,
        Map.of("logical_switch", "coke1")));
    CompletableFuture<MesosCni.Result> eth1 = CompletableFuture.supplyAsync(() -> setup.add(cni, cid, "eth1", multi,
        Map.of("logical_switch", "coke2")));
    assertThat(eth0.join().exit()).as(eth0.join().stdout()).isZero();
    assertThat(eth1.join().exit()).as(eth1.join().stdout()).isZero();
    executorIn(ovn, multi);
    for (MesosCni.Result r : List.of(eth0.join(), eth1.join())) {
      String ip = r.json().at("/ip4/ip").asText().split("/")[0];
      assertThat(agentConnects(ip).out().strip()).as("the agent reaches the executor at %s", ip).isEqualTo(AGENT);
    }
    assertThat(multi.exec(Duration.ofSeconds(5), "ip", "-o", "link", "show").out().lines()
        .filter(l -> l.contains(AgentPaths.CONTAINER_INTERFACE)).count()).as("one link").isEqualTo(1);

    // The link stays while an interface does, and goes with the last.
    String link = AgentPaths.hostInterface(cid);
    assertThat(cni.run(MesosCni.env("DEL", cid, "eth1", ExecutorHookTest.path(multi)),
        cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke2"))).exit()).isZero();
    assertThat(host.exec(Duration.ofSeconds(5), "ip", "link", "show", link).ok()).isTrue();
    assertThat(del(cni, cid, multi, "coke1").exit()).isZero();
    assertThat(host.exec(Duration.ofSeconds(5), "ip", "link", "show", link).ok()).isFalse();
    assertThat(hostRoutes()).doesNotContain(link);
  }

  @Test
  void aRestartedHookKeepsTheAgentsPathsAndStillKnowsWhichAddressIsTaken(OvnTestbed ovn) throws Exception {
    MesosCni cni = start(ovn, "driver");
    Started first = startedWithExecutor(ovn, cni, "coke1");
    Netns a = first.netns();
    String cidA = first.containerId();
    String ip = first.address();

    setup.hook().close();
    cni = start(ovn, "driver");

    assertThat(agentConnects(ip).out().strip()).as("the agent still reaches the executor").isEqualTo(AGENT);
    assertThat(Echo.send(a, Container.Protocol.PEER, AGENT, 5051, "a").ok()).as("and the executor its agent").isTrue();
    Netns b = setup.container(ovn);
    MesosCni.Result rb = add(cni, ExecutorHookTest.cid(), b, "pepsi1");
    assertThat(rb.json().at("/code").asInt()).as(rb.stdout()).isEqualTo(CniException.ADDRESS_SHARED_ON_AGENT);
    assertThat(rb.json().at("/msg").asText()).contains(cidA);

    assertThat(del(cni, cidA, a, "coke1").exit()).isZero();
    assertThat(host.exec(Duration.ofSeconds(5), "ip", "link", "show", AgentPaths.hostInterface(cidA)).ok()).isFalse();
    assertThat(hostRoutes()).doesNotContain(ip + " dev");
  }
}
