package io.ovnmesos.proto;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.ovnmesos.proto.v1.ClaimRequest;
import io.ovnmesos.proto.v1.ClaimResponse;
import io.ovnmesos.proto.v1.InterfaceRef;
import io.ovnmesos.proto.v1.PortClaimsGrpc;
import org.junit.jupiter.api.Test;

class PortClaimsContractTest {

  @Test
  void generatedStubsCarryAClaimBothWays() throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new PortClaimsGrpc.PortClaimsImplBase() {
          @Override
          public void claim(ClaimRequest req, StreamObserver<ClaimResponse> out) {
            out.onNext(ClaimResponse.newBuilder()
                .setLogicalSwitch("coke1")
                .setLogicalSwitchPort(req.getInterface().getContainerId() + "-" + req.getInterface().getInterfaceName())
                .addAddresses("192.168.1.2/24")
                .build());
            out.onCompleted();
          }
        }).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      ClaimResponse r = PortClaimsGrpc.newBlockingStub(channel).claim(ClaimRequest.newBuilder()
          .setInterface(InterfaceRef.newBuilder().setContainerId("c1").setInterfaceName("eth0"))
          .build());

      assertThat(r.getLogicalSwitch()).isEqualTo("coke1");
      assertThat(r.getLogicalSwitchPort()).isEqualTo("c1-eth0");
      assertThat(r.getAddressesList()).containsExactly("192.168.1.2/24");
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }
}
