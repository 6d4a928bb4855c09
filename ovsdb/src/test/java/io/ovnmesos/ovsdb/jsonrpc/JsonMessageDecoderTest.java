package io.ovnmesos.ovsdb.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonMessageDecoderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static List<JsonNode> feed(EmbeddedChannel ch, String text, int chunk) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i += chunk) {
      ch.writeInbound(Unpooled.wrappedBuffer(b, i, Math.min(chunk, b.length - i)));
    }
    List<JsonNode> out = new ArrayList<>();
    for (Object m; (m = ch.readInbound()) != null; ) {
      out.add((JsonNode) m);
    }
    return out;
  }

  @Test
  void messagesSplitAnywhereOrWrittenBackToBackComeOutWholeAndEqualToAParse() throws Exception {
    String a = "{\"id\":1,\"result\":[\"map\",[[\"k\",\"v\\u00e9 \\\"q\\\"\"]]],\"error\":null}";
    String b = "{\"method\":\"update2\",\"params\":[null,{\"T\":{\"u\":{\"initial\":{\"n\":-12,\"r\":1.5e3,\"big\":12345678901234,"
        + "\"huge\":123456789012345678901234,\"ok\":true,\"no\":false,\"e\":{},\"s\":[]}}}}],\"id\":null}";
    for (int chunk : new int[] {1, 2, 7, 64, 100_000}) {
      EmbeddedChannel ch = new EmbeddedChannel(new JsonMessageDecoder(1 << 20));
      List<JsonNode> got = feed(ch, a + "\n" + b + b, chunk);
      assertThat(got).as("chunk %d", chunk).containsExactly(MAPPER.readTree(a), MAPPER.readTree(b), MAPPER.readTree(b));
      assertThat(got.get(1).at("/params/1/T/u/initial/huge").isBigInteger()).isTrue();
    }
  }

  @Test
  void aBareValueIsAMessageOfItsOwnForTheConnectionToReject() {
    EmbeddedChannel ch = new EmbeddedChannel(new JsonMessageDecoder(1 << 20));
    assertThat(feed(ch, "7 \"x\" [1]", 3)).extracting(JsonNode::toString).containsExactly("7", "\"x\"", "[1]");
  }

  @Test
  void invalidJsonAndOverlongMessagesAreMalformed() {
    EmbeddedChannel bad = new EmbeddedChannel(new JsonMessageDecoder(1 << 20));
    assertThatThrownBy(() -> feed(bad, "{\"id\": [nope]}", 4)).isInstanceOf(JsonRpcConnection.MalformedMessage.class)
        .hasMessageContaining("invalid JSON");
    EmbeddedChannel closers = new EmbeddedChannel(new JsonMessageDecoder(1 << 20));
    assertThatThrownBy(() -> feed(closers, "]]]]}}}}", 8)).isInstanceOf(JsonRpcConnection.MalformedMessage.class);
    EmbeddedChannel endless = new EmbeddedChannel(new JsonMessageDecoder(100));
    assertThatThrownBy(() -> feed(endless, "[" + "1,".repeat(200), 16)).isInstanceOf(JsonRpcConnection.MalformedMessage.class)
        .hasMessageContaining("longer than 100 bytes");
    // A message just under the limit, after a long one, is fine: the limit is per message.
    EmbeddedChannel two = new EmbeddedChannel(new JsonMessageDecoder(100));
    assertThat(feed(two, "[" + "1,".repeat(40) + "1]" + "[" + "2,".repeat(40) + "2]", 10)).hasSize(2);
  }

  /** Collects what a row stream is given. */
  private static final class Collected implements RowStream {
    final int position;
    final List<String> rows = new ArrayList<>();
    final List<JsonNode> opened = new ArrayList<>();

    Collected(int position) {
      this.position = position;
    }

    @Override
    public int position() {
      return position;
    }

    @Override
    public boolean open(JsonNode before) {
      opened.add(before == null ? null : before.deepCopy());
      return before == null || !before.path(0).asBoolean(false);
    }

    @Override
    public void row(String table, String uuid, JsonNode update) {
      rows.add(table + " " + uuid + " " + update);
    }
  }

  @Test
  void theRowsOfAStreamedReplyGoToItsStreamOneByOneAndLeaveTheTree() {
    String reply = "{\"id\":7,\"result\":{\"T\":{\"u1\":{\"initial\":{\"n\":[\"set\",[\"a\",\"b\"]]}},"
        + "\"u2\":{\"initial\":{\"n\":\"c\"}}},\"E\":{}},\"error\":null}";
    String other = "{\"id\":8,\"result\":{\"T\":{\"u3\":{\"initial\":{}}}},\"error\":null}";
    for (int chunk : new int[] {1, 5, 100_000}) {
      Collected rows = new Collected(-1);
      EmbeddedChannel ch = new EmbeddedChannel(new JsonMessageDecoder(1 << 20, java.util.Map.of(7L, rows)));
      List<JsonNode> got = feed(ch, reply + other, chunk);
      assertThat(rows.rows).as("chunk %d", chunk).containsExactly(
          "T u1 {\"initial\":{\"n\":[\"set\",[\"a\",\"b\"]]}}", "T u2 {\"initial\":{\"n\":\"c\"}}");
      assertThat(got.get(0).toString()).isEqualTo("{\"id\":7,\"result\":{\"T\":{},\"E\":{}},\"error\":null}");
      // A reply without a stream is whole.
      assertThat(got.get(1).at("/result/T/u3/initial").isObject()).isTrue();
    }
  }

  @Test
  void aResultArrayIsStreamedFromItsElementAtThePositionIfTheStreamWantsIt() {
    Collected fresh = new Collected(2);
    Collected resumed = new Collected(2);
    EmbeddedChannel ch = new EmbeddedChannel(new JsonMessageDecoder(1 << 20, java.util.Map.of(1L, fresh, 2L, resumed)));
    List<JsonNode> got = feed(ch, "{\"id\":1,\"result\":[false,\"t1\",{\"T\":{\"u\":{\"initial\":{}}}}],\"error\":null}"
        + "{\"id\":2,\"result\":[true,\"t2\",{\"T\":{\"u\":{\"modify\":{}}}}],\"error\":null}", 3);
    assertThat(fresh.rows).containsExactly("T u {\"initial\":{}}");
    assertThat(fresh.opened.get(0).toString()).isEqualTo("[false,\"t1\"]");
    assertThat(got.get(0).at("/result/2/T").isEmpty()).isTrue();
    assertThat(resumed.rows).isEmpty();
    assertThat(got.get(1).at("/result/2/T/u/modify").isObject()).as("not wanted: left in the tree").isTrue();
  }

  @Test
  void aReplyWhoseResultComesBeforeItsIdIsLeftWhole() {
    Collected rows = new Collected(-1);
    EmbeddedChannel ch = new EmbeddedChannel(new JsonMessageDecoder(1 << 20, java.util.Map.of(7L, rows)));
    List<JsonNode> got = feed(ch, "{\"result\":{\"T\":{\"u\":{\"initial\":{}}}},\"id\":7,\"error\":null}", 4);
    assertThat(rows.rows).isEmpty();
    assertThat(rows.opened).isEmpty();
    assertThat(got.get(0).at("/result/T/u/initial").isObject()).isTrue();
  }
}
