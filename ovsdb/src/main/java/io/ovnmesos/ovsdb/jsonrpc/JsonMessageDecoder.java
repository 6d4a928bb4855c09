package io.ovnmesos.ovsdb.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns the bytes of a JSON-RPC stream into JSON values, one per message, while they arrive.
 *
 * <p>OVSDB messages are JSON values written back to back. A monitor's first reply for a large database
 * is tens of megabytes; framing it first and parsing it afterwards means the bytes are scanned twice,
 * held twice, and nothing is parsed until the last byte is in. Jackson's non-blocking parser takes each
 * network read as it comes, and this handler assembles the tree, so parsing overlaps the transfer.
 */
final class JsonMessageDecoder extends ChannelInboundHandlerAdapter {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final int CHUNK = 64 * 1024;

  private final long maxMessageBytes;
  private final JsonParser parser;
  private final ByteArrayFeeder feeder;
  private final byte[] chunk = new byte[CHUNK];
  private final Deque<ContainerNode<?>> open = new ArrayDeque<>();
  private String field;
  private long messageStart;
  private long fed;
  private boolean failed;

  JsonMessageDecoder(long maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
    try {
      this.parser = FACTORY.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException("Jackson has no non-blocking parser", e);
    }
    this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      while (!failed && buf.isReadable()) {
        int n = Math.min(CHUNK, buf.readableBytes());
        buf.readBytes(chunk, 0, n);
        feed(ctx, n);
      }
    } finally {
      buf.release();
    }
  }

  private void feed(ChannelHandlerContext ctx, int n) {
    try {
      feeder.feedInput(chunk, 0, n);
      fed += n;
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
        JsonNode done = accept(token);
        if (done != null) {
          ctx.fireChannelRead(done);
        }
      }
    } catch (IOException e) {
      failed = true;
      throw new JsonRpcConnection.MalformedMessage("invalid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    if (!open.isEmpty() && fed - messageStart > maxMessageBytes) {
      failed = true;
      throw new JsonRpcConnection.MalformedMessage("a message longer than " + maxMessageBytes + " bytes");
    }
  }

  /** Adds one token to the tree being built; returns the message when the token completes it. */
  private JsonNode accept(JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT, START_ARRAY -> {
        ContainerNode<?> node = token == JsonToken.START_OBJECT ? JSON.objectNode() : JSON.arrayNode();
        if (open.isEmpty()) {
          messageStart = parser.currentTokenLocation().getByteOffset();
        } else {
          attach(node);
        }
        open.push(node);
        return null;
      }
      case END_OBJECT, END_ARRAY -> {
        ContainerNode<?> node = open.pop();
        return open.isEmpty() ? node : null;
      }
      case FIELD_NAME -> {
        field = parser.currentName();
        return null;
      }
      default -> {
        JsonNode value = scalar(token);
        if (open.isEmpty()) {
          return value;
        }
        attach(value);
        return null;
      }
    }
  }

  private void attach(JsonNode node) {
    ContainerNode<?> parent = open.peek();
    if (parent instanceof ObjectNode o) {
      o.set(field, node);
    } else {
      ((ArrayNode) parent).add(node);
    }
  }

  private JsonNode scalar(JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> JSON.textNode(parser.getText());
      case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
        case INT -> JSON.numberNode(parser.getIntValue());
        case LONG -> JSON.numberNode(parser.getLongValue());
        default -> JSON.numberNode(parser.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> JSON.numberNode(parser.getDoubleValue());
      case VALUE_TRUE -> JSON.booleanNode(true);
      case VALUE_FALSE -> JSON.booleanNode(false);
      case VALUE_NULL -> JSON.nullNode();
      default -> throw new JsonRpcConnection.MalformedMessage("unexpected JSON token " + token);
    };
  }
}
