package io.ovnmesos.faults.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbException;
import io.ovnmesos.ovsdb.OvsdbOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The OVSDB client as an entry point: every case of {@code hostile/ovsdb.json} is what a server sends
 * in answer to list_dbs. A real ovsdb-server never sends these, so a scripted peer on loopback stands
 * in for one here.
 */
class OvsdbHostileInputTest {

  @Test
  void everyHostileReplyFailsTheRequestClearlyAndTheClientStaysUsable() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    List<JsonNode> cases = Corpus.cases("ovsdb");
    for (JsonNode c : cases) {
      String name = c.get("name").asText();
      try (Peer peer = new Peer(c.get("reply").asText(), c.path("close").asBoolean());
          OvsdbClient client = OvsdbClient.connect(OvsdbOptions.of("tcp:127.0.0.1:" + peer.port()).withLeaderOnly(false)
              .withRequestTimeout(Duration.ofSeconds(2)).withBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5)))) {
        try {
          List<String> dbs = client.listDatabases();
          soft.fail(name + ": list_dbs answered " + dbs);
        } catch (OvsdbException e) {
          soft.assertThat(e.getMessage()).as(name + ": message").contains(c.get("msg").asText());
          soft.assertThat(e.getMessage()).as(name + ": no control characters echoed").doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f]");
          soft.assertThat(e.getMessage().length()).as(name + ": a bounded message").isLessThan(2_000);
        } catch (RuntimeException e) {
          soft.fail(name + ": not an OvsdbException: " + e);
        }
      }
    }
    // The same client code then works with a sane peer.
    try (Peer sane = new Peer("{\"id\": $ID, \"result\": [\"OVN_Northbound\"], \"error\": null}", false);
        OvsdbClient client = OvsdbClient.connect(OvsdbOptions.of("tcp:127.0.0.1:" + sane.port()).withLeaderOnly(false)
            .withRequestTimeout(Duration.ofSeconds(2)))) {
      assertThat(client.listDatabases()).containsExactly("OVN_Northbound");
    }
    System.out.printf("OVSDB hostile input: %d cases%n", cases.size());
    soft.assertAll();
  }

  /** Answers each request with {@code reply} ($ID replaced by the request's id), then optionally hangs up. */
  private static final class Peer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());

    Peer(String reply, boolean close) throws IOException {
      Thread t = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            MappingIterator<JsonNode> requests = Corpus.JSON.readerFor(JsonNode.class).readValues(in);
            while (requests.hasNextValue()) {
              JsonNode req = requests.nextValue();
              if (!req.has("method") || req.get("method").asText().equals("echo")) {
                continue;
              }
              out.write(reply.replace("$ID", req.get("id").toString()).getBytes(StandardCharsets.UTF_8));
              out.flush();
              if (close) {
                break;
              }
            }
          } catch (IOException | RuntimeException e) {
            // the client went away; the next connection
          }
        }
      }, "hostile-ovsdb-peer");
      t.setDaemon(true);
      t.start();
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
