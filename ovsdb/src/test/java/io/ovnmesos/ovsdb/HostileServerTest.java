package io.ovnmesos.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a misbehaving peer does to the client. A real ovsdb-server never sends these, so a small
 * scripted peer on loopback stands in for one here (and only here).
 */
class HostileServerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private ScriptedPeer peer;

  @AfterEach
  void stop() throws IOException {
    if (peer != null) {
      peer.close();
    }
  }

  private OvsdbClient connect(Function<JsonNode, byte[]> script) throws IOException {
    peer = new ScriptedPeer(script);
    return OvsdbClient.connect(OvsdbOptions.of("tcp:127.0.0.1:" + peer.port()).withLeaderOnly(false)
        .withRequestTimeout(Duration.ofSeconds(3)).withBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5)));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void invalidJsonFailsTheRequestAndDropsTheConnection() throws IOException {
    try (OvsdbClient client = connect(req -> bytes("{\"id\": " + req.get("id") + ", \"result\": [nope]}"))) {
      assertThatThrownBy(client::listDatabases)
          .isInstanceOf(OvsdbConnectionException.class).hasMessageContaining("malformed message from server");
      await().atMost(Duration.ofSeconds(5)).until(() -> peer.closedConnections.get() == 1);
    }
  }

  @Test
  void aServerThatClosesMidReplyFailsTheRequestClearly() throws IOException {
    try (OvsdbClient client = connect(req -> null)) {
      peer.midReply = bytes("{\"id\": 1, \"result\": [\"OVN_North");
      assertThatThrownBy(client::listDatabases)
          .isInstanceOf(OvsdbConnectionException.class).hasMessageContaining("closed");
    }
  }

  @Test
  void aReplyThatIsNotAnObjectOrLacksAResultIsRejected() throws IOException {
    AtomicInteger n = new AtomicInteger();
    try (OvsdbClient client = connect(req -> n.incrementAndGet() == 1 ? bytes("[1, 2, 3]")
        : bytes("{\"id\": " + req.get("id") + ", \"error\": null}"))) {
      assertThatThrownBy(client::listDatabases).hasMessageContaining("expected a JSON object");
      assertThatThrownBy(client::listDatabases).isInstanceOf(OvsdbException.class);
    }
  }

  @Test
  void aWrongResultShapeIsAClearErrorNotACrash() throws IOException {
    try (OvsdbClient client = connect(req -> bytes("{\"id\": " + req.get("id") + ", \"error\": null, \"result\": "
        + (req.get("method").asText().equals("get_schema") ? "{\"name\": \"X\", \"tables\": {\"T\": {}}}" : "7") + "}"))) {
      assertThatThrownBy(() -> client.schema("X")).isInstanceOf(OvsdbSchemaException.class)
          .hasMessageContaining("X.T: missing \"columns\"");
    }
  }

  @Test
  void anOversizedOrEndlessMessageIsCutOff() throws IOException {
    try (OvsdbClient client = connect(req -> bytes("]]]]}}}}"))) {
      assertThatThrownBy(client::listDatabases).isInstanceOf(OvsdbConnectionException.class);
    }
  }

  @Test
  void aPeerThatStopsAnsweringIsDroppedByTheInactivityProbe() throws IOException {
    // Answers requests, but never the client's echo: a hung server as the probe must see it.
    peer = new ScriptedPeer(req -> req.get("method").asText().equals("echo") ? null
        : bytes("{\"id\": " + req.get("id") + ", \"error\": null, \"result\": [\"Db\"]}"));
    try (OvsdbClient client = OvsdbClient.connect(OvsdbOptions.of("tcp:127.0.0.1:" + peer.port()).withLeaderOnly(false)
        .withProbeInterval(Duration.ofMillis(200)).withBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)))) {
      assertThat(client.listDatabases()).containsExactly("Db");

      // The unanswered probe drops the connection; the client then reconnects at once.
      await().atMost(Duration.ofSeconds(5)).until(() -> peer.closedConnections.get() >= 1 && client.connectionCount() >= 2);
    }
  }

  @Test
  void aServerComposingAMonitorsFirstReplyIsNotDroppedByTheProbe() throws IOException {
    // ovsdb-server answers nothing, echo included, while it composes a large database's first
    // reply: seconds with 100,000 ports. The monitor request's own timeout applies then, not the probe.
    peer = monitorPeer(Duration.ofMillis(1_500), "{\"T\": {\"6c1c2b1e-1f0a-4c3c-9a6e-0b7f3f1d2a10\": {\"initial\": {\"n\": \"x\"}}}}");
    try (OvsdbClient client = OvsdbClient.connect(OvsdbOptions.of("tcp:127.0.0.1:" + peer.port()).withLeaderOnly(false)
        .withProbeInterval(Duration.ofMillis(200)).withBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)))) {
      var cache = client.monitor("Db", io.ovnmesos.ovsdb.cache.MonitorSpec.create().table("T", "n"));

      assertThat(cache.rows("T")).extracting(r -> r.string("n")).containsExactly("x");
      assertThat(client.probesSent()).as("probes went unanswered while the reply was composed").isGreaterThanOrEqualTo(1);
      assertThat(client.connectionCount()).isEqualTo(1);
      assertThat(peer.closedConnections.get()).isZero();
    }
  }

  @Test
  void aStreamedFirstReplyIsCheckedAsAWholeOneWas() throws IOException {
    // Its rows go to the cache as they are parsed; what is left must still be table updates.
    peer = monitorPeer(Duration.ZERO, "{\"T\": {\"6c1c2b1e-1f0a-4c3c-9a6e-0b7f3f1d2a10\": {\"initial\": {\"n\": \"x\"}}}, \"T2\": 5}");
    try (OvsdbClient client = OvsdbClient.connect(OvsdbOptions.of("tcp:127.0.0.1:" + peer.port()).withLeaderOnly(false)
        .withBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)))) {
      assertThatThrownBy(() -> client.monitor("Db", io.ovnmesos.ovsdb.cache.MonitorSpec.create().table("T", "n")))
          .isInstanceOf(OvsdbException.class).hasMessageContaining("not monitored");
    }
  }

  /** A peer with database Db (table T, column n) whose monitor_cond_since answers {@code updates}, after {@code composing}. */
  private static ScriptedPeer monitorPeer(Duration composing, String updates) throws IOException {
    String schema = "{\"name\": \"Db\", \"version\": \"1.0.0\", \"tables\": {\"T\": {\"columns\": {\"n\": {\"type\": \"string\"}}}}}";
    return new ScriptedPeer(req -> {
      String id = req.get("id").toString();
      return switch (req.get("method").asText()) {
        case "get_schema" -> bytes("{\"id\": " + id + ", \"error\": null, \"result\": " + schema + "}");
        case "monitor_cond_since" -> {
          composing(composing);
          yield bytes("{\"id\": " + id + ", \"result\": [false, \"00000000-0000-0000-0000-000000000001\", " + updates
              + "], \"error\": null}");
        }
        default -> bytes("{\"id\": " + id + ", \"error\": null, \"result\": []}");
      };
    });
  }

  /** The peer is busy (as ovsdb-server composing a reply) and reads nothing meanwhile. */
  private static void composing(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void closingTheClientLeavesNoThreadAndNoConnection() throws IOException {
    OvsdbClient client = connect(req -> bytes("{\"id\": " + req.get("id") + ", \"error\": null, \"result\": [\"Db\"]}"));
    assertThat(client.listDatabases()).containsExactly("Db");
    client.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> peer.closedConnections.get() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName).noneMatch(name -> Set.of("ovsdb-io", "ovsdb-callbacks", "ovsdb-timers").stream()
            .anyMatch(name::startsWith)));
    assertThatThrownBy(client::listDatabases).hasMessageContaining("client is closed");
  }

  /** Accepts connections on loopback and answers each request with what the script returns. */
  static final class ScriptedPeer implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    final AtomicInteger closedConnections = new AtomicInteger();
    volatile byte[] midReply;
    private final Thread acceptor;

    ScriptedPeer(Function<JsonNode, byte[]> script) throws IOException {
      acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            MappingIterator<JsonNode> requests = MAPPER.readerFor(JsonNode.class).readValues(in);
            while (requests.hasNextValue()) {
              JsonNode req = requests.nextValue();
              if (midReply != null) {
                out.write(midReply);
                out.flush();
                break;
              }
              byte[] reply = script.apply(req);
              if (reply != null) {
                out.write(reply);
                out.flush();
              }
            }
          } catch (IOException | RuntimeException e) {
            // the client went away or sent something this peer does not parse; next connection
          } finally {
            closedConnections.incrementAndGet();
          }
        }
      }, "scripted-ovsdb-peer");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
