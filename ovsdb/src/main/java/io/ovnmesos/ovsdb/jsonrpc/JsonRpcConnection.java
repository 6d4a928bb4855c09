package io.ovnmesos.ovsdb.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.ovnmesos.ovsdb.OvsdbConnectionException;
import io.ovnmesos.ovsdb.OvsdbErrorException;
import io.ovnmesos.ovsdb.OvsdbTimeoutException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON-RPC 1.0 connection to an OVSDB server (RFC 7047 section 4): requests matched to replies by
 * id (many may be in flight), notifications passed to a listener, the server's {@code echo} answered,
 * and an inactivity probe that sends {@code echo} after a quiet period and drops the connection if
 * that goes unanswered.
 *
 * <p>Futures complete on the connection's event loop thread: code chained to them must not block.
 */
public final class JsonRpcConnection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JsonRpcConnection.class);
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Largest message accepted: a full NB database with 100,000 ports fits comfortably. */
  private static final int MAX_MESSAGE_BYTES = 1 << 30;

  /** Receives what the server sends besides replies. */
  public interface Listener {
    /** A notification (a message with a method and a null id), e.g. {@code update3} or {@code locked}. */
    void onNotification(JsonRpcConnection connection, String method, JsonNode params);

    /** The connection is closed; {@code cause} says why (null after {@link #close()}). */
    void onClosed(JsonRpcConnection connection, Throwable cause);
  }

  private record Pending(String method, CompletableFuture<JsonNode> future) {}

  private final Remote remote;
  private final Channel channel;
  private final Listener listener;
  private final Duration probeInterval;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  /** Row streams of requests not yet answered, shared with the channel's decoder. */
  private final Map<Long, RowStream> streams;
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong echoesAnswered = new AtomicLong();
  private final AtomicLong probesSent = new AtomicLong();
  /** Completes once the connection is closed and the listener has been told. */
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final AtomicReference<Throwable> closeCause = new AtomicReference<>();
  private volatile boolean closedByUs;

  private JsonRpcConnection(Remote remote, Channel channel, Listener listener, Duration probeInterval,
      Map<Long, RowStream> streams) {
    this.streams = streams;
    this.remote = remote;
    this.channel = channel;
    this.listener = listener;
    this.probeInterval = probeInterval;
  }

  /**
   * Connects to {@code remote}. {@code probeInterval} of zero disables the inactivity probe, and a
   * {@code unix:} remote is never probed; {@code tls} is required for {@code ssl:} remotes.
   */
  public static CompletableFuture<JsonRpcConnection> connect(Remote remote, EventLoopGroup group,
      SslContext tls, Duration connectTimeout, Duration probeInterval, Listener listener) {
    if (remote.kind() == Remote.Kind.SSL && tls == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "remote " + remote + " needs TLS files (private key, certificate, CA certificate)"));
    }
    CompletableFuture<JsonRpcConnection> result = new CompletableFuture<>();
    AtomicReference<JsonRpcConnection> self = new AtomicReference<>();
    Map<Long, RowStream> streams = new ConcurrentHashMap<>();
    Bootstrap b = new Bootstrap().group(group)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, connectTimeout.toMillis()))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (remote.kind() == Remote.Kind.SSL) {
              ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), remote.host(), remote.port()));
            }
            // As in OVS: the kernel reports a unix socket's peer gone, so only the network needs probes.
            // Probing one would drop it whenever the server is busy, say composing another client's
            // large reply, and make it ask for its own contents again.
            if (!probeInterval.isZero() && remote.kind() != Remote.Kind.UNIX) {
              ch.pipeline().addLast("idle", new IdleStateHandler(probeInterval.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
            }
            ch.pipeline().addLast("json", new JsonMessageDecoder(MAX_MESSAGE_BYTES, streams));
            ch.pipeline().addLast("rpc", new Handler(self));
          }
        });
    if (remote.kind() == Remote.Kind.UNIX) {
      b.channel(NioDomainSocketChannel.class);
    } else {
      b.channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true);
    }
    ChannelFuture cf = b.connect(remote.socketAddress());
    self.set(new JsonRpcConnection(remote, cf.channel(), listener, probeInterval, streams));
    cf.addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(new OvsdbConnectionException("cannot connect to " + remote + ": "
            + f.cause().getMessage(), f.cause()));
        return;
      }
      if (remote.kind() != Remote.Kind.SSL) {
        result.complete(self.get());
        return;
      }
      cf.channel().pipeline().get(io.netty.handler.ssl.SslHandler.class).handshakeFuture().addListener(h -> {
        if (h.isSuccess()) {
          result.complete(self.get());
        } else {
          cf.channel().close();
          result.completeExceptionally(new OvsdbConnectionException("TLS handshake with " + remote
              + " failed: " + h.cause().getMessage(), h.cause()));
        }
      });
    });
    return result;
  }

  /** The server this connection talks to. */
  public Remote remote() {
    return remote;
  }

  /** True until the connection closes. */
  public boolean isOpen() {
    return channel.isActive();
  }

  /**
   * Sends a request and returns its {@code result}. The future fails with {@link OvsdbErrorException}
   * for an error reply, {@link OvsdbTimeoutException} after {@code timeout}, or
   * {@link OvsdbConnectionException} if the connection closes first. Cancelling the future sends the
   * server a {@code cancel} for it.
   */
  public CompletableFuture<JsonNode> call(String method, JsonNode params, Duration timeout) {
    return call(method, params, timeout, null);
  }

  /**
   * Like {@link #call(String, JsonNode, Duration)}, with the rows of the reply handed to {@code rows}
   * as they are parsed (see {@link RowStream}); null for none.
   */
  public CompletableFuture<JsonNode> call(String method, JsonNode params, Duration timeout, RowStream rows) {
    long id = ids.incrementAndGet();
    CompletableFuture<JsonNode> future = new CompletableFuture<>();
    Throwable cause = closeCause.get();
    if (cause != null || !channel.isActive()) {
      future.completeExceptionally(new NotSentException(method + " was not sent: " + closedError(cause).getMessage(), cause));
      return future;
    }
    pending.put(id, new Pending(method, future));
    if (rows != null) {
      streams.put(id, rows);
    }
    ObjectNode req = JSON.objectNode().put("method", method);
    req.set("params", params);
    req.put("id", id);
    byte[] bytes = serialize(req);
    // One hand-off to the event loop for both the timer and the write.
    channel.eventLoop().execute(() -> {
      var timer = channel.eventLoop().schedule(() -> fail(id, new OvsdbTimeoutException(
          method + " to " + remote + " got no reply within " + timeout.toMillis() + " ms")),
          timeout.toMillis(), TimeUnit.MILLISECONDS);
      future.whenComplete((r, e) -> timer.cancel(false));
      if (!channel.isActive()) {
        fail(id, new NotSentException(method + " was not sent: connection to " + remote + " closed", null));
        return;
      }
      channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(w -> {
        if (!w.isSuccess()) {
          fail(id, new NotSentException("cannot send " + method + " to " + remote + ": "
              + w.cause().getMessage(), w.cause()));
        }
      });
    });
    future.whenComplete((r, e) -> {
      streams.remove(id);
      if (pending.remove(id) != null && future.isCancelled() && channel.isActive()) {
        notify("cancel", JSON.arrayNode().add(id));
      }
    });
    return future;
  }

  /** Sends a notification (a message the server does not answer). */
  public void notify(String method, JsonNode params) {
    ObjectNode n = JSON.objectNode().put("method", method);
    n.set("params", params);
    n.putNull("id");
    write(n);
  }

  private ChannelFuture write(ObjectNode message) {
    return channel.writeAndFlush(Unpooled.wrappedBuffer(serialize(message)));
  }

  private static byte[] serialize(ObjectNode message) {
    try {
      return MAPPER.writeValueAsBytes(message);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize " + message.path("method"), e);
    }
  }

  private void fail(long id, Throwable error) {
    Pending p = pending.remove(id);
    if (p != null) {
      p.future().completeExceptionally(error);
    }
  }

  /** How many of the server's {@code echo} requests (its inactivity probe) this connection answered. */
  public long echoesAnswered() {
    return echoesAnswered.get();
  }

  /** How many inactivity probes ({@code echo} after a quiet period) this connection sent. */
  public long probesSent() {
    return probesSent.get();
  }

  /** Completes once the connection has closed and its listener has been told. */
  public CompletableFuture<Void> closeFuture() {
    return closed;
  }

  /** Requests still waiting for a reply. */
  public int inFlight() {
    return pending.size();
  }

  /** Closes the connection; pending requests fail with {@link OvsdbConnectionException}. */
  @Override
  public void close() {
    closedByUs = true;
    ChannelFuture f = channel.close();
    if (!channel.eventLoop().inEventLoop()) {
      f.syncUninterruptibly();
    }
  }

  /** Closes the connection because of {@code why}, which pending requests and the listener receive. */
  public void abort(Throwable why) {
    closeCause.compareAndSet(null, why);
    channel.close();
  }

  private OvsdbConnectionException closedError(Throwable cause) {
    String why = cause == null ? "closed" : cause.getMessage();
    return new OvsdbConnectionException("connection to " + remote + " " + (cause == null ? why : "closed: " + why), cause);
  }

  private void dispatch(JsonNode msg) {
    if (!msg.isObject()) {
      throw new MalformedMessage("expected a JSON object, got " + abbreviate(msg));
    }
    JsonNode method = msg.get("method");
    JsonNode id = msg.get("id");
    if (method != null && method.isTextual()) {
      JsonNode params = msg.path("params");
      if (id == null || id.isNull()) {
        listener.onNotification(this, method.asText(), params);
      } else if (method.asText().equals("echo")) {
        echoesAnswered.incrementAndGet();
        ObjectNode reply = JSON.objectNode();
        reply.set("result", params.isMissingNode() ? JSON.arrayNode() : params);
        reply.putNull("error");
        reply.set("id", id);
        write(reply);
      } else {
        ObjectNode reply = JSON.objectNode().putNull("result").put("error", "unknown method");
        reply.set("id", id);
        write(reply);
      }
      return;
    }
    if (id == null || !id.canConvertToLong()) {
      throw new MalformedMessage("a reply without a numeric id: " + abbreviate(msg));
    }
    Pending p = pending.remove(id.asLong());
    if (p == null) {
      LOG.debug("reply to unknown or abandoned request {} from {}", id, remote);
      return;
    }
    JsonNode error = msg.get("error");
    if (error != null && !error.isNull()) {
      // The server's words go into logs and messages: control characters escaped, length bounded.
      String text = printable(error.isTextual() ? error.asText() : error.path("error").asText(error.toString()));
      String details = error.isObject() && error.has("details") ? printable(error.get("details").asText()) : null;
      p.future().completeExceptionally(new OvsdbErrorException(p.method() + " to " + remote, text, details));
    } else if (!msg.has("result")) {
      p.future().completeExceptionally(new MalformedMessage("reply to " + p.method() + " has neither result nor error"));
    } else {
      p.future().complete(msg.get("result"));
    }
  }

  private static String abbreviate(JsonNode n) {
    String s = String.valueOf(n);
    return printable(s.length() > 100 ? s.substring(0, 97) + "..." : s);
  }

  /** {@code s} with control characters as \xNN, at most 1,000 characters. */
  public static String printable(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), 1_000));
    for (int i = 0; i < s.length() && out.length() < 1_000; i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return s.length() > out.length() && out.length() >= 1_000 ? out + "..." : out.toString();
  }

  /** A message that is not OVSDB JSON-RPC; the connection is dropped. */
  static final class MalformedMessage extends OvsdbConnectionException {
    MalformedMessage(String message) {
      super("malformed message from server: " + message);
    }
  }

  private static final class Handler extends SimpleChannelInboundHandler<JsonNode> {
    private final AtomicReference<JsonRpcConnection> self;
    private boolean probing;

    Handler(AtomicReference<JsonRpcConnection> self) {
      this.self = self;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, JsonNode msg) {
      probing = false;
      self.get().dispatch(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        if (probing) {
          return;
        }
        probing = true;
        JsonRpcConnection conn = self.get();
        conn.probesSent.incrementAndGet();
        conn.call("echo", JSON.arrayNode(), conn.probeInterval).whenComplete((r, e) -> {
          if (e == null) {
            return;
          }
          if (!conn.streams.isEmpty()) {
            // A monitor's first contents are being composed: ovsdb-server answers nothing else
            // meanwhile, for seconds with a large database. That request's own timeout applies.
            LOG.debug("{}: no answer to echo while a monitor's first reply is awaited", conn.remote);
            probing = false;
            return;
          }
          conn.abort(new OvsdbConnectionException("inactivity probe: no answer to echo within "
              + conn.probeInterval.toMillis() + " ms"));
        });
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
          ? cause.getCause() : cause;
      if (c instanceof io.netty.handler.codec.TooLongFrameException || c instanceof io.netty.handler.codec.CorruptedFrameException) {
        c = new MalformedMessage(c.getMessage());
      }
      JsonRpcConnection conn = self.get();
      LOG.warn("dropping connection to {}: {}", conn.remote, c.getMessage());
      conn.closeCause.compareAndSet(null, c);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      JsonRpcConnection conn = self.get();
      Throwable cause = conn.closeCause.get();
      if (cause == null && !conn.closedByUs) {
        cause = new OvsdbConnectionException("server " + conn.remote + " closed the connection");
        conn.closeCause.compareAndSet(null, cause);
      }
      OvsdbConnectionException err = conn.closedError(cause);
      for (Long id : conn.pending.keySet().toArray(Long[]::new)) {
        conn.fail(id, err);
      }
      try {
        conn.listener.onClosed(conn, conn.closedByUs ? null : cause);
      } finally {
        conn.closed.complete(null);
      }
    }
  }

  /** A JSON array of the given strings, a common params shape. */
  public static ArrayNode params(Object... values) {
    ArrayNode a = JSON.arrayNode();
    for (Object v : values) {
      if (v instanceof JsonNode n) {
        a.add(n);
      } else if (v instanceof Number n) {
        a.add(n.longValue());
      } else {
        a.add(String.valueOf(v));
      }
    }
    return a;
  }
}
