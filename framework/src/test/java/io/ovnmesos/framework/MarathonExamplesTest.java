package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.testcluster.marathon.MarathonDefinition;
import io.ovnmesos.testcluster.marathon.MarathonLauncher;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.network.NetworkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * Every definition in {@code marathon-examples/}, launched as Marathon would launch it on the test
 * cluster's agent, with the real plugin, executor hook and framework: each task runs and has the
 * addresses its definition asks for.
 */
@OvnTest
class MarathonExamplesTest {
  private static final Path EXAMPLES = Path.of("../marathon-examples").toAbsolutePath().normalize();

  @Test
  void everyExampleRunsWithTheAddressesItAsksFor(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (Topology topo = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())))) {
      topo.networks().create(NetworkSpec.of("coke", "coke2", "10.20.0.0/16"));
    }
    Map<Path, MarathonDefinition> definitions = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        definitions.put(f, MarathonDefinition.parse(new ObjectMapper().readTree(f.toFile())));
      }
    }
    assertThat(definitions).as("the examples").hasSizeGreaterThanOrEqualTo(5);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn)) {
      c.startFramework(TenantAccess.allowAll());
      MarathonLauncher launcher = new MarathonLauncher(c.master, c.marathon, List.of(c.agent.id()));
      Map<Path, List<MarathonLauncher.Instance>> launched = new LinkedHashMap<>();
      definitions.forEach((f, d) -> launched.put(f, launcher.launch(d)));

      for (var e : launched.entrySet()) {
        MarathonDefinition d = definitions.get(e.getKey());
        List<MarathonDefinition.Network> networks = d.networks().stream().filter(n -> !n.mode().equals("host")).toList();
        for (MarathonLauncher.Instance instance : e.getValue()) {
          List<List<String>> addressesOfTasks = new ArrayList<>();
          for (Protos.TaskID id : instance.tasks()) {
            Waiter.until(e.getKey().getFileName() + ": " + id.getValue() + " running", Duration.ofSeconds(60),
                () -> c.task(id.getValue()).map(t -> t.getState() == Protos.TaskState.TASK_RUNNING).orElse(false));
            Protos.Task task = c.task(id.getValue()).orElseThrow();
            List<Protos.NetworkInfo> got = task.getStatuses(task.getStatusesCount() - 1).getContainerStatus().getNetworkInfosList();
            assertThat(got).as(id.getValue() + ": one address per network").hasSize(networks.size())
                .allMatch(n -> n.getIpAddressesCount() == 1);
            for (int i = 0; i < networks.size(); i++) {
              String fixed = networks.get(i).labels().get("ip_address");
              if (fixed != null) {
                assertThat(got.get(i).getIpAddresses(0).getIpAddress()).as(id.getValue() + ": the fixed address").isEqualTo(fixed);
              }
            }
            addressesOfTasks.add(got.stream().map(n -> n.getIpAddresses(0).getIpAddress()).toList());
          }
          assertThat(addressesOfTasks.stream().distinct()).as(e.getKey().getFileName() + ": a pod's tasks share its interface")
              .hasSize(1);
        }
      }
    }
  }
}
