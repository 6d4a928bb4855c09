package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import io.ovnmesos.topology.port.PortMarks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The framework killed with SIGKILL at random points, again and again, while tasks are launched and
 * killed. Then one more framework starts and reconciles. The invariant: OVN holds exactly the ports
 * of the live tasks, each once, and no two ports share an address.
 */
@OvnTest(chassis = 0)
@Timeout(600)
class FrameworkCrashTest {
  private static final int CRASHES = 5;

  private static Process framework(String master, String nb, int statusPort) throws Exception {
    List<String> argv = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), OvnMesosFramework.class.getName(), "--master", master, "--nb", nb,
        "--grpc-address", "127.0.0.1:0", "--status-address", "127.0.0.1:" + statusPort);
    return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static boolean ready(HttpClient http, int port) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static int freePort() throws java.io.IOException {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void killedAtRandomItLeavesOvnEqualToMesosOnceOneRunsAgain(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    Master state = MesosOvnCluster.idleAgents("S0", "S1");
    Protos.FrameworkID marathon = MesosOvnCluster.marathon(state);
    Random random = new Random(20261126);
    List<String> live = new ArrayList<>();
    int launched = 0;
    int killed = 0;
    try (MasterServer master = MasterServer.start(state, Duration.ofMillis(500))) {
      HttpClient http = HttpClient.newHttpClient();
      for (int crash = 0; crash < CRASHES; crash++) {
        int statusPort = freePort();
        Process p = framework(master.address(), ovn.nbRemote(), statusPort);
        try {
          // A burst while it starts, registers, reconciles and writes; the kill lands at a random
          // point after it is ready, in the middle of that work.
          long killAt = Long.MAX_VALUE;
          long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (System.nanoTime() < killAt) {
            assertThat(killAt != Long.MAX_VALUE || System.nanoTime() < readyBy).as("framework " + crash + " ready within 60 s")
                .isTrue();
            if (killAt == Long.MAX_VALUE && ready(http, statusPort)) {
              killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextInt(800));
            }
            assertThat(p.isAlive()).as("framework process " + crash + " is running").isTrue();
            String id = "t" + launched++;
            state.launch(marathon, MesosOvnCluster.commandTask(id, "S" + (launched % 2), random.nextBoolean() ? "coke1" : "pepsi1",
                "sleep 600"));
            live.add(id);
            if (random.nextInt(3) == 0 && !live.isEmpty()) {
              state.kill(Protos.TaskID.newBuilder().setValue(live.remove(random.nextInt(live.size()))).build());
              killed++;
            }
            p.waitFor(2, TimeUnit.MILLISECONDS); // paces the burst; returns early if the process died
          }
        } finally {
          p.destroyForcibly(); // SIGKILL: no shutdown hook, no latch release, a batch perhaps half-written
          assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
      }

      Set<String> written = frameworkPorts(ovn);
      assertThat(written).as("the killed frameworks had written ports").isNotEmpty();
      Set<String> wanted = new TreeSet<>();
      live.forEach(id -> wanted.add(PortMarks.frameworkPortName(marathon.getValue(), id, "eth0")));
      try (Framework f = Framework.start(MesosOvnCluster.standaloneSettings(master.address(), ovn.nbRemote()))) {
        Waiter.until("a reconcile of every live task", Duration.ofSeconds(60),
            () -> f.lastReconcile().map(o -> o.wanted() == wanted.size()).orElse(false));
        Waiter.until("OVN equal to Mesos", Duration.ofSeconds(60), () -> frameworkPorts(ovn).equals(wanted));
      }
      assertThat(distinctAddressesPerNetwork(ovn)).as("no address used twice in a network").isEqualTo(wanted.size());
      assertThat(launched).as("tasks launched across the crashes").isGreaterThan(CRASHES * 10);
      System.out.printf("FrameworkCrashTest: %d crashes, %d tasks launched, %d killed, %d ports written before the last start, "
          + "%d live; OVN equal to Mesos%n", CRASHES, launched, killed, written.size(), wanted.size());
      assertThat(killed).isPositive();
    }
  }

  private static Set<String> frameworkPorts(OvnTestbed ovn) {
    Set<String> out = new TreeSet<>();
    ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "external_ids:" + PortMarks.OWNER + "="
        + PortMarks.OWNER_FRAMEWORK).out().lines().filter(l -> !l.isBlank()).forEach(l -> out.add(l.strip()));
    return out;
  }

  /** The number of distinct (network, IP) pairs among the framework's ports. */
  private static int distinctAddressesPerNetwork(OvnTestbed ovn) {
    Set<String> pairs = new TreeSet<>();
    for (String network : List.of("coke1", "pepsi1")) {
      ovn.nbctl("--bare", "--columns=addresses", "find", "Logical_Switch_Port", "external_ids:" + PortMarks.OWNER + "="
          + PortMarks.OWNER_FRAMEWORK, "external_ids:ovn-mesos/network=" + network).out().lines().filter(l -> !l.isBlank())
          .forEach(l -> pairs.add(network + " " + l.strip().split(" ")[1]));
    }
    return pairs.size();
  }
}
