package io.ovnmesos.executorhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.Command;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.testcluster.agent.CniIsolator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * The whole agent side as a Mesos agent drives it: the test cluster's faithful network/cni isolator
 * runs the real ovn-mesos-plugin from a plugins directory with the operator's config file, against
 * the executor hook and real OVN; Mesos gets the task's address, and the task's network works.
 */
@OvnTest
class MesosIsolatorTest {

  @Test
  void aMesosContainerGetsItsOvnAddressAndLosesItOnDestroy(OvnTestbed ovn) throws Exception {
    ExecutorHookTest setup = new ExecutorHookTest();
    setup.start(ovn);
    Path plugins = Files.createDirectories(ovn.dir().resolve("mesos/plugins"));
    Path configs = Files.createDirectories(ovn.dir().resolve("mesos/config"));
    Files.copy(MesosCni.PLUGIN, plugins.resolve("ovn-mesos-plugin"));
    plugins.resolve("ovn-mesos-plugin").toFile().setExecutable(true);
    Files.writeString(configs.resolve("10-ovn.conf"), "{\"cniVersion\":\"0.2.0\",\"name\":\"ovn\",\"type\":\"ovn-mesos-plugin\","
        + "\"socket\":\"" + setup.socket() + "\"}");
    CniIsolator isolator = new CniIsolator(configs, plugins.toString(), Files.createDirectories(ovn.dir().resolve("mesos/run")),
        "/usr/sbin:/usr/bin:/sbin:/bin");
    // Two executors, each in a network namespace of its own.
    Process a = new ProcessBuilder("unshare", "--net", "--", "sleep", "600").start();
    Process b = new ProcessBuilder("unshare", "--net", "--", "sleep", "600").start();
    String ours = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    for (Process p : List.of(a, b)) {
      Waiter.until("an own netns", Duration.ofSeconds(10),
          () -> !Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/ns/net")).toString().equals(ours));
    }
    Protos.NetworkInfo coke1 = Protos.NetworkInfo.newBuilder().setName("ovn").setLabels(Protos.Labels.newBuilder()
        .addLabels(Protos.Label.newBuilder().setKey("logical_switch").setValue("coke1"))).build();
    var cidA = Protos.ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).build();
    var cidB = Protos.ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).build();
    try {
      Protos.ContainerStatus sa = isolator.attach(cidA, a.pid(), List.of(coke1));
      Protos.ContainerStatus sb = isolator.attach(cidB, b.pid(), List.of(coke1));

      String ipA = sa.getNetworkInfos(0).getIpAddresses(0).getIpAddress();
      String ipB = sb.getNetworkInfos(0).getIpAddresses(0).getIpAddress();
      assertThat(ipA).startsWith("192.168.1.");
      assertThat(sa.getNetworkInfos(0).getIpAddresses(0).getProtocol()).isEqualTo(Protos.NetworkInfo.Protocol.IPv4);
      assertThat(Command.of("nsenter", "--net=/proc/" + a.pid() + "/ns/net", "ping", "-c", "1", "-W", "2", ipB).run().ok())
          .as("task a -> task b over OVN").isTrue();

      isolator.detach(cidA);
      assertThat(ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "name=cni-" + cidA.getValue() + "-eth0").out()).isEmpty();
      assertThat(Command.of("nsenter", "--net=/proc/" + a.pid() + "/ns/net", "ip", "link", "show", "eth0").run().ok()).isFalse();
    } finally {
      isolator.detach(cidB);
      a.destroyForcibly();
      b.destroyForcibly();
      setup.stop();
    }
  }
}
