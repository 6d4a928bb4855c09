package io.ovnmesos.framework.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.framework.ha.FencingEpoch;
import io.ovnmesos.framework.metrics.FrameworkMetrics;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.topology.network.NetworkSpec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A new leader reads before it may write: its writer queues requests but sends none until it holds
 * the epoch and its cache shows everything written before (see {@code Framework#takeEpoch}).
 */
@OvnTest(chassis = 0)
class PortWriterGrantTest {

  private static final PortWriter.Listener IGNORE = new PortWriter.Listener() {
    @Override
    public void created(io.ovnmesos.topology.port.TaskPort port) {}

    @Override
    public void refused(String name, io.ovnmesos.topology.port.PortRefusal refusal) {}

    @Override
    public void deleted(String name) {}
  };

  private static WantedPort port(String task) {
    return new WantedPort("fw", task, task, "S0", "eth0", Map.of(io.ovnmesos.topology.port.PortLabels.LOGICAL_SWITCH, "grant1"), "*", "");
  }

  private static Topology layOut(OvnTestbed ovn) {
    Topology topology = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())));
    if (topology.networks().find("grant1").isEmpty()) {
      topology.tenants().create("grant");
      topology.networks().create(NetworkSpec.of("grant", "grant1", "10.20.0.0/24"));
    }
    return topology;
  }

  @Test
  void aWriterWhoseGrantFailsWritesNothingThoughItHoldsTheEpoch(OvnTestbed ovn) {
    try (Topology topology = layOut(ovn);
        OvsdbClient epochClient = OvsdbClient.connect(OvsdbOptions.of(ovn.nbRemote()));
        FencingEpoch fencing = new FencingEpoch(epochClient)) {
      fencing.acquire(); // only the grant now stands between the request and the database
      CompletableFuture<Void> writable = new CompletableFuture<>();
      PortWriter writer = new PortWriter(topology, fencing, writable, TenantAccess.allowAll(), new FrameworkMetrics(), IGNORE, () -> {}, false);
      writer.create(port("early"), System.nanoTime());
      writable.completeExceptionally(new IllegalStateException("lost the lead before taking the epoch"));
      writer.close(); // its thread has ended: whatever it sent is on the connection before the echo
      topology.northbound().client().echo();

      assertThat(topology.northbound().switchPort(port("early").name())).isEmpty();
      assertThat(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch_Port").out()).doesNotContain("early");
    }
  }

  @Test
  void requestsQueuedBeforeTheGrantAreWrittenOnceItComes(OvnTestbed ovn) {
    try (Topology topology = layOut(ovn);
        OvsdbClient epochClient = OvsdbClient.connect(OvsdbOptions.of(ovn.nbRemote()));
        FencingEpoch fencing = new FencingEpoch(epochClient)) {
      CompletableFuture<Void> writable = new CompletableFuture<>();
      PortWriter writer = new PortWriter(topology, fencing, writable, TenantAccess.allowAll(), new FrameworkMetrics(), IGNORE, () -> {}, false);
      try {
        writer.create(port("queued"), System.nanoTime());
        fencing.acquire();
        writable.complete(null);
        Waiter.until("the queued port in OVN", Duration.ofSeconds(30),
            () -> topology.northbound().switchPort(port("queued").name()).isPresent());
      } finally {
        writer.close();
      }
    }
  }
}
