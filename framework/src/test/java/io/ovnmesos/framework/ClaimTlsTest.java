package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.ovnmesos.proto.tls.GrpcTls;
import io.ovnmesos.proto.v1.InventoryGrpc;
import io.ovnmesos.proto.v1.ListTenantsRequest;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Pki;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The framework's gRPC services over mutual TLS, with certificates made by {@code ovs-pki} as an OVN
 * deployment makes them: an agent with a certificate from the CA gets answers; one without a
 * certificate, with one from another CA, or in plain text gets none.
 */
@OvnTest(chassis = 0)
class ClaimTlsTest {

  private static <T> T with(ManagedChannel channel, Function<ManagedChannel, T> call) {
    try {
      return call.apply(channel);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void onlyAgentsWithACertificateFromTheCaAreAnswered(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    Path dir = Files.createDirectories(ovn.dir().resolve("grpc-pki"));
    Pki pki = Pki.create(dir.resolve("ours"), Map.of());
    Pki.Credentials server = pki.issue("framework");
    Pki.Credentials agent = pki.issue("agent-1");
    Pki other = Pki.create(dir.resolve("other"), Map.of());
    Pki.Credentials stranger = other.issue("agent-x");
    GrpcTls serverTls = new GrpcTls(server.certificate(), server.privateKey(), Optional.of(pki.caCertificate()));

    Master master = MesosOvnCluster.idleAgents("S0");
    try (MasterServer ms = MasterServer.start(master, Duration.ofMillis(500))) {
      Framework.Settings plain = MesosOvnCluster.standaloneSettings(ms.address(), ovn.nbRemote());
      Framework.Settings tls = new Framework.Settings(plain.master(), plain.masterCredentials(), plain.nb(), plain.zk(),
          plain.zkPath(), plain.zkSessionTimeoutMillis(), plain.grpc(), plain.status(), plain.frameworkInfo(), plain.ovnNetworks(),
          plain.access(), plain.unreachableGrace(), plain.orphanGrace(), plain.initialBackoff(), Optional.of(serverTls));
      try (Framework f = Framework.start(tls)) {
        Waiter.until("the framework subscribed", Duration.ofSeconds(30), f::isReady);
        int port = f.grpcPort();

        GrpcTls ours = new GrpcTls(agent.certificate(), agent.privateKey(), Optional.of(pki.caCertificate()));
        var tenants = with(NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ours.clientContext()).build(),
            ch -> InventoryGrpc.newBlockingStub(ch).listTenants(ListTenantsRequest.getDefaultInstance()).getTenantsCount());
        assertThat(tenants).as("tenants, over mutual TLS").isEqualTo(2);

        GrpcTls theirs = new GrpcTls(stranger.certificate(), stranger.privateKey(), Optional.of(pki.caCertificate()));
        assertThatThrownBy(() -> with(NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(theirs.clientContext()).build(),
            ch -> InventoryGrpc.newBlockingStub(ch).listTenants(ListTenantsRequest.getDefaultInstance())))
            .as("a certificate from another CA").isInstanceOf(StatusRuntimeException.class);
        assertThatThrownBy(() -> with(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build(),
            ch -> InventoryGrpc.newBlockingStub(ch).listTenants(ListTenantsRequest.getDefaultInstance())))
            .as("plain text").isInstanceOf(StatusRuntimeException.class);
        // A client that trusts the CA but has no certificate of its own: the server wants one.
        var anonymous = io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.forClient()
            .trustManager(pki.caCertificate().toFile()).build();
        assertThatThrownBy(() -> with(NettyChannelBuilder.forAddress("127.0.0.1", port).overrideAuthority("localhost")
            .sslContext(anonymous).build(),
            ch -> InventoryGrpc.newBlockingStub(ch).listTenants(ListTenantsRequest.getDefaultInstance())))
            .as("no client certificate").isInstanceOf(StatusRuntimeException.class);
      }
    }
  }

  @Test
  void halfATlsConfigurationIsRefusedNamingTheFlags() {
    assertThatThrownBy(() -> GrpcTls.of(Path.of("/nonexistent/cert.pem"), null, null, "--grpc-tls-cert/--grpc-tls-key"))
        .hasMessageContaining("--grpc-tls-cert/--grpc-tls-key: a certificate and its private key go together");
    assertThatThrownBy(() -> GrpcTls.of(null, null, Path.of("/etc/hostname"), "--framework-tls-*"))
        .hasMessageContaining("a CA certificate needs this side's certificate and private key too");
    assertThatThrownBy(() -> GrpcTls.of(Path.of("/nonexistent/cert.pem"), Path.of("/nonexistent/key.pem"), null, "x"))
        .hasMessageContaining("cannot read TLS file /nonexistent/cert.pem");
    assertThat(GrpcTls.of(null, null, null, "x")).isEmpty();
  }
}
