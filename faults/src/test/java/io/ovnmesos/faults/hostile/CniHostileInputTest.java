package io.ovnmesos.faults.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ovnmesos.executorhook.ExecutorHook;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.Netns;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.network.NetworkSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The CNI entry point: every case of {@code hostile/cni.json} run through the real plugin binary, as
 * the Mesos agent runs it (an environment of CNI_* and PATH only), against a real executor hook.
 */
@OvnTest
class CniHostileInputTest {
  static final Path PLUGIN = Path.of("../cni/target/ovn-mesos-plugin").toAbsolutePath().normalize();
  private static final String CONTAINER = "c0ffee00-0000-4000-8000-000000000001";

  @Test
  void everyCaseGetsTheSpecsErrorWithItsCodeAndChangesNothing(OvnTestbed ovn) throws Exception {
    try (Topology topo = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())))) {
      topo.tenants().create("coke");
      topo.networks().create(NetworkSpec.of("coke", "coke1", "192.168.1.0/24"));
    }
    Path socket = ovn.dir().resolve("cni/cni.sock");
    Netns host = ovn.chassis().netns().orElseThrow();
    try (ExecutorHook hook = ExecutorHook.start(new ExecutorHook.Settings(socket, ovn.nbRemote(), ovn.chassis().ovsRemote(),
        "br-int", 1500, 30, "/var/run/netns/" + host.name(), true, "", List.of(), ovn.dir().resolve("work"), 1000, true, null));
        Netns container = Netns.create(ovn.namespacePrefix() + "-hostile")) {
      String ports = ports(ovn);
      ObjectNode config = (ObjectNode) Corpus.JSON.readTree("{\"cniVersion\":\"0.3.1\",\"name\":\"ovn\",\"type\":\"ovn-mesos-plugin\","
          + "\"socket\":\"" + socket + "\",\"args\":{\"org.apache.mesos\":{\"network_info\":{\"name\":\"ovn\",\"labels\":{\"labels\":"
          + "[{\"key\":\"logical_switch\",\"value\":\"coke1\"}]}}}}}");
      SoftAssertions soft = new SoftAssertions();
      List<JsonNode> cases = Corpus.cases("cni");
      for (JsonNode c : cases) {
        String name = c.get("name").asText();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", "ADD");
        env.put("CNI_CONTAINERID", CONTAINER);
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_NETNS", "/var/run/netns/" + container.name());
        env.put("CNI_PATH", PLUGIN.getParent().toString());
        // Where stdin cannot name the socket, the plugin falls back to this, and on an agent to the default path.
        env.put("OVN_MESOS_CNI_SOCKET", socket.toString());
        c.path("env").fields().forEachRemaining(e -> {
          if (e.getValue().isNull()) {
            env.remove(e.getKey());
          } else {
            env.put(e.getKey(), e.getValue().asText());
          }
        });
        String stdin = c.has("raw") ? c.get("raw").asText() : stdin(config, c).toString();
        Answer a = run(env, stdin);
        soft.assertThat(a.exit()).as(name + ": exit; stdout " + a.stdout()).isEqualTo(1);
        JsonNode error;
        try {
          error = Corpus.JSON.readTree(a.stdout());
        } catch (Exception e) {
          soft.fail(name + ": stdout is not the CNI error object: " + a.stdout());
          continue;
        }
        soft.assertThat(error.path("code").asInt()).as(name + ": code; " + a.stdout()).isEqualTo(c.get("code").asInt());
        soft.assertThat(error.path("msg").asText() + " " + error.path("details").asText()).as(name + ": message")
            .contains(c.get("msg").asText());
        soft.assertThat(error.has("cniVersion")).as(name + ": cniVersion").isTrue();
        soft.assertThat(error.path("msg").asText()).as(name + ": one printable line").doesNotContainPattern("[\\x00-\\x1f]");
      }
      // Nothing of any call is anywhere: no port in OVN, no veth, no br-int port.
      soft.assertThat(ports(ovn)).as("logical switch ports after the corpus").isEqualTo(ports);
      soft.assertThat(host.ip("-o", "link", "show").out()).as("veths on the agent host").doesNotContain("ovm");
      soft.assertThat(ovn.chassis().vsctl("list-ports", "br-int").out()).as("br-int ports").doesNotContain("ovm");
      // And the hook still serves a good call.
      Map<String, String> good = Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", CONTAINER, "CNI_IFNAME", "eth0", "CNI_NETNS",
          "/var/run/netns/" + container.name(), "CNI_PATH", PLUGIN.getParent().toString());
      soft.assertThat(run(good, config.toString()).exit()).as("a good ADD after the corpus").isZero();
      Map<String, String> del = new LinkedHashMap<>(good);
      del.put("CNI_COMMAND", "DEL");
      soft.assertThat(run(del, config.toString()).exit()).as("its DEL").isZero();
      System.out.printf("CNI hostile input: %d cases%n", cases.size());
      soft.assertAll();
    }
  }

  private static ObjectNode stdin(ObjectNode config, JsonNode c) {
    ObjectNode out = c.has("config") ? Corpus.merge(config, c.get("config")) : config.deepCopy();
    if (c.has("labels")) {
      var list = Corpus.JSON.createArrayNode();
      c.get("labels").fields().forEachRemaining(e -> list.addObject().put("key", e.getKey()).set("value", e.getValue()));
      ObjectNode info = Corpus.JSON.createObjectNode().put("name", "ovn");
      info.putObject("labels").set("labels", list);
      ((ObjectNode) out.get("args").get("org.apache.mesos")).set("network_info", info);
    }
    if (c.has("networkInfo")) {
      ((ObjectNode) out.get("args").get("org.apache.mesos")).set("network_info", c.get("networkInfo"));
    }
    return out;
  }

  private static String ports(OvnTestbed ovn) {
    return ovn.nbctl("--bare", "--columns=name,addresses,external_ids", "list", "Logical_Switch_Port").out();
  }

  record Answer(int exit, String stdout) {}

  private static Answer run(Map<String, String> env, String stdin) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(PLUGIN.toString());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    Path in = Files.createTempFile("cni-stdin", ".json");
    try {
      Files.writeString(in, stdin, StandardCharsets.UTF_8);
      Process p = pb.redirectInput(in.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the plugin did not finish");
      }
      return new Answer(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    } finally {
      Files.deleteIfExists(in);
    }
  }
}
