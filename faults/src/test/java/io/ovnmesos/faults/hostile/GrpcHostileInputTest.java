package io.ovnmesos.faults.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.ovnmesos.framework.Framework;
import io.ovnmesos.proto.v1.ClaimRequest;
import io.ovnmesos.proto.v1.ClaimResponse;
import io.ovnmesos.proto.v1.InventoryGrpc;
import io.ovnmesos.proto.v1.ListPortsRequest;
import io.ovnmesos.proto.v1.PortClaimsGrpc;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The framework's gRPC entry points: every case of {@code hostile/grpc.json} sent over the wire to a
 * leading framework, as an executor hook or an operator's tool would send it.
 */
@OvnTest(chassis = 0)
class GrpcHostileInputTest {
  private static final String BASE = "{\"interface\":{\"containerId\":\"c0ffee00-0000-4000-8000-000000000001\","
      + "\"interfaceName\":\"eth0\",\"agentId\":\"S0\",\"frameworkId\":\"F1\",\"executorId\":\"web.1\"},"
      + "\"networkName\":\"ovn\",\"labels\":{\"logical_switch\":\"coke1\"},\"waitMillis\":200}";

  @Test
  void everyRequestIsAnsweredWithItsStatusAndChangesNothing(OvnTestbed ovn) throws Exception {
    LoneFramework.layOut(ovn, "10.10.0.0/16");
    Master master = new Master();
    master.addIdleAgent(Protos.AgentID.newBuilder().setValue("S0").build(), "agent-0");
    try (MasterServer server = MasterServer.start(master, Duration.ofMillis(500));
        Framework framework = LoneFramework.start(server.address(), ovn)) {
      Waiter.until("the framework ready", Duration.ofSeconds(60), framework::isReady);
      String before = ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch_Port").out();
      ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + framework.grpcPort()).usePlaintext()
          .maxInboundMessageSize(16 << 20).build();
      SoftAssertions soft = new SoftAssertions();
      List<JsonNode> cases = Corpus.cases("grpc");
      try {
        for (JsonNode c : cases) {
          String name = c.get("name").asText();
          Status.Code expected = Status.Code.valueOf(c.get("status").asText());
          Status.Code got;
          String description;
          try {
            call(channel, c.get("rpc").asText(), Corpus.merge((ObjectNode) Corpus.JSON.readTree(BASE), c.get("request")));
            got = Status.Code.OK;
            description = "";
          } catch (StatusRuntimeException e) {
            got = e.getStatus().getCode();
            description = String.valueOf(e.getStatus().getDescription());
          }
          soft.assertThat(got).as(name + ": status (" + description + ")").isEqualTo(expected);
          soft.assertThat(description).as(name + ": description").contains(c.get("msg").asText());
          soft.assertThat(description).as(name + ": no control characters echoed").doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f]");
          soft.assertThat(description.length()).as(name + ": a bounded description").isLessThan(2_000);
        }
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
      soft.assertThat(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch_Port").out()).as("ports after the corpus")
          .isEqualTo(before);
      soft.assertThat(framework.isReady()).as("the framework still ready").isTrue();
      System.out.printf("gRPC hostile input: %d cases%n", cases.size());
      soft.assertAll();
    }
  }

  /** The Release call older agents made; the framework no longer serves it. */
  private static final MethodDescriptor<ClaimRequest, ClaimResponse> REMOVED_RELEASE = MethodDescriptor
      .<ClaimRequest, ClaimResponse>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("ovnmesos.v1.PortClaims/Release").setRequestMarshaller(ProtoUtils.marshaller(ClaimRequest.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(ClaimResponse.getDefaultInstance())).build();

  private static void call(ManagedChannel channel, String rpc, ObjectNode request) throws Exception {
    String json = request.toString();
    switch (rpc) {
      case "Claim" -> PortClaimsGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
          .claim(parse(json, ClaimRequest.newBuilder()));
      case "Release" -> ClientCalls.blockingUnaryCall(channel, REMOVED_RELEASE, CallOptions.DEFAULT.withDeadlineAfter(20,
          TimeUnit.SECONDS), parse(json, ClaimRequest.newBuilder()));
      case "ListPorts" -> assertThat(InventoryGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
          .listPorts(parse(json, ListPortsRequest.newBuilder())).getPortsList()).isEmpty();
      default -> throw new IllegalArgumentException("unknown rpc " + rpc);
    }
  }

  @SuppressWarnings("unchecked")
  private static <M extends Message> M parse(String json, Message.Builder builder) throws Exception {
    JsonFormat.parser().ignoringUnknownFields().merge(json, builder);
    return (M) builder.build();
  }
}
