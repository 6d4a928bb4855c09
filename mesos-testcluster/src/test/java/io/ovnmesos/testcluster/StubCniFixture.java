package io.ovnmesos.testcluster;

import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testcluster.agent.CniIsolator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A plugins directory with a stub CNI plugin that records the environment and stdin it was given and
 * answers as told, the capture's config file, and a process in a network namespace of its own.
 */
abstract class StubCniFixture {
  static final Path CAPTURES = Path.of("src/test/resources/captures");
  Path base;
  Path plugins;
  Path configs;
  Path root;
  Process container;

  @BeforeEach
  void setUp() throws Exception {
    base = Files.createTempDirectory("cni-isolator");
    plugins = Files.createDirectories(base.resolve("plugins"));
    configs = Files.createDirectories(base.resolve("config"));
    root = Files.createDirectories(base.resolve("run/mesos/isolators/network/cni"));
    Files.createDirectories(plugins.resolve("log"));
    Path stub = plugins.resolve("capture-cni");
    Files.writeString(stub, """
        #!/bin/bash
        # Records the environment it was given and its stdin, then answers as told.
        d=$(dirname "$0")
        n=$CNI_COMMAND-$CNI_IFNAME-$(date +%s%N)
        tr '\\0' '\\n' < /proc/$$/environ | sort > "$d/log/$n.env"
        cat > "$d/log/$n.stdin"
        if [ "$CNI_COMMAND" = ADD ]; then cat "$d/result"; exit "$(cat "$d/exit")"; fi
        exit 0
        """);
    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    answer("{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.99.0.92/24\",\"gateway\":\"10.99.0.1\"}}", 0);
    // The capture's config file, byte for byte.
    Files.writeString(configs.resolve("ovn.conf"), "{\"cniVersion\":\"0.3.1\",\"name\":\"ovn\",\"type\":\"capture-cni\"}");
    // The executor's process, in a network namespace of its own, as Mesos' launcher clones it.
    container = new ProcessBuilder("unshare", "--net", "--", "sleep", "600").start();
    String ours = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    Waiter.until("the container's own netns", Duration.ofSeconds(10), () ->
        !Files.readSymbolicLink(Path.of("/proc/" + container.pid() + "/ns/net")).toString().equals(ours));
  }

  @AfterEach
  void tearDown() throws IOException {
    container.destroyForcibly();
    try (Stream<Path> mounts = Files.walk(root)) {
      for (Path p : mounts.filter(p -> p.getFileName().toString().equals("ns")).toList()) {
        new ProcessBuilder("umount", p.toString()).start();
      }
    } catch (IOException ignored) {
      // nothing mounted
    }
    try (Stream<Path> all = Files.walk(base)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  void answer(String result, int exit) throws IOException {
    Files.writeString(plugins.resolve("result"), result);
    Files.writeString(plugins.resolve("exit"), Integer.toString(exit));
  }

  CniIsolator isolator() {
    return new CniIsolator(configs, plugins.toString(), root, "/usr/sbin:/usr/bin:/sbin:/bin");
  }

  static Protos.NetworkInfo coke1() {
    return Protos.NetworkInfo.newBuilder().setName("ovn").setLabels(Protos.Labels.newBuilder().addLabels(
        Protos.Label.newBuilder().setKey("logical_switch").setValue("coke1"))).build();
  }

  static Protos.TaskInfo task(String id, String command) {
    return Protos.TaskInfo.newBuilder().setName(id).setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue("S0"))
        .setCommand(Protos.CommandInfo.newBuilder().setValue(command))
        .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS).addNetworkInfos(coke1()))
        .build();
  }

  /** How many times the plugin ran with {@code command} (ADD or DEL). */
  long invocations(String command) throws IOException {
    try (Stream<Path> logs = Files.list(plugins.resolve("log"))) {
      return logs.filter(p -> p.getFileName().toString().startsWith(command + "-") && p.toString().endsWith(".env")).count();
    }
  }

  Map<String, String> recorded(String prefix, String kind) throws IOException {
    try (Stream<Path> logs = Files.list(plugins.resolve("log"))) {
      Path f = logs.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith("." + kind))
          .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " " + kind + " recorded"));
      if (kind.equals("stdin")) {
        return Map.of("stdin", Files.readString(f));
      }
      Map<String, String> env = new TreeMap<>();
      Files.readAllLines(f).forEach(l -> {
        int eq = l.indexOf('=');
        env.put(l.substring(0, eq), l.substring(eq + 1));
      });
      return env;
    }
  }

}
