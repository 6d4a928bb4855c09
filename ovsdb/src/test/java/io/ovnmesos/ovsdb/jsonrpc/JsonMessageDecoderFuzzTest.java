package io.ovnmesos.ovsdb.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random and hostile bytes for the OVSDB JSON-RPC decoder, a thousand tries per property in every
 * build: any bytes give messages or a malformed-message error, never another failure; and real
 * messages split anywhere come out as Jackson parses them whole.
 */
class JsonMessageDecoderFuzzTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static List<JsonNode> feed(byte[] bytes, int chunk) {
    EmbeddedChannel ch = new EmbeddedChannel(new JsonMessageDecoder(1 << 16));
    for (int i = 0; i < bytes.length; i += chunk) {
      ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(chunk, bytes.length - i)));
    }
    List<JsonNode> out = new ArrayList<>();
    for (Object m; (m = ch.readInbound()) != null; ) {
      out.add((JsonNode) m);
    }
    return out;
  }

  @Property
  void anyBytesGiveMessagesOrAMalformedMessageError(@ForAll byte[] bytes, @ForAll @IntRange(min = 1, max = 64) int chunk) {
    try {
      feed(bytes, chunk);
    } catch (JsonRpcConnection.MalformedMessage expected) {
      assertThat(expected.getMessage()).startsWith("malformed message from server:");
    }
  }

  @Property
  void messagesSplitAnywhereAreParsedAsWhole(@ForAll("messages") List<String> messages, @ForAll @IntRange(min = 1, max = 17) int chunk)
      throws Exception {
    List<JsonNode> expected = new ArrayList<>();
    for (String m : messages) {
      expected.add(MAPPER.readTree(m));
    }
    assertThat(feed(String.join(" ", messages).getBytes(StandardCharsets.UTF_8), chunk)).isEqualTo(expected);
  }

  @Provide
  Arbitrary<List<String>> messages() {
    Arbitrary<String> text = Arbitraries.strings().ofMaxLength(20);
    Arbitrary<String> reply = Arbitraries.integers().between(0, 1_000_000).flatMap(id -> text.map(t -> {
      try {
        return MAPPER.writeValueAsString(MAPPER.createObjectNode().put("id", id).putNull("error")
            .set("result", MAPPER.createArrayNode().add(t).add(id * 1.5).add(true).addNull()
                .add(MAPPER.createArrayNode().add("map").add(MAPPER.createArrayNode().add(MAPPER.createArrayNode().add(t).add(t))))));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }));
    return reply.list().ofMinSize(1).ofMaxSize(5);
  }
}
