package io.ovnmesos.executorhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.executorhook.cni.CniException;
import io.ovnmesos.testbed.Netns;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Bad or hostile CNI input: the spec's error object with a fitting code, and nothing left behind. */
@OvnTest
class BadInputTest {

  record Case(String name, Map<String, String> env, String stdin, int code, String msg) {}

  @Test
  void everyBadCallGetsAClearErrorAndChangesNothing(OvnTestbed ovn) throws Exception {
    ExecutorHookTest setup = new ExecutorHookTest();
    MesosCni cni = setup.start(ovn);
    try {
      Netns ns = setup.container(ovn);
      String netns = ExecutorHookTest.path(ns);
      String good = cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1"));
      Function<Map<String, String>, Map<String, String>> env = overrides -> {
        Map<String, String> e = new LinkedHashMap<>(MesosCni.env("ADD", "c0ffee00-0000-4000-8000-000000000001", "eth0", netns));
        // Where the config cannot name the socket (it is missing or broken), the plugin falls back
        // to this variable, and on a real agent to the default path the daemon listens on.
        e.put("OVN_MESOS_CNI_SOCKET", setup.socket().toString());
        e.putAll(overrides);
        return e;
      };
      String deep = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
      List<Case> cases = List.of(
          new Case("no command", env.apply(mapOf("CNI_COMMAND", null)), good, 4, "CNI_COMMAND is not set"),
          new Case("unknown command", env.apply(Map.of("CNI_COMMAND", "GC")), good, 4, "CNI_COMMAND \"GC\" is not supported"),
          new Case("no container id", env.apply(mapOf("CNI_CONTAINERID", null)), good, 4, "CNI_CONTAINERID is not set"),
          new Case("hostile container id", env.apply(Map.of("CNI_CONTAINERID", "x; rm -rf /")), good, 4, "CNI_CONTAINERID is not valid"),
          new Case("no netns on ADD", env.apply(mapOf("CNI_NETNS", null)), good, 4, "CNI_NETNS is not set"),
          new Case("netns escaping", env.apply(Map.of("CNI_NETNS", "/var/run/netns/../../etc/passwd")), good, 4, "CNI_NETNS is not a usable path"),
          new Case("relative netns", env.apply(Map.of("CNI_NETNS", "netns")), good, 4, "CNI_NETNS is not a usable path"),
          new Case("ifname too long", env.apply(Map.of("CNI_IFNAME", "eth0123456789012")), good, 4, "CNI_IFNAME is not valid"),
          new Case("ifname with slash", env.apply(Map.of("CNI_IFNAME", "../eth0")), good, 4, "CNI_IFNAME is not valid"),
          new Case("empty stdin", env.apply(Map.of()), "", 6, "no network configuration on stdin"),
          new Case("not JSON", env.apply(Map.of()), "{\"cniVersion\":", 6, "not valid JSON"),
          new Case("JSON but not an object", env.apply(Map.of()), "[1,2]", 6, "must be a JSON object"),
          new Case("deeply nested", env.apply(Map.of()), deep, 6, "not valid JSON"),
          new Case("unsupported version", env.apply(Map.of()), good.replace("\"0.3.1\"", "\"9.0.0\""), 1, "cniVersion \"9.0.0\" is not supported"),
          new Case("no name", env.apply(Map.of()), good.replace("\"name\":\"ovn\",\"socket\"", "\"socket\""), 7, "has no \"name\""),
          new Case("no logical_switch label", env.apply(Map.of()), cni.mesosStdin("0.3.1", Map.of("app", "x")), 101, "no \"logical_switch\" label"),
          new Case("unknown network", env.apply(Map.of()), cni.mesosStdin("0.3.1", Map.of("logical_switch", "fanta1")), 100, "network \"fanta1\" does not exist"),
          new Case("hostile network name", env.apply(Map.of()), cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1\";$(reboot)")), 100, "does not exist"),
          new Case("address outside subnet", env.apply(Map.of()), cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1", "ip_address", "10.0.0.5")), 101, "is outside network coke1"),
          new Case("gateway address", env.apply(Map.of()), cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1", "ip_address", "192.168.1.1")), 101, "gateway address"),
          new Case("not an address", env.apply(Map.of()), cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1", "ip_address", "banana")), 101, "is not an address"),
          new Case("multicast MAC", env.apply(Map.of()), cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1", "mac_address", "01:00:5e:00:00:01")), 101, "not a unicast MAC"),
          new Case("label values of the wrong type", env.apply(Map.of()), good.replace("\"value\":\"coke1\"", "\"value\":7"), 7, "must have a string value"));
      for (Case c : cases) {
        MesosCni.Result r = cni.run(c.env(), c.stdin());
        assertThat(r.exit()).as(c.name() + ": " + r.stdout()).isEqualTo(1);
        assertThat(r.json().get("code").asInt()).as(c.name() + ": " + r.stdout()).isEqualTo(c.code());
        assertThat(r.json().get("msg").asText()).as(c.name()).contains(c.msg());
        assertThat(r.json().has("cniVersion")).as(c.name()).isTrue();
      }
      // An address in use by another task.
      assertThat(cni.run(env.apply(Map.of("CNI_CONTAINERID", "c0ffee00-0000-4000-8000-0000000000aa")),
          cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1", "ip_address", "192.168.1.77"))).exit()).isZero();
      Netns second = setup.container(ovn);
      MesosCni.Result inUse = cni.run(MesosCni.env("ADD", "c0ffee00-0000-4000-8000-0000000000bb", "eth0", ExecutorHookTest.path(second)),
          cni.mesosStdin("0.3.1", Map.of("logical_switch", "coke1", "ip_address", "192.168.1.77")));
      assertThat(inUse.json().get("code").asInt()).isEqualTo(CniException.NO_FREE_ADDRESS);
      assertThat(inUse.json().get("msg").asText()).contains("192.168.1.77 is held by another port");

      // Nothing of the refused calls is anywhere: one port (the accepted call's) in NB and OVS, one veth.
      assertThat(ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "external_ids:ovn-mesos/owner=agent")
          .out().lines().filter(l -> !l.isBlank()).toList()).containsExactly("cni-c0ffee00-0000-4000-8000-0000000000aa-eth0");
      assertThat(ovn.chassis().vsctl("--bare", "--columns=name", "find", "Interface", "external_ids:ovn-mesos/ifname=eth0")
          .out().lines().filter(l -> !l.isBlank()).count()).isEqualTo(1);
      assertThat(ovn.chassis().netns().orElseThrow().exec(Duration.ofSeconds(5), "ip", "-o", "link", "show", "type", "veth")
          .stdout().lines().filter(l -> l.contains("ovm")).count()).isEqualTo(1);
      assertThat(second.exec(Duration.ofSeconds(5), "ip", "link", "show", "eth0").ok()).isFalse();
      assertThat(setup.hook().metrics().scrape()).contains("ovn_mesos_cni_errors_total{code=\"4\"} 9.0")
          .contains("ovn_mesos_cni_errors_total{code=\"101\"} 5.0");
    } finally {
      setup.stop();
    }
  }

  private static Map<String, String> mapOf(String k, String v) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(k, v);
    return m;
  }
}
