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
}
