package io.ovnmesos.executorhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.Netns;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * In framework mode, a task's network does not depend on the framework being up: with no replica
 * reachable in the claim window, the agent makes the port itself and counts it; with the fallback
 * turned off, the ADD fails with "try again later" and leaves nothing.
 */
@OvnTest
class FrameworkFallbackTest {
  private final ExecutorHookTest setup = new ExecutorHookTest();

  @AfterEach
  void stop() {
    setup.stop();
  }

  /** An address where no framework listens. */
  private static String nobody() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  void withNoFrameworkTheAgentMakesThePortAndCountsIt(OvnTestbed ovn) throws Exception {
    MesosCni cni = setup.startWithFramework(ovn, List.of(nobody()), 300, true);
    Netns ns = setup.container(ovn);
    String cid = ExecutorHookTest.cid();

    MesosCni.Result r = setup.add(cni, cid, "eth0", ns, Map.of("logical_switch", "coke1"));

    assertThat(r.exit()).as(r.stdout()).isZero();
    assertThat(r.json().at("/ip4/ip").asText()).startsWith("192.168.1.");
    assertThat(ovn.nbctl("get", "Logical_Switch_Port", "cni-" + cid + "-eth0", "external_ids:ovn-mesos/owner").out())
        .isEqualTo("agent");
    assertThat(setup.hook().metrics().scrape()).contains("ovn_mesos_agent_created_ports_total 1.0");

    MesosCni.Result del = cni.run(MesosCni.env("DEL", cid, "eth0", ExecutorHookTest.path(ns)),
        cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1")));
    assertThat(del.exit()).isZero();
    assertThat(ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "name=cni-" + cid + "-eth0").out()).isEmpty();
  }

  @Test
  void anAgentThatNeverHeardTheFrameworksTenantRulesMakesNoPortItself(OvnTestbed ovn) throws Exception {
    String nobody = nobody();
    MesosCni cni = setup.startWith(ovn, h -> {
      h.frameworks = List.of(nobody);
      h.mesosWorkDir = ovn.dir().resolve("mesos-work");
      h.claimWaitMillis = 300;
      h.localFallback = true;
      h.tenantRulesCache = ovn.dir().resolve("never-written").toString();
    });
    Netns ns = setup.container(ovn);
    MesosCni.Result r = setup.add(cni, ExecutorHookTest.cid(), "eth0", ns, Map.of("logical_switch", "coke1"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.json().get("code").asInt()).isEqualTo(11);
    assertThat(r.json().get("msg").asText()).contains("has not yet heard the framework's tenant rules");
    assertThat(ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "external_ids:ovn-mesos/made-by=agent")
        .out()).isEmpty();
    assertThat(setup.hook().frameworkTenantRules()).isEmpty();
  }

  @Test
  void withASandboxThePortTakesTheFrameworksNameAndGoesWithItsContainer(OvnTestbed ovn) throws Exception {
    MesosCni cni = setup.startWithFramework(ovn, List.of(nobody()), 300, true);
    Netns ns = setup.container(ovn);
    String cid = ExecutorHookTest.cid();
    java.nio.file.Files.createDirectories(ovn.dir().resolve("mesos-work/slaves/S7/frameworks/F1/executors/web.1/runs/" + cid));
    String name = "F1/web.1/eth0";

    MesosCni.Result r = setup.add(cni, cid, "eth0", ns, Map.of("logical_switch", "coke1"));

    assertThat(r.exit()).as(r.stdout()).isZero();
    // Named and marked as the framework's own, so that the framework adopts it when it is back.
    assertThat(ovn.nbctl("get", "Logical_Switch_Port", name, "external_ids:ovn-mesos/owner").out()).isEqualTo("framework");
    assertThat(ovn.nbctl("get", "Logical_Switch_Port", name, "external_ids:\"ovn-mesos/made-by\"").out()).isEqualTo("agent");
    assertThat(ovn.nbctl("get", "Logical_Switch_Port", name, "external_ids:\"ovn-mesos/agent-id\"").out()).isEqualTo("S7");
    String address = ovn.nbctl("get", "Logical_Switch_Port", name, "addresses").out();
    assertThat(address).doesNotContain("dynamic").contains(r.json().at("/ip4/ip").asText().split("/")[0]);
    assertThat(ovn.nbctl("get", "Logical_Switch_Port", name, "port_security").out()).isEqualTo(address);
    MesosCni.Result again = setup.add(cni, cid, "eth0", ns, Map.of("logical_switch", "coke1"));
    assertThat(again.json().at("/ip4/ip").asText()).as("a retried ADD finds the same port").isEqualTo(r.json().at("/ip4/ip").asText());

    // Its task may have ended while the claim waited: no one but this agent would delete it.
    MesosCni.Result del = cni.run(MesosCni.env("DEL", cid, "eth0", ExecutorHookTest.path(ns)),
        cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1")));
    assertThat(del.exit()).isZero();
    assertThat(ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "name=\"" + name + "\"").out()).isEmpty();
  }

  @Test
  void withTheFallbackOffTheAddFailsAndLeavesNothing(OvnTestbed ovn) throws Exception {
    MesosCni cni = setup.startWithFramework(ovn, List.of(nobody()), 300, false);
    Netns ns = setup.container(ovn);
    String cid = ExecutorHookTest.cid();

    MesosCni.Result r = setup.add(cni, cid, "eth0", ns, Map.of("logical_switch", "coke1"));

    assertThat(r.exit()).isNotZero();
    assertThat(r.json().get("code").asInt()).isEqualTo(11);
    assertThat(r.json().get("msg").asText()).contains("no executor sandbox");
    assertThat(ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "name=cni-" + cid + "-eth0").out()).isEmpty();
    assertThat(ns.exec(java.time.Duration.ofSeconds(5), "ip", "link", "show", "eth0").ok()).isFalse();
  }
}
