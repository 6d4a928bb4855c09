package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.NeedsNamespaces;
import io.ovnmesos.testcluster.agent.CniIsolator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The isolator against what a real Mesos agent did (captures), with a stub plugin that records everything. */
@NeedsNamespaces
class CniIsolatorTest extends StubCniFixture {
  @Test
  void addGetsExactlyTheEnvironmentAndStdinARealAgentGave() throws Exception {
    String cid = "231d2c8b-e5f6-4f33-89d7-d50d49cbac00";
    Protos.ContainerStatus status = isolator().attach(Protos.ContainerID.newBuilder().setValue(cid).build(),
        container.pid(), List.of(coke1()));

    Map<String, String> env = recorded("ADD-eth0", "env");
    assertThat(env.keySet()).containsExactly("CNI_COMMAND", "CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS", "CNI_PATH", "PATH");
    assertThat(env).containsEntry("CNI_COMMAND", "ADD").containsEntry("CNI_CONTAINERID", cid)
        .containsEntry("CNI_IFNAME", "eth0").containsEntry("CNI_PATH", plugins.toString())
        .containsEntry("CNI_NETNS", root.toRealPath().resolve(cid).resolve("ns").toString());
    // Byte for byte what the real agent wrote on the plugin's stdin in scenario t2.
    assertThat(recorded("ADD-eth0", "stdin").get("stdin"))
        .isEqualTo(Files.readString(CAPTURES.resolve("t2-add.stdin.json")).strip());
    // The namespace handle is a bind mount of the container's namespace.
    assertThat(Files.getAttribute(root.resolve(cid).resolve("ns"), "unix:ino"))
        .isEqualTo(Files.getAttribute(Path.of("/proc/" + container.pid() + "/ns/net"), "unix:ino"));
    assertThat(Files.readString(root.resolve(cid).resolve("ovn/eth0/network.info"))).contains("10.99.0.92/24");
    Protos.NetworkInfo reported = status.getNetworkInfos(0);
    assertThat(reported.getName()).isEqualTo("ovn");
    assertThat(reported.getLabels()).isEqualTo(coke1().getLabels());
    assertThat(reported.getIpAddressesList()).containsExactly(Protos.NetworkInfo.IPAddress.newBuilder()
        .setProtocol(Protos.NetworkInfo.Protocol.IPv4).setIpAddress("10.99.0.92").build());
  }

  @Test
  void delUsesTheCheckpointAndDropsCnINetnsOnceTheNamespaceIsGone() throws Exception {
    CniIsolator isolator = isolator();
    var cid = Protos.ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).build();
    isolator.attach(cid, container.pid(), List.of(coke1()));
    // The operator edits the config file meanwhile: DEL still sees what ADD saw.
    Files.writeString(configs.resolve("ovn.conf"), "{\"cniVersion\":\"0.4.0\",\"name\":\"ovn\",\"type\":\"capture-cni\",\"x\":1}");

    isolator.detach(cid);

    assertThat(recorded("DEL-eth0", "stdin")).isEqualTo(recorded("ADD-eth0", "stdin"));
    assertThat(recorded("DEL-eth0", "env")).containsEntry("CNI_NETNS", recorded("ADD-eth0", "env").get("CNI_NETNS"));
    assertThat(root.resolve(cid.getValue())).doesNotExist();

    // After a reboot the handle is no longer a mount: DEL comes without CNI_NETNS (MESOS-9518).
    var second = Protos.ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).build();
    isolator.attach(second, container.pid(), List.of(coke1()));
    new ProcessBuilder("umount", root.resolve(second.getValue()).resolve("ns").toString()).start().waitFor();
    try (Stream<Path> logs = Files.list(plugins.resolve("log"))) {
      for (Path p : logs.toList()) {
        Files.delete(p);
      }
    }
    isolator.detach(second);
    assertThat(recorded("DEL-eth0", "env")).doesNotContainKey("CNI_NETNS");
  }

  @Test
  void aFailingPluginFailsTheAttachWithMesosWordingAndDelStillRuns() throws Exception {
    answer("{\"cniVersion\":\"0.3.1\",\"code\":100,\"msg\":\"nope\"}", 1);
    CniIsolator isolator = isolator();
    var cid = Protos.ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).build();

    assertThatThrownBy(() -> isolator.attach(cid, container.pid(), List.of(coke1())))
        .hasMessage("The CNI plugin '" + plugins.resolve("capture-cni") + "' failed to attach container " + cid.getValue()
            + " to CNI network 'ovn': stdout='{\"cniVersion\":\"0.3.1\",\"code\":100,\"msg\":\"nope\"}', stderr=''");
    isolator.detach(cid);
    assertThat(recorded("DEL-eth0", "stdin").get("stdin")).contains("\"logical_switch\"");
  }

  @Test
  void onlyTheOldResultFormGivesMesosAnAddressAndNetworksAttachAsEthN() throws Exception {
    answer("{\"cniVersion\":\"0.3.1\",\"ips\":[{\"version\":\"4\",\"address\":\"10.99.0.5/24\"}]}", 0);
    Files.writeString(configs.resolve("second.conf"), "{\"cniVersion\":\"0.3.1\",\"name\":\"second\",\"type\":\"capture-cni\"}");
    Files.writeString(configs.resolve("broken.conf"), "{\"name\":\"broken\"}");
    var cid = Protos.ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).build();

    Protos.ContainerStatus status = isolator().attach(cid, container.pid(), List.of(coke1(),
        Protos.NetworkInfo.newBuilder().build(), Protos.NetworkInfo.newBuilder().setName("second").build()));

    assertThat(status.getNetworkInfosList()).extracting(Protos.NetworkInfo::getName).containsExactly("ovn", "second");
    assertThat(status.getNetworkInfos(0).getIpAddressesList()).as("0.3.1 result: no address").isEmpty();
    assertThat(recorded("ADD-eth1", "env")).containsEntry("CNI_IFNAME", "eth1");
    assertThatThrownBy(() -> isolator().attach(cid, container.pid(), List.of(Protos.NetworkInfo.newBuilder().setName("broken").build())))
        .hasMessage("Unknown CNI network 'broken'");
  }

  // --- the agent's task lifecycle on top of the isolator ---


  private static Protos.TaskStatus next(java.util.concurrent.BlockingQueue<Protos.TaskStatus> q) throws InterruptedException {
    Protos.TaskStatus s = q.poll(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(s).as("a status update within 30 s").isNotNull();
    return s;
  }

  @Test
  void anAgentRunsATaskInItsNetworkAndReportsWhatARealAgentReports() throws Exception {
    var updates = new java.util.concurrent.LinkedBlockingQueue<Protos.TaskStatus>();
    var framework = Protos.FrameworkID.newBuilder().setValue("F0").build();
    try (var agent = new io.ovnmesos.testcluster.agent.Agent(Protos.AgentID.newBuilder().setValue("S0").build(), isolator())) {
      agent.launch(framework, task("t1", "exit 0"), updates::add);
      Protos.TaskStatus starting = next(updates);
      assertThat(starting.getState()).isEqualTo(Protos.TaskState.TASK_STARTING);
      assertThat(starting.getSource()).isEqualTo(Protos.TaskStatus.Source.SOURCE_EXECUTOR);
      assertThat(starting.getExecutorId().getValue()).isEqualTo("t1");
      assertThat(starting.getContainerStatus().getNetworkInfos(0).getIpAddresses(0).getIpAddress()).isEqualTo("10.99.0.92");
      assertThat(next(updates).getState()).isEqualTo(Protos.TaskState.TASK_RUNNING);
      Protos.TaskStatus finished = next(updates);
      assertThat(finished.getState()).isEqualTo(Protos.TaskState.TASK_FINISHED);
      assertThat(finished.getMessage()).isEqualTo("Command exited with status 0");

      agent.launch(framework, task("t2", "sleep 60"), updates::add);
      next(updates);
      Protos.TaskStatus running = next(updates);
      // The command runs in the container's namespace, which the isolator attached.
      assertThat(Files.readSymbolicLink(Path.of("/proc/" + running.getContainerStatus().getExecutorPid() + "/ns/net")))
          .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
      agent.kill(Protos.TaskID.newBuilder().setValue("t2").build());
      assertThat(next(updates).getState()).isEqualTo(Protos.TaskState.TASK_KILLING);
      Protos.TaskStatus killed = next(updates);
      assertThat(killed.getState()).isEqualTo(Protos.TaskState.TASK_KILLED);
      assertThat(killed.getMessage()).isEqualTo("Command terminated with signal Terminated");
      try (Stream<Path> left = Files.list(root)) {
        assertThat(left).as("no container checkpoints left").isEmpty();
      }
    }
  }

  @Test
  void aTaskWhoseNetworkFailsToAttachFailsAsMesosFailsItAndItsDelStillRuns() throws Exception {
    answer("{\"cniVersion\":\"0.3.1\",\"code\":100,\"msg\":\"forced failure\"}", 1);
    var updates = new java.util.concurrent.LinkedBlockingQueue<Protos.TaskStatus>();
    try (var agent = new io.ovnmesos.testcluster.agent.Agent(Protos.AgentID.newBuilder().setValue("S0").build(), isolator())) {
      agent.launch(Protos.FrameworkID.newBuilder().setValue("F0").build(), task("rfail", "sleep 60"), updates::add);
      Protos.TaskStatus failed = next(updates);
      assertThat(failed.getState()).isEqualTo(Protos.TaskState.TASK_FAILED);
      assertThat(failed.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
      assertThat(failed.getMessage()).startsWith("Failed to launch container: Collect failed: The CNI plugin '")
          .contains("to CNI network 'ovn': stdout='{\"cniVersion\":\"0.3.1\",\"code\":100,\"msg\":\"forced failure\"}'");
      assertThat(recorded("DEL-eth0", "stdin").get("stdin")).contains("logical_switch");
    }
  }
}
