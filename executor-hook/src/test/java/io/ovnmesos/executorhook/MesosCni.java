package io.ovnmesos.executorhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real ovn-mesos-plugin binary the way the Mesos CNI isolator does: an environment of only
 * the CNI_* variables and PATH, and on stdin the network's config file with
 * {@code args["org.apache.mesos"]["network_info"]} injected, keys sorted and compact.
 */
final class MesosCni {
  static final Path PLUGIN = Path.of("../cni/target/ovn-mesos-plugin").toAbsolutePath().normalize();
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** What the plugin printed and how it exited; stdout parsed when it is JSON. */
  record Result(int exit, String stdout, String stderr) {
    JsonNode json() {
      try {
        return JSON.readTree(stdout);
      } catch (IOException e) {
        throw new AssertionError("plugin stdout is not JSON: " + stdout, e);
      }
    }
  }

  private final Path socket;
  private final Map<String, Object> extra;

  MesosCni(Path socket) {
    this(socket, Map.of());
  }

  /** With {@code extra} top-level keys in the config file (the plugin's own, like hookWait). */
  MesosCni(Path socket, Map<String, Object> extra) {
    this.socket = socket;
    this.extra = extra;
  }

  /** The network's CNI config file, as an operator installs it. */
  Map<String, Object> configFile(String cniVersion) {
    Map<String, Object> conf = new TreeMap<>();
    conf.put("cniVersion", cniVersion);
    conf.put("name", "ovn");
    conf.put("type", "ovn-mesos-plugin");
    conf.put("socket", socket.toString());
    conf.putAll(extra);
    return conf;
  }

  /** The stdin Mesos writes: the config file plus the task's NetworkInfo under args. */
  String mesosStdin(String cniVersion, Map<String, String> labels) {
    Map<String, Object> conf = configFile(cniVersion);
    List<Map<String, String>> list = new ArrayList<>();
    labels.forEach((k, v) -> {
      Map<String, String> l = new TreeMap<>();
      l.put("key", k);
      l.put("value", v);
      list.add(l);
    });
    Map<String, Object> networkInfo = new TreeMap<>();
    networkInfo.put("name", "ovn");
    if (!list.isEmpty()) {
      networkInfo.put("labels", Map.of("labels", list));
    }
    conf.put("args", Map.of("org.apache.mesos", Map.of("network_info", networkInfo)));
    try {
      return JSON.writeValueAsString(conf);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the plugin with {@code cni} (CNI_* variables; null values are left out) and {@code stdin}. */
  Result run(Map<String, String> cni, String stdin) {
    ProcessBuilder pb = new ProcessBuilder(PLUGIN.toString());
    Map<String, String> env = pb.environment();
    String path = env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    env.clear();
    cni.forEach((k, v) -> {
      if (v != null) {
        env.put(k, v);
      }
    });
    env.put("PATH", path);
    try {
      Process p = pb.start();
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("plugin did not finish");
      }
      return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip(),
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The environment Mesos sets for {@code command} (CNI_NETNS may be null for a DEL after a reboot). */
  static Map<String, String> env(String command, String containerId, String ifName, String netns) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_PATH", PLUGIN.getParent().toString());
    env.put("CNI_IFNAME", ifName);
    env.put("CNI_NETNS", netns);
    return env;
  }
}
