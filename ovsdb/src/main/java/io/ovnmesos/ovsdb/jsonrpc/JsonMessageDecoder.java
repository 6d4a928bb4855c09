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
import java.util.Map;

/**
 * Turns the bytes of a JSON-RPC stream into JSON values, one per message, while they arrive.
 *
 * <p>OVSDB messages are JSON values written back to back. A monitor's first reply for a large database
 * is tens of megabytes; framing it first and parsing it afterwards means the bytes are scanned twice,
 * held twice, and nothing is parsed until the last byte is in. Jackson's non-blocking parser takes each
 * network read as it comes, and this handler assembles the tree, so parsing overlaps the transfer.
 * The rows of a reply that has a {@link RowStream} go to it one by one instead of into the tree.
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
  /** What each open container is, in step with {@link #open}. */
  private final Deque<Role> roles = new ArrayDeque<>();
  private final Map<Long, RowStream> streams;
  /** The message's id, once read (ovsdb-server writes it first). */
  private Long messageId;
  private RowStream stream;
  private String table;
  /** The UUID of the row being streamed (the row's own fields move {@link #field}). */
  private String row;
  private String field;
  private long messageStart;
  private long fed;
  private boolean failed;

  /** The part a container plays in a streamed reply. */
  private enum Role { PLAIN, RESULT_ARRAY, UPDATES, TABLE, ROW }

  JsonMessageDecoder(long maxMessageBytes) {
    this(maxMessageBytes, Map.of());
  }

  /** @param streams where the rows of a reply go, by request id */
  JsonMessageDecoder(long maxMessageBytes, Map<Long, RowStream> streams) {
    this.maxMessageBytes = maxMessageBytes;
    this.streams = streams;
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
        Role role = Role.PLAIN;
        if (open.isEmpty()) {
          messageStart = parser.currentTokenLocation().getByteOffset();
          messageId = null;
          stream = null;
        } else {
          role = roleOf(token);
          if (role == Role.TABLE) {
            table = field;
          }
          if (role != Role.ROW) {
            attach(node);
          }
        }
        open.push(node);
        roles.push(role);
        return null;
      }
      case END_OBJECT, END_ARRAY -> {
        ContainerNode<?> node = open.pop();
        if (roles.pop() == Role.ROW) {
          stream.row(table, row, node);
        }
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
        if (open.size() == 1 && "id".equals(field) && value.canConvertToLong()) {
          messageId = value.asLong();
        }
        attach(value);
        return null;
      }
    }
  }

  /** What a container starting now is, inside the current one. */
  private Role roleOf(JsonToken token) {
    Role parent = roles.peek();
    if (open.size() == 1 && "result".equals(field) && messageId != null && open.peek() instanceof ObjectNode) {
      RowStream s = streams.get(messageId);
      if (s == null) {
        return Role.PLAIN;
      }
      if (s.position() < 0 && token == JsonToken.START_OBJECT && s.open(null)) {
        stream = s;
        return Role.UPDATES;
      }
      if (s.position() >= 0 && token == JsonToken.START_ARRAY) {
        stream = s;
        return Role.RESULT_ARRAY;
      }
      return Role.PLAIN;
    }
    if (parent == Role.RESULT_ARRAY && token == JsonToken.START_OBJECT && open.peek().size() == stream.position()
        && stream.open(open.peek())) {
      return Role.UPDATES;
    }
    if (parent == Role.UPDATES && token == JsonToken.START_OBJECT) {
      return Role.TABLE;
    }
    if (parent == Role.TABLE && token == JsonToken.START_OBJECT) {
      row = field;
      return Role.ROW;
    }
    return Role.PLAIN;
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
