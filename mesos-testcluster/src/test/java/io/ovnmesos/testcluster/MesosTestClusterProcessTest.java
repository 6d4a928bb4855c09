package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test cluster as a process of its own, as scripts and manual tries start it. */
@Timeout(120)
class MesosTestClusterProcessTest {
  private static Process start(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Dcom.google.protobuf.use_unsafe_pre22_gencode=true", "-cp", System.getProperty("java.class.path"),
        MesosTestCluster.class.getName()));
    argv.addAll(List.of(args));
    return new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  @Test
  void itServesAMasterWithAgentsAndLaunchesMarathonDefinitionsUntilStopped() throws Exception {
    Process p = start("--listen", "127.0.0.1:0", "--idle-agent", "S0", "--idle-agent", "S1", "--heartbeat", "PT1S",
        "--marathon", Path.of("../marathon-examples/coke-web.json").toAbsolutePath().toString());
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String address = null;
      List<String> launched = new ArrayList<>();
      String line;
      while (launched.size() < 2 && (line = out.readLine()) != null) {
        if (line.startsWith("master listening at ")) {
          address = line.substring("master listening at ".length());
        } else if (line.startsWith("launched /coke/web")) {
          launched.add(line);
        }
      }
      assertThat(address).as("the address it printed").isNotNull();
      assertThat(launched).hasSize(2);
      SchedulerClient client = new SchedulerClient(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
      Response.GetTasks tasks = client.operator("{\"type\":\"GET_TASKS\"}", Response.newBuilder()).getGetTasks();
      assertThat(tasks.getTasksList()).hasSize(2).allMatch(t -> t.getContainer().getNetworkInfos(0).getName().equals("ovn"));
      assertThat(client.operator("{\"type\":\"GET_AGENTS\"}", Response.newBuilder()).getGetAgents().getAgentsCount()).isEqualTo(2);
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("it stops on SIGTERM").isTrue();
    }
  }

  @Test
  void badFlagsAreUsageErrorsThatNameTheFlag() throws Exception {
    Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), MesosTestCluster.class.getName(), "--agent", "S0"))
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(output).contains("--agent needs --cni-config-dir and --cni-plugins-dir");
  }
}
