package io.ovnmesos.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.ovnmesos.ovsdb.cache.DatabaseCache;
import io.ovnmesos.ovsdb.cache.MonitorSpec;
import io.ovnmesos.ovsdb.jsonrpc.JsonRpcConnection;
import io.ovnmesos.ovsdb.jsonrpc.RowStream;
import io.ovnmesos.ovsdb.jsonrpc.NotSentException;
import io.ovnmesos.ovsdb.jsonrpc.Remote;
import io.ovnmesos.ovsdb.schema.DatabaseSchema;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.ovsdb.txn.Where;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent OVSDB session: one connection at a time to one of the configured remotes, re-made
 * with back-off when it drops, with its monitors resumed (monitor_cond_since keeps the cache without
 * a full resend when the server still knows the last transaction).
 *
 * <p>For clustered databases it talks only to the leader (checked in the {@code _Server} database,
 * and watched there: losing leadership drops the connection and the client finds the new leader).
 * A request made while no connection is up waits for one, within the request timeout. A request whose
 * connection drops fails with {@link OvsdbConnectionException}: it may or may not have been applied,
 * so writes that are retried should guard themselves (see {@link Transaction#guardAbsent}).
 *
 * <p>Futures returned here complete on a callback thread of the client, never on its I/O thread.
 */
public final class OvsdbClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OvsdbClient.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String SERVER_MONITOR_ID = "ovsdb-client-server";

  private final OvsdbOptions options;
  private final EventLoopGroup io;
  private final ExecutorService callbacks;
  private final ScheduledExecutorService timers;
  private final SslContext tls;
  private final Map<String, CompletableFuture<DatabaseSchema>> schemas = new ConcurrentHashMap<>();
  private final List<Monitor> monitors = new CopyOnWriteArrayList<>();
  private final AtomicInteger monitorIds = new AtomicInteger();
  private final AtomicLong connects = new AtomicLong();
  private final Object stateLock = new Object();
  /** The connection notifications are taken from: being set up, or established. */
  private volatile JsonRpcConnection live;
  /** The connection that completed {@link #ready}; only its loss starts a reconnect. */
  private volatile JsonRpcConnection established;
  private volatile CompletableFuture<JsonRpcConnection> ready = new CompletableFuture<>();
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicBoolean closeOnce = new java.util.concurrent.atomic.AtomicBoolean();
  private int nextRemote;
  private long backoffMillis;

  private record Monitor(String id, String db, MonitorSpec spec, DatabaseCache cache, MonitorSpec.Method[] method) {}

  private OvsdbClient(OvsdbOptions options) {
    this.options = options;
    this.io = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ovsdb-io", true), NioIoHandler.newFactory());
    this.callbacks = Executors.newSingleThreadExecutor(new DefaultThreadFactory("ovsdb-callbacks", true));
    this.timers = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("ovsdb-timers", true));
    this.tls = options.tls() == null ? null : options.tls().clientContext();
    this.backoffMillis = options.backoffMin().toMillis();
  }

  /**
   * Connects to the first usable remote (the leader, for a cluster) and returns the client, or throws
   * {@link OvsdbConnectionException} when none could be used within the connect timeout; it then
   * names each remote's failure.
   */
  public static OvsdbClient connect(OvsdbOptions options) {
    OvsdbClient c = new OvsdbClient(options);
    c.reconnect(0);
    try {
      c.ready.get(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return c;
    } catch (TimeoutException e) {
      String last = c.lastFailure;
      c.close();
      throw new OvsdbConnectionException("no usable OVSDB server among " + options.remotes() + " within "
          + options.connectTimeout().toMillis() + " ms" + (last == null ? "" : "; last failure: " + last));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.close();
      throw new OvsdbConnectionException("interrupted while connecting");
    } catch (ExecutionException e) {
      c.close();
      throw new OvsdbConnectionException("cannot connect: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private volatile String lastFailure;

  // --- public API ---

  /** The remote of the current connection, or null while reconnecting. */
  public Remote currentRemote() {
    JsonRpcConnection c = established;
    return c == null ? null : c.remote();
  }

  /** True while a usable connection is up. */
  public boolean isConnected() {
    JsonRpcConnection c = established;
    return c != null && c.isOpen();
  }

  /** How many {@code echo} probes from the server the current connection has answered. */
  public long serverEchoesAnswered() {
    JsonRpcConnection c = established;
    return c == null ? 0 : c.echoesAnswered();
  }

  /** How many inactivity probes the current connection has sent. */
  public long probesSent() {
    JsonRpcConnection c = established;
    return c == null ? 0 : c.probesSent();
  }

  /** How many connections this client has made so far (1 means it never reconnected). */
  public long connectionCount() {
    return connects.get();
  }

  /**
   * Sends a raw JSON-RPC request and returns its result, waiting for a connection if none is up.
   * Cancelling the returned future sends the server a {@code cancel}.
   */
  public CompletableFuture<JsonNode> call(String method, JsonNode params) {
    if (closed) {
      return CompletableFuture.failedFuture(new OvsdbConnectionException("client is closed"));
    }
    CompletableFuture<JsonNode> rpc = new CompletableFuture<>();
    CompletableFuture<JsonNode> result = rpc.whenCompleteAsync((r, e) -> { }, callbacks);
    AtomicReference<CompletableFuture<JsonNode>> inFlight = new AtomicReference<>();
    attempt(method, params, rpc, inFlight, System.nanoTime() + options.requestTimeout().toNanos());
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        rpc.cancel(false);
        CompletableFuture<JsonNode> inner = inFlight.get();
        if (inner != null) {
          inner.cancel(false);
        }
      }
    });
    return result;
  }

  /**
   * Sends the request on the current connection. A request that provably never left (the connection
   * was found closed) waits for the next connection and goes again, within the deadline.
   */
  private void attempt(String method, JsonNode params, CompletableFuture<JsonNode> rpc,
      AtomicReference<CompletableFuture<JsonNode>> inFlight, long deadline) {
    long remaining = deadline - System.nanoTime();
    CompletableFuture<JsonRpcConnection> current = ready;
    // Connected (the usual case): no timer for the wait.
    CompletableFuture<JsonRpcConnection> conn = current.isDone() ? current
        : current.copy().orTimeout(Math.max(1, remaining), TimeUnit.NANOSECONDS);
    conn.whenComplete((c, err) -> {
      if (rpc.isDone()) {
        return;
      }
      if (err != null) {
        rpc.completeExceptionally(unwrap(err) instanceof TimeoutException
            ? new OvsdbTimeoutException("not connected to any of " + options.remotes() + " within "
                + options.requestTimeout().toMillis() + " ms" + (lastFailure == null ? "" : "; last failure: " + lastFailure))
            : unwrap(err));
        return;
      }
      // The first attempt gets the whole timeout (so errors name it); a retry gets what is left.
      boolean first = inFlight.get() == null;
      long left = deadline - System.nanoTime();
      CompletableFuture<JsonNode> inner = c.call(method, params,
          first ? options.requestTimeout() : Duration.ofNanos(Math.max(1_000_000, left)));
      inFlight.set(inner);
      inner.whenComplete((r, e) -> {
        if (e == null) {
          rpc.complete(r);
        } else if (unwrap(e) instanceof NotSentException && !closed && deadline - System.nanoTime() > 0) {
          c.closeFuture().whenComplete((v, x) -> attempt(method, params, rpc, inFlight, deadline));
        } else {
          rpc.completeExceptionally(unwrap(e));
        }
      });
    });
  }

  /** {@code list_dbs}: the databases the server holds. */
  public List<String> listDatabases() {
    JsonNode r = join(call("list_dbs", JSON.arrayNode()));
    List<String> dbs = new ArrayList<>();
    if (r != null && r.isArray()) {
      r.forEach(n -> {
        if (n.isTextual()) {
          dbs.add(n.asText());
        }
      });
    }
    if (r == null || !r.isArray() || dbs.size() != r.size()) {
      String shown = String.valueOf(r);
      throw new OvsdbException("list_dbs to " + currentRemote() + ": the result is not a list of names: "
          + JsonRpcConnection.printable(shown.length() > 100 ? shown.substring(0, 97) + "..." : shown));
    }
    return dbs;
  }

  /** {@code get_schema}, fetched once per database and kept. */
  public DatabaseSchema schema(String db) {
    return join(schemaAsync(db));
  }

  private CompletableFuture<DatabaseSchema> schemaAsync(String db) {
    return schemas.computeIfAbsent(db, d -> {
      CompletableFuture<DatabaseSchema> f = call("get_schema", JsonRpcConnection.params(d)).thenApply(DatabaseSchema::parse);
      f.whenComplete((s, e) -> {
        if (e != null) {
          schemas.remove(d);
        }
      });
      return f;
    });
  }

  /** A new transaction on {@code db}. */
  public Transaction transaction(String db) {
    return new Transaction(schema(db), params -> call("transact", params));
  }

  /** Sends {@code echo} and waits for the answer. */
  public void echo() {
    join(call("echo", JSON.arrayNode().add("ovn-mesos")));
  }

  /**
   * Starts a monitor of {@code db} and returns its cache once the initial contents are in. The monitor
   * lives as long as the client, across reconnects.
   */
  public DatabaseCache monitor(String db, MonitorSpec spec) {
    DatabaseCache cache = new DatabaseCache(schema(db), spec, callbacks, timers);
    Monitor m = new Monitor("ovsdb-client-monitor-" + monitorIds.incrementAndGet(), db, spec, cache,
        new MonitorSpec.Method[] {spec.method()});
    JsonRpcConnection conn = join(ready.copy().orTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS));
    monitors.add(m);
    try {
      join(startMonitor(conn, m));
    } catch (RuntimeException e) {
      monitors.remove(m);
      throw e;
    }
    return cache;
  }

  /** A monitor started by {@link #monitorInBackground}: its cache, and when the cache first holds the database. */
  public record Monitoring(DatabaseCache cache, CompletableFuture<Void> synced) {}

  /**
   * Starts a monitor like {@link #monitor}, but returns before the initial contents are in, so that a
   * caller can do other start-up work while a large database arrives. The cache is empty until
   * {@code synced} completes. If the connection drops first, the monitor is started again on the next
   * one, as every monitor is; {@code synced} fails only if the server refuses the monitor.
   */
  public Monitoring monitorInBackground(String db, MonitorSpec spec) {
    DatabaseCache cache = new DatabaseCache(schema(db), spec, callbacks, timers);
    Monitor m = new Monitor("ovsdb-client-monitor-" + monitorIds.incrementAndGet(), db, spec, cache,
        new MonitorSpec.Method[] {spec.method()});
    CompletableFuture<Void> synced = new CompletableFuture<>();
    CompletableFuture<Boolean> first = cache.await("the first contents of " + db, Duration.ofDays(3650),
        c -> c.stats().fullSyncs() > 0 ? Optional.of(true) : Optional.empty());
    first.whenComplete((ok, e) -> synced.complete(null));
    // As in monitor(): listed once a connection is up, so that a reconnect starts it again if this
    // attempt is lost with its connection.
    ready.copy().thenCompose(conn -> {
      monitors.add(m);
      return startMonitor(conn, m);
    }).whenComplete((ok, e) -> {
      Throwable cause = e == null ? null : unwrap(e);
      if (cause != null && !(cause instanceof OvsdbConnectionException)) {
        monitors.remove(m);
        synced.completeExceptionally(cause);
        first.cancel(false); // no first contents will come: stop waiting for them
      }
    });
    return new Monitoring(cache, synced);
  }

  /** Cancels a monitor started by {@link #monitor}; its cache stops changing. */
  public void cancelMonitor(DatabaseCache cache) {
    for (Monitor m : monitors) {
      if (m.cache() == cache) {
        monitors.remove(m);
        join(call("monitor_cancel", JsonRpcConnection.params(m.id())));
      }
    }
  }

  /** Closes the connection and stops reconnecting; pending requests fail. Closing again does nothing. */
  @Override
  public void close() {
    if (!closeOnce.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    JsonRpcConnection c = live;
    if (c != null) {
      c.close();
    }
    ready.completeExceptionally(new OvsdbConnectionException("client is closed"));
    io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    timers.shutdownNow();
    callbacks.shutdown();
  }

  /** Drops the current connection as a network failure would; the client reconnects. For tests. */
  public void dropConnection() {
    JsonRpcConnection c = established;
    if (c != null) {
      c.abort(new OvsdbConnectionException("connection dropped on request"));
    }
  }

  // --- connection management ---

  private final JsonRpcConnection.Listener listener = new JsonRpcConnection.Listener() {
    @Override
    public void onNotification(JsonRpcConnection conn, String method, JsonNode params) {
      if (conn != live) {
        return;
      }
      try {
        handleNotification(conn, method, params);
      } catch (RuntimeException e) {
        LOG.warn("dropping connection to {} after a bad {} notification: {}", conn.remote(), method, e.getMessage());
        conn.abort(e);
      }
    }

    @Override
    public void onClosed(JsonRpcConnection conn, Throwable cause) {
      synchronized (stateLock) {
        if (conn != established || closed) {
          return; // an attempt that failed during set-up is retried by its own round
        }
        established = null;
        live = null;
        ready = new CompletableFuture<>();
      }
      LOG.info("connection to {} lost ({}); reconnecting", conn.remote(), cause == null ? "closed" : cause.getMessage());
      reconnect(0);
    }
  };

  private void reconnect(long delayMillis) {
    if (closed) {
      return;
    }
    timers.schedule(() -> attemptRound(0), delayMillis, TimeUnit.MILLISECONDS);
  }

  /** Tries each remote once, starting after the last one used; then waits (backing off) and tries again. */
  private void attemptRound(int tried) {
    if (closed) {
      return;
    }
    List<Remote> remotes = options.remotes();
    if (tried >= remotes.size()) {
      long wait = backoffMillis;
      backoffMillis = Math.min(backoffMillis * 2, options.backoffMax().toMillis());
      reconnect(wait);
      return;
    }
    int index = nextRemote % remotes.size();
    nextRemote = index + 1;
    Remote remote = remotes.get(index);
    JsonRpcConnection.connect(remote, io, tls, options.requestTimeout(), options.probeInterval(), listener)
        .thenCompose(conn -> {
          live = conn;
          return (options.leaderOnly() ? checkLeader(conn) : CompletableFuture.completedFuture(conn))
              .thenCompose(this::restoreSession)
              .whenComplete((c, e) -> {
                if (e != null) {
                  synchronized (stateLock) {
                    if (live == conn) {
                      live = null;
                    }
                  }
                  conn.close();
                }
              });
        })
        .whenComplete((conn, err) -> {
          if (err != null) {
            lastFailure = remote + ": " + unwrap(err).getMessage();
            LOG.debug("cannot use {}", lastFailure);
            attemptRound(tried + 1);
            return;
          }
          synchronized (stateLock) {
            if (closed) {
              conn.close();
              return;
            }
            if (!conn.isOpen()) {
              attemptRound(tried + 1);
              return;
            }
            connects.incrementAndGet();
            backoffMillis = options.backoffMin().toMillis();
            nextRemote = index; // stay with this remote next time
            established = conn;
            ready.complete(conn);
          }
          LOG.info("connected to OVSDB at {}", remote);
        });
  }

  /**
   * Accepts the connection only if, for every clustered database on the server, it is connected to
   * the cluster and the leader; then watches {@code _Server} so a lost leadership drops it.
   */
  private CompletableFuture<JsonRpcConnection> checkLeader(JsonRpcConnection conn) {
    ObjectNode select = JSON.objectNode().put("op", "select").put("table", "Database");
    select.putArray("where");
    ArrayNode params = JSON.arrayNode().add("_Server").add(select);
    return conn.call("transact", params, options.requestTimeout()).handle((r, e) -> {
      if (e != null) {
        // Servers without _Server (before OVS 2.9) are standalone: nothing to check.
        if (unwrap(e) instanceof OvsdbErrorException) {
          return conn;
        }
        throw new CompletionException(unwrap(e));
      }
      for (JsonNode row : r.path(0).path("rows")) {
        if ("clustered".equals(row.path("model").asText()) && !(row.path("leader").asBoolean(false)
            && row.path("connected").asBoolean(false))) {
          throw new CompletionException(new OvsdbConnectionException(
              conn.remote() + " is not the leader of " + row.path("name").asText()));
        }
      }
      return conn;
    }).thenCompose(c -> {
      ObjectNode req = JSON.objectNode();
      req.putArray("Database").addObject().putArray("columns").add("name").add("model").add("leader").add("connected");
      return c.call("monitor_cond", JSON.arrayNode().add("_Server").add(SERVER_MONITOR_ID).add(req),
          options.requestTimeout()).handle((r, e) -> c);
    });
  }

  private CompletableFuture<JsonRpcConnection> restoreSession(JsonRpcConnection conn) {
    CompletableFuture<JsonRpcConnection> chain = CompletableFuture.completedFuture(conn);
    for (Monitor m : monitors) {
      chain = chain.thenCompose(c -> startMonitor(c, m).thenApply(x -> c));
    }
    return chain;
  }

  private CompletableFuture<Void> startMonitor(JsonRpcConnection conn, Monitor m) {
    MonitorSpec.Method method = m.method()[0] == null ? MonitorSpec.Method.MONITOR_COND_SINCE : m.method()[0];
    ObjectNode requests = JSON.objectNode();
    DatabaseSchema schema = m.cache().schema();
    m.cache().monitoredColumns().forEach((table, cols) -> {
      ObjectNode req = requests.putArray(table).addObject();
      ArrayNode columns = req.putArray("columns");
      cols.forEach(columns::add);
      var where = m.spec().conditionsFor(table);
      if (where != null && method != MonitorSpec.Method.MONITOR) {
        req.set("where", Where.encode(schema.table(table), where));
      }
    });
    ArrayNode params = JSON.arrayNode().add(m.db()).add(m.id()).add(requests);
    String rpc = switch (method) {
      case MONITOR_COND_SINCE -> "monitor_cond_since";
      case MONITOR_COND -> "monitor_cond";
      case MONITOR -> "monitor";
    };
    if (method == MonitorSpec.Method.MONITOR_COND_SINCE) {
      params.add(m.cache().lastTransactionId());
    }
    long asked = System.nanoTime();
    FirstContents first = method == MonitorSpec.Method.MONITOR ? null : new FirstContents(m.cache(), method);
    return conn.call(rpc, params, options.requestTimeout(), first).handle((r, e) -> {
      if (e != null) {
        Throwable cause = unwrap(e);
        if (cause instanceof OvsdbErrorException err && "unknown method".equals(err.error())
            && method != MonitorSpec.Method.MONITOR) {
          m.method()[0] = method == MonitorSpec.Method.MONITOR_COND_SINCE ? MonitorSpec.Method.MONITOR_COND
              : MonitorSpec.Method.MONITOR;
          LOG.info("{} does not know {}; falling back to {}", conn.remote(), rpc, m.method()[0]);
          return startMonitor(conn, m);
        }
        return CompletableFuture.<Void>failedFuture(cause);
      }
      switch (method) {
        case MONITOR_COND_SINCE -> {
          boolean found = r.path(0).asBoolean(false);
          String txn = r.path(1).asText(null);
          if (found) {
            m.cache().apply(r.path(2), DatabaseCache.Format.V2, txn, true);
          } else {
            first.finish(txn, r.path(2));
          }
        }
        case MONITOR_COND -> first.finish(null, r);
        case MONITOR -> m.cache().replaceAll(r, DatabaseCache.Format.V1, null);
      }
      DatabaseCache.Stats st = m.cache().stats();
      LOG.info("{} monitor of {} at {}: {} rows in {} ms", st.resumes() > 0 && st.fullSyncs() == 0 ? "resumed" : "started",
          m.db(), conn.remote(), st.rowsInLastSync(), (System.nanoTime() - asked) / 1_000_000);
      return CompletableFuture.<Void>completedFuture(null);
    }).thenCompose(f -> f);
  }

  /**
   * A monitor's first contents, taken row by row while the reply is parsed (see {@link RowStream}). A
   * resumed monitor_cond_since's reply holds changes, not contents, and is left to the tree.
   */
  private static final class FirstContents implements RowStream {
    private final DatabaseCache.Replacement replacement;
    private final MonitorSpec.Method method;
    private RuntimeException failure;

    FirstContents(DatabaseCache cache, MonitorSpec.Method method) {
      this.replacement = cache.replacement(DatabaseCache.Format.V2);
      this.method = method;
    }

    @Override
    public int position() {
      return method == MonitorSpec.Method.MONITOR_COND_SINCE ? 2 : -1;
    }

    @Override
    public boolean open(JsonNode before) {
      return method != MonitorSpec.Method.MONITOR_COND_SINCE || !before.path(0).asBoolean(false);
    }

    @Override
    public void row(String table, String uuid, JsonNode update) {
      if (failure != null) {
        return;
      }
      try {
        replacement.add(table, uuid, update);
      } catch (RuntimeException e) {
        failure = e; // reported when the reply is complete, as a tree's would be
      }
    }

    /** Makes the cache's contents the rows streamed and any left in {@code rest} (all, if none were streamed). */
    void finish(String txnId, JsonNode rest) {
      if (failure != null) {
        throw failure;
      }
      replacement.finish(txnId, rest);
    }
  }

  private void handleNotification(JsonRpcConnection conn, String method, JsonNode params) {
    switch (method) {
      case "update", "update2", "update3" -> {
        String id = params.path(0).asText();
        if (SERVER_MONITOR_ID.equals(id)) {
          checkServerUpdate(conn, params.path(1));
          return;
        }
        for (Monitor m : monitors) {
          if (m.id().equals(id)) {
            if (method.equals("update3")) {
              m.cache().apply(params.path(2), DatabaseCache.Format.V2, params.path(1).asText(null), false);
            } else {
              m.cache().apply(params.path(1), method.equals("update") ? DatabaseCache.Format.V1
                  : DatabaseCache.Format.V2, null, false);
            }
          }
        }
      }
      default -> LOG.debug("ignoring notification {} from {}", method, conn.remote());
    }
  }

  /** Drops the connection if the server reports that it is no longer a connected cluster leader. */
  private void checkServerUpdate(JsonRpcConnection conn, JsonNode tableUpdates) {
    if (!options.leaderOnly()) {
      return;
    }
    tableUpdates.path("Database").forEach(u -> {
      JsonNode row = u.has("modify") ? u.get("modify") : u.path("new");
      boolean lostLeader = row.has("leader") && !row.get("leader").asBoolean();
      boolean lostCluster = row.has("connected") && !row.get("connected").asBoolean();
      if (lostLeader || lostCluster) {
        conn.abort(new OvsdbConnectionException(conn.remote() + " is no longer the cluster leader"));
      }
    });
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** Waits for {@code f}, rethrowing its failure as the OvsdbException it is. */
  public static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new OvsdbException(cause.getMessage(), cause);
    }
  }
}
