package io.ovnmesos.executorhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.Netns;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.network.NetworkSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plugin, invoked exactly as Mesos invokes it, and the daemon, against real OVN and namespaces. */
@OvnTest
class ExecutorHookTest {
  private ExecutorHook hook;
  private final List<Netns> containers = new ArrayList<>();

  @AfterEach
  void stop() {
    if (hook != null) {
      hook.close();
    }
    containers.forEach(Netns::close);
  }

  /** Lays out tenant coke with networks coke1 and coke2 and starts the daemon on chassis-1. */
  MesosCni start(OvnTestbed ovn) throws Exception {
    layOut(ovn);
    return startHook(ovn, h -> { });
  }

  private static void layOut(OvnTestbed ovn) {
    try (Topology topo = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())))) {
      if (topo.tenants().find("coke").isPresent()) {
        return;
      }
      topo.tenants().create("coke");
      topo.networks().create(new NetworkSpec("coke", "coke1", List.of("192.168.1.0/24"), List.of(), List.of(), null,
          List.of("192.168.1.53")));
      topo.networks().create(NetworkSpec.of("coke", "coke2", "192.168.2.0/24"));
    }
  }

  /**
   * Starts the daemon in framework mode with {@code frameworks} as replicas, a claim window of
   * {@code claimWaitMillis}, and the local fallback on or off.
   */
  MesosCni startWithFramework(OvnTestbed ovn, List<String> frameworks, int claimWaitMillis, boolean fallback) throws Exception {
    return startWith(ovn, h -> {
      h.frameworks = frameworks;
      h.mesosWorkDir = ovn.dir().resolve("mesos-work");
      h.claimWaitMillis = claimWaitMillis;
      h.localFallback = fallback;
      // As if it had heard, before, a framework without tenant rules.
      Path rules = ovn.dir().resolve("tenant-rules");
      try {
        java.nio.file.Files.writeString(rules, "");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      h.tenantRulesCache = rules.toString();
    });
  }

  /** Lays out coke's networks and starts the daemon, with {@code configure} applied to its flags. */
  MesosCni startWith(OvnTestbed ovn, java.util.function.Consumer<ExecutorHook> configure) throws Exception {
    layOut(ovn);
    return startHook(ovn, configure);
  }

  private MesosCni startHook(OvnTestbed ovn, java.util.function.Consumer<ExecutorHook> configure) throws Exception {
    hook = new ExecutorHook();
    hook.socket = ovn.dir().resolve("cni/cni.sock");
    hook.nb = ovn.nbRemote();
    hook.localOvs = ovn.chassis().ovsRemote();
    hook.bridge = "br-int";
    hook.underlayMtu = 1500;
    hook.installTimeoutSeconds = 20;
    hook.hostNetns = "/var/run/netns/" + ovn.chassis().netns().orElseThrow().name();
    hook.disableTxOffload = true;
    hook.metricsAddress = "127.0.0.1:0";
    configure.accept(hook);
    hook.start();
    return new MesosCni(hook.socket);
  }

  ExecutorHook hook() {
    return hook;
  }

  java.nio.file.Path socket() {
    return hook.socket;
  }

  /** A container's network namespace as Mesos hands it over: a bind-mounted nsfs path. */
  Netns container(OvnTestbed ovn) {
    Netns ns = Netns.create(ovn.namespacePrefix() + "-m" + containers.size());
    containers.add(ns);
    return ns;
  }

  static String path(Netns ns) {
    return "/var/run/netns/" + ns.name();
  }

  static String cid() {
    return UUID.randomUUID().toString();
  }

  MesosCni.Result add(MesosCni cni, String cid, String ifName, Netns ns, Map<String, String> labels) {
    return cni.run(MesosCni.env("ADD", cid, ifName, path(ns)), cni.mesosStdin("0.3.1", labels));
  }

  @Test
  void aCallMadeWhileTheHookIsDownFinishesOnceItIsBack(OvnTestbed ovn) throws Exception {
    Path socket = ovn.dir().resolve("cni/cni.sock");
    MesosCni early = new MesosCni(socket);
    Netns ns = container(ovn);
    String cid = cid();

    // The hook restarting: the plugin finds no socket, and keeps trying within its hookWait.
    CompletableFuture<MesosCni.Result> pending = CompletableFuture.supplyAsync(() ->
        add(early, cid, "eth0", ns, Map.of("logical_switch", "coke1")));
    assertThat(socket).as("no hook is listening when the call is made").doesNotExist();
    start(ovn);
    MesosCni.Result r = pending.get(60, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(r.exit()).as(r.stdout()).isZero();
    assertThat(r.json().at("/ip4/ip").asText()).startsWith("192.168.1.");
    assertThat(ovn.nbctl("--bare", "--columns=up", "list", "Logical_Switch_Port", "cni-" + cid + "-eth0").out()).isEqualTo("true");
  }

  @Test
  void withHookWaitZeroAMissingHookFailsAtOnceWithTryAgainLater(OvnTestbed ovn) {
    MesosCni cni = new MesosCni(ovn.dir().resolve("cni/none.sock"), Map.of("hookWait", 0));
    Netns ns = container(ovn);

    MesosCni.Result r = add(cni, cid(), "eth0", ns, Map.of("logical_switch", "coke1"));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.json().get("code").asInt()).isEqualTo(11);
    assertThat(r.json().get("msg").asText()).contains("not reachable");
    assertThat(r.json().get("details").asText()).contains("none.sock").contains("is ovn-mesos-executor-hook running");
  }

  @Test
  void addGivesTheContainerItsAddressAndTrafficFlowsThroughOvn(OvnTestbed ovn) throws Exception {
    MesosCni cni = start(ovn);
    Netns a = container(ovn);
    Netns b = container(ovn);
    String cidA = cid();

    MesosCni.Result ra = add(cni, cidA, "eth0", a, Map.of("logical_switch", "coke1"));
    MesosCni.Result rb = add(cni, cid(), "eth0", b, Map.of("logical_switch", "coke1", "app", "web"));

    assertThat(ra.exit()).as(ra.stdout()).isZero();
    JsonNode result = ra.json();
    // Mesos reads only the 0.2.0 form, whatever cniVersion its config names.
    assertThat(result.get("cniVersion").asText()).isEqualTo("0.2.0");
    assertThat(result.at("/ip4/ip").asText()).matches("192\\.168\\.1\\.\\d+/24");
    assertThat(result.at("/ip4/gateway").asText()).isEqualTo("192.168.1.1");
    assertThat(result.at("/dns/nameservers/0").asText()).isEqualTo("192.168.1.53");
    String ipA = result.at("/ip4/ip").asText().split("/")[0];
    String ipB = rb.json().at("/ip4/ip").asText().split("/")[0];
    assertThat(ipA).isNotEqualTo(ipB);

    assertThat(a.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", ipB).ok()).as("a -> b").isTrue();
    assertThat(a.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "192.168.1.1").ok()).as("a -> gateway").isTrue();
    assertThat(a.exec(Duration.ofSeconds(5), "ip", "-o", "link", "show", "eth0").stdout()).contains("mtu 1442");
    String lsp = "cni-" + cidA + "-eth0";
    assertThat(ovn.nbctl("get", "Logical_Switch_Port", lsp, "port_security").out()).contains(ipA);
    assertThat(ovn.nbctl("get", "Logical_Switch_Port", lsp, "up").out()).isEqualTo("true");

    MesosCni.Result check = cni.run(MesosCni.env("CHECK", cidA, "eth0", path(a)), cni.mesosStdin("0.3.1",
        Map.of("logical_switch", "coke1")));
    assertThat(check.exit()).as(check.stdout()).isZero();

    // Per-stage latency and counters, scraped over HTTP in Prometheus' text format.
    var client = java.net.http.HttpClient.newHttpClient();
    String metrics = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
        + hook.metrics().port() + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("ovn_mesos_cni_add_stage_seconds_count{stage=\"install\"} 2")
        .contains("ovn_mesos_cni_add_stage_seconds_bucket{stage=\"port\"")
        .contains("ovn_mesos_cni_call_seconds_count{command=\"ADD\",result=\"ok\"} 2")
        .contains("ovn_mesos_cni_call_seconds_count{command=\"CHECK\",result=\"ok\"} 1")
        .contains("ovn_mesos_agent_created_ports_total 2.0");
  }

  @Test
  void delRemovesEverythingAndIsSafeToRepeatWithOrWithoutTheNamespace(OvnTestbed ovn) throws Exception {
    MesosCni cni = start(ovn);
    Netns a = container(ovn);
    String cid = cid();
    String stdin = cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1"));
    assertThat(cni.run(MesosCni.env("ADD", cid, "eth0", path(a)), stdin).exit()).isZero();
    String hostIf = io.ovnmesos.executorhook.plumbing.ContainerLink.hostInterface(cid, "eth0");
    Netns host = ovn.chassis().netns().orElseThrow();
    assertThat(host.exec(Duration.ofSeconds(5), "ip", "link", "show", hostIf).ok()).isTrue();

    MesosCni.Result del = cni.run(MesosCni.env("DEL", cid, "eth0", path(a)), stdin);
    assertThat(del.exit()).as(del.stdout()).isZero();
    assertThat(del.stdout()).isEmpty();
    assertThat(host.exec(Duration.ofSeconds(5), "ip", "link", "show", hostIf).ok()).as("host veth").isFalse();
    assertThat(a.exec(Duration.ofSeconds(5), "ip", "link", "show", "eth0").ok()).as("container eth0").isFalse();
    assertThat(ovn.chassis().vsctl("--if-exists", "get", "Interface", hostIf, "name").out()).isEmpty();
    assertThat(ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "name=cni-" + cid + "-eth0").out()).isEmpty();

    assertThat(cni.run(MesosCni.env("DEL", cid, "eth0", path(a)), stdin).exit()).as("DEL twice").isZero();
    assertThat(cni.run(MesosCni.env("DEL", cid, "eth0", null), stdin).exit()).as("DEL without CNI_NETNS").isZero();
  }

  @Test
  void aFailedAddLeavesNothingAndItsDelSucceeds(OvnTestbed ovn) throws Exception {
    MesosCni cni = start(ovn);
    Netns a = container(ovn);
    a.ip("link", "add", "eth0", "type", "veth", "peer", "name", "taken0"); // eth0 is taken: plumbing fails
    String cid = cid();
    String stdin = cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1"));

    MesosCni.Result add = cni.run(MesosCni.env("ADD", cid, "eth0", path(a)), stdin);

    assertThat(add.exit()).isEqualTo(1);
    assertThat(add.json().get("code").asInt()).isEqualTo(102);
    assertThat(ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "name=cni-" + cid + "-eth0").out()).isEmpty();
    assertThat(ovn.chassis().vsctl("--bare", "--columns=name", "find", "Interface",
        "external_ids:ovn-mesos/container-id=" + cid).out()).isEmpty();
    assertThat(cni.run(MesosCni.env("DEL", cid, "eth0", path(a)), stdin).exit()).isZero();
  }

  @Test
  void aContainerWithTwoOvnInterfacesAddedAtOnceReachesBothNetworks(OvnTestbed ovn) throws Exception {
    MesosCni cni = start(ovn);
    Netns multi = container(ovn);
    Netns peer = container(ovn);
    String cid = cid();
    // Mesos runs the ADDs of one container's networks in parallel.
    CompletableFuture<MesosCni.Result> eth0 = CompletableFuture.supplyAsync(() -> add(cni, cid, "eth0", multi,
        Map.of("logical_switch", "coke1")));
    CompletableFuture<MesosCni.Result> eth1 = CompletableFuture.supplyAsync(() -> add(cni, cid, "eth1", multi,
        Map.of("logical_switch", "coke2")));
    MesosCni.Result p = add(cni, cid(), "eth0", peer, Map.of("logical_switch", "coke2"));

    assertThat(eth0.join().exit()).as(eth0.join().stdout()).isZero();
    assertThat(eth1.join().exit()).as(eth1.join().stdout()).isZero();
    assertThat(eth1.join().json().at("/ip4/ip").asText()).startsWith("192.168.2.");
    String peerIp = p.json().at("/ip4/ip").asText().split("/")[0];
    assertThat(multi.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", peerIp).ok()).as("eth1 -> coke2").isTrue();
    assertThat(peer.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2",
        eth1.join().json().at("/ip4/ip").asText().split("/")[0]).ok()).as("coke2 -> eth1").isTrue();
    assertThat(multi.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "192.168.1.1").ok()).as("eth0 -> its gateway").isTrue();
    // One default route, on eth0; eth1 reaches its own subnet only.
    assertThat(multi.exec(Duration.ofSeconds(5), "ip", "route").stdout().lines().filter(l -> l.startsWith("default")).toList())
        .containsExactly("default via 192.168.1.1 dev eth0 ");
    assertThat(eth1.join().json().at("/ip4/routes").isMissingNode()).isTrue();
  }

  @Test
  void aStaticAddressFromLabelsAndPortSecurityAgainstSpoofing(OvnTestbed ovn) throws Exception {
    MesosCni cni = start(ovn);
    Netns fixed = container(ovn);
    Netns other = container(ovn);
    MesosCni.Result r = add(cni, cid(), "eth0", fixed, Map.of("logical_switch", "coke1", "ip_address", "192.168.1.50",
        "mac_address", "0a:00:00:00:00:50"));
    assertThat(r.exit()).as(r.stdout()).isZero();
    assertThat(r.json().at("/ip4/ip").asText()).isEqualTo("192.168.1.50/24");
    String otherIp = add(cni, cid(), "eth0", other, Map.of("logical_switch", "coke1")).json().at("/ip4/ip").asText().split("/")[0];
    assertThat(fixed.exec(Duration.ofSeconds(5), "ip", "link", "show", "eth0").stdout()).contains("0a:00:00:00:00:50");
    assertThat(fixed.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", otherIp).ok()).isTrue();

    // The container claims another address: OVN drops what it sends from it.
    fixed.ip("addr", "add", "192.168.1.60/24", "dev", "eth0");
    assertThat(fixed.exec(Duration.ofSeconds(10), "ping", "-c", "2", "-W", "1", "-I", "192.168.1.60", otherIp).ok())
        .as("spoofed source").isFalse();
    assertThat(fixed.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "-I", "192.168.1.50", otherIp).ok()).isTrue();
  }

  @Test
  void onRestartTheHookRemovesWhatDeadContainersAndCrashesLeftBehind(OvnTestbed ovn) throws Exception {
    MesosCni cni = start(ovn);
    Netns alive = container(ovn);
    Netns dying = container(ovn);
    String aliveCid = cid();
    String deadCid = cid();
    assertThat(add(cni, aliveCid, "eth0", alive, Map.of("logical_switch", "coke1")).exit()).isZero();
    assertThat(add(cni, deadCid, "eth0", dying, Map.of("logical_switch", "coke1")).exit()).isZero();
    hook.close();
    // The container dies and its DEL never comes (say the agent rebooted); and a crash mid-ADD
    // left a port that was never plugged in.
    dying.close();
    ovn.nbctl("lsp-add", "coke1", "cni-crashed-eth0", "--", "set", "Logical_Switch_Port", "cni-crashed-eth0",
        "external_ids:ovn-mesos/owner=agent", "external_ids:ovn-mesos/chassis=chassis-1",
        "external_ids:ovn-mesos/container-id=crashed", "external_ids:ovn-mesos/ifname=eth0", "external_ids:ovn-mesos/network=coke1");
    ovn.nbctl("lsp-add", "coke1", "someone-elses", "--", "set", "Logical_Switch_Port", "someone-elses",
        "external_ids:ovn-mesos/owner=agent", "external_ids:ovn-mesos/chassis=chassis-9");

    start(ovn);

    assertThat(hook.lastReconcile().switchPorts()).isEqualTo(1);
    assertThat(hook.lastReconcile().logicalPorts()).isEqualTo(2);
    assertThat(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch_Port").out().lines().filter(l -> l.startsWith("cni-")
        || l.equals("someone-elses")).sorted().toList()).containsExactly("cni-" + aliveCid + "-eth0", "someone-elses");
    assertThat(ovn.chassis().vsctl("--bare", "--columns=name", "find", "Interface",
        "external_ids:ovn-mesos/container-id=" + deadCid).out()).isEmpty();
    assertThat(alive.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "192.168.1.1").ok()).as("survivor").isTrue();
  }

  @Test
  void resultsFollowTheConfigsVersionForRuntimesOtherThanMesos(OvnTestbed ovn) throws Exception {
    MesosCni cni = start(ovn);
    for (String version : List.of("0.3.1", "0.4.0", "1.0.0")) {
      Netns ns = container(ovn);
      Map<String, Object> conf = cni.configFile(version);
      conf.put("args", Map.of("labels", Map.of("logical_switch", "coke1")));
      MesosCni.Result r = cni.run(MesosCni.env("ADD", cid(), "eth0", path(ns)), MesosCni.JSON.writeValueAsString(conf));
      assertThat(r.exit()).as(r.stdout()).isZero();
      JsonNode j = r.json();
      assertThat(j.get("cniVersion").asText()).isEqualTo(version);
      assertThat(j.at("/interfaces/1/name").asText()).isEqualTo("eth0");
      assertThat(j.at("/interfaces/1/sandbox").asText()).isEqualTo(path(ns));
      assertThat(j.at("/ips/0/address").asText()).startsWith("192.168.1.");
      assertThat(j.at("/ips/0/interface").asInt()).isEqualTo(1);
      assertThat(j.at("/ips/0/version").isMissingNode()).isEqualTo(version.equals("1.0.0"));
      assertThat(j.at("/routes/0/dst").asText()).isEqualTo("0.0.0.0/0");
    }
    MesosCni.Result v = cni.run(Map.of("CNI_COMMAND", "VERSION"), cni.mesosStdin("0.3.1", Map.of()));
    assertThat(v.json().get("supportedVersions")).hasSize(6);
  }
}
