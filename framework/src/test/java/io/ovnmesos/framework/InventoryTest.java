package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.ovnmesos.proto.v1.InventoryGrpc;
import io.ovnmesos.proto.v1.ListNetworksRequest;
import io.ovnmesos.proto.v1.ListPortsRequest;
import io.ovnmesos.proto.v1.ListTenantsRequest;
import io.ovnmesos.proto.v1.TaskPortInfo;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import java.time.Duration;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/** The read-only Inventory service over real gRPC, from a framework following the test cluster. */
@OvnTest(chassis = 0)
class InventoryTest {

  @Test
  void portsNetworksAndTenantsAsOvnHoldsThem(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    Master master = MesosOvnCluster.idleAgents("S0", "S1");
    Protos.FrameworkID marathon = MesosOvnCluster.marathon(master);
    try (MasterServer server = MasterServer.start(master, Duration.ofMillis(500));
        Framework f = Framework.start(MesosOvnCluster.standaloneSettings(server.address(), ovn.nbRemote()))) {
      Waiter.until("the framework subscribed", Duration.ofSeconds(30), f::isReady);
      master.launch(marathon, MesosOvnCluster.commandTask("web-1", "S0", "coke1", "true"));
      master.launch(marathon, MesosOvnCluster.commandTask("web-2", "S1", "coke1", "true"));
      master.launch(marathon, MesosOvnCluster.commandTask("db-1", "S1", "pepsi1", "true"));
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", f.grpcPort()).usePlaintext().build();
      try {
        var inventory = InventoryGrpc.newBlockingStub(channel);
        Waiter.until("three ports", Duration.ofSeconds(30),
            () -> inventory.listPorts(ListPortsRequest.getDefaultInstance()).getPortsCount() == 3);

        var onS1 = inventory.listPorts(ListPortsRequest.newBuilder().setAgentId("S1").build()).getPortsList();
        assertThat(onS1).extracting(TaskPortInfo::getTaskId).containsExactly("db-1", "web-2");
        TaskPortInfo web1 = inventory.listPorts(ListPortsRequest.newBuilder().setTaskId("web-1").build()).getPorts(0);
        assertThat(web1.getNetwork()).isEqualTo("coke1");
        assertThat(web1.getTenant()).isEqualTo("coke");
        assertThat(web1.getFrameworkId()).isEqualTo(marathon.getValue());
        assertThat(web1.getOwner()).isEqualTo("framework");
        assertThat(web1.getInterfaceName()).isEqualTo("eth0");
        assertThat(web1.getAddressesList()).singleElement().asString().startsWith("10.10.");
        assertThat(web1.getMac()).startsWith("0a:58:0a:0a:");
        assertThat(inventory.listPorts(ListPortsRequest.newBuilder().setNetwork("pepsi1").setAgentId("S0").build())
            .getPortsCount()).isZero();

        var coke = inventory.listNetworks(ListNetworksRequest.newBuilder().setTenant("coke").build()).getNetworksList();
        assertThat(coke).singleElement().satisfies(n -> {
          assertThat(n.getName()).isEqualTo("coke1");
          assertThat(n.getSubnetsList()).containsExactly("10.10.0.0/16");
          assertThat(n.getTaskPorts()).isEqualTo(2);
        });
        assertThat(inventory.listTenants(ListTenantsRequest.getDefaultInstance()).getTenantsList())
            .extracting(t -> t.getName() + ":" + t.getNetworksList()).containsExactly("coke:[coke1]", "pepsi:[pepsi1]");
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
