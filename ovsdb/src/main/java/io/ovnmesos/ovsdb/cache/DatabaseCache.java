package io.ovnmesos.ovsdb.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.ovnmesos.ovsdb.OvsdbException;
import io.ovnmesos.ovsdb.OvsdbTimeoutException;
import io.ovnmesos.ovsdb.data.DatumCodec;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.schema.ColumnSchema;
import io.ovnmesos.ovsdb.schema.ColumnType;
import io.ovnmesos.ovsdb.schema.DatabaseSchema;
import io.ovnmesos.ovsdb.schema.TableSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * An in-memory copy of the monitored part of a database, kept current by the monitor's updates:
 * rows by table and UUID, indexes, listeners, and waits for a condition that are re-checked on each
 * update (never by polling).
 *
 * <p>Reads are lock-free and may run on any thread. Updates are applied by the client's I/O thread.
 */
public final class DatabaseCache {
  /** The format of table updates: {@code update} (RFC 7047) or {@code update2}/{@code update3}. */
  public enum Format { V1, V2 }

  private final DatabaseSchema schema;
  private final MonitorSpec spec;
  private final Map<String, List<String>> columns = new LinkedHashMap<>();
  private final Map<String, Map<Uuid, Row>> tables = new ConcurrentHashMap<>();
  private final Map<MonitorSpec.Index, Map<Object, Set<Uuid>>> indexes = new ConcurrentHashMap<>();
  private final List<CacheListener> listeners = new CopyOnWriteArrayList<>();
  private final List<PendingWait<?>> waits = new CopyOnWriteArrayList<>();
  private final Executor callbacks;
  private final ScheduledExecutorService timers;
  private volatile String lastTxnId = ZERO_TXN;
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLong fullSyncs = new AtomicLong();
  private final AtomicLong resumes = new AtomicLong();
  private volatile long rowsInLastSync;

  /** The transaction id that asks a server for everything. */
  public static final String ZERO_TXN = "00000000-0000-0000-0000-000000000000";

  /** A cache of what {@code spec} selects in {@code schema}'s database. */
  public DatabaseCache(DatabaseSchema schema, MonitorSpec spec, Executor callbacks, ScheduledExecutorService timers) {
    this.schema = schema;
    this.spec = spec;
    this.callbacks = callbacks;
    this.timers = timers;
    spec.tables().forEach((table, cols) -> {
      TableSchema t = schema.table(table);
      List<String> monitored = cols.isEmpty()
          ? t.columns().keySet().stream().filter(c -> !c.startsWith("_")).toList()
          : cols.stream().map(c -> t.column(c).name()).toList();
      columns.put(table, monitored);
      tables.put(table, new ConcurrentHashMap<>());
    });
    for (MonitorSpec.Index idx : spec.indexes()) {
      if (!columns.containsKey(idx.table()) || !columns.get(idx.table()).contains(idx.column())) {
        throw new IllegalArgumentException("index on " + idx.table() + "." + idx.column()
            + " needs that table and column monitored");
      }
      indexes.put(idx, new ConcurrentHashMap<>());
    }
  }

  /** The database schema. */
  public DatabaseSchema schema() {
    return schema;
  }

  /** The spec this cache follows. */
  public MonitorSpec spec() {
    return spec;
  }

  /** Monitored columns by table, as sent in monitor requests. */
  public Map<String, List<String>> monitoredColumns() {
    return columns;
  }

  /**
   * Runs {@code read} while no update is being applied, so that it sees the state after a whole
   * number of updates: one transaction's rows all, or none of them. Other reads may see an update
   * half applied (a switch that lists a port whose row is not in yet). Keep it short: updates wait.
   */
  public synchronized <T> T consistent(java.util.function.Function<DatabaseCache, T> read) {
    return read.apply(this);
  }

  /** All rows of {@code table}. */
  public Collection<Row> rows(String table) {
    return table(table).values();
  }

  /** The row of {@code table} with {@code uuid}. */
  public Optional<Row> row(String table, Uuid uuid) {
    return Optional.ofNullable(table(table).get(uuid));
  }

  /** Rows whose {@code column} is (or, for a set, contains) {@code value}, through its index. */
  public List<Row> lookup(String table, String column, Object value) {
    return lookup(new MonitorSpec.Index(table, column, null), normalize(value));
  }

  /** The single row whose {@code column} is {@code value}, if any. */
  public Optional<Row> lookupOne(String table, String column, Object value) {
    return lookup(table, column, value).stream().findFirst();
  }

  /** Rows whose map column {@code column} has {@code key} = {@code value}, through its index. */
  public List<Row> lookupMapKey(String table, String column, String key, String value) {
    return lookup(new MonitorSpec.Index(table, column, key), value);
  }

  private List<Row> lookup(MonitorSpec.Index idx, Object key) {
    Map<Object, Set<Uuid>> index = indexes.get(idx);
    if (index == null) {
      throw new IllegalArgumentException("no index on " + idx.table() + "." + idx.column()
          + (idx.mapKey() == null ? "" : ":" + idx.mapKey()) + "; declare it in the MonitorSpec");
    }
    Set<Uuid> uuids = index.getOrDefault(key, Set.of());
    Map<Uuid, Row> rows = table(idx.table());
    List<Row> out = new ArrayList<>(uuids.size());
    for (Uuid u : uuids) {
      Row r = rows.get(u);
      // Readers take no lock: between a row's update and its re-indexing, the index may still list
      // it under its old value. Only rows that match now are returned.
      if (r != null && keys(idx, r).contains(key)) {
        out.add(r);
      }
    }
    return out;
  }

  private Map<Uuid, Row> table(String table) {
    Map<Uuid, Row> t = tables.get(table);
    if (t == null) {
      throw new IllegalArgumentException("table " + table + " is not monitored");
    }
    return t;
  }

  /** Registers a listener for every batch of changes. */
  public void addListener(CacheListener l) {
    listeners.add(l);
  }

  public void removeListener(CacheListener l) {
    listeners.remove(l);
  }

  /**
   * Completes with the first non-empty value of {@code probe}: now, or after the update that makes it
   * so. Fails with {@link OvsdbTimeoutException} naming {@code what} after {@code limit}.
   */
  public <T> CompletableFuture<T> await(String what, Duration limit, Function<DatabaseCache, Optional<T>> probe) {
    PendingWait<T> w = new PendingWait<>(what, probe, new CompletableFuture<>());
    waits.add(w);
    w.check(this, callbacks);
    if (!w.future.isDone()) {
      var timer = timers.schedule(() -> {
        waits.remove(w);
        w.future.completeExceptionally(new OvsdbTimeoutException("waited " + limit.toMillis() + " ms for " + what));
      }, limit.toMillis(), TimeUnit.MILLISECONDS);
      // However it ends (met, timed out, or cancelled by the caller), it stops being checked.
      w.future.whenComplete((r, e) -> {
        timer.cancel(false);
        waits.remove(w);
      });
    }
    return w.future;
  }

  /** How many {@link #await}s are still waiting. */
  public int pendingWaits() {
    return waits.size();
  }

  /** The id of the last transaction the cache reflects (monitor_cond_since), or the zero id. */
  public String lastTransactionId() {
    return lastTxnId;
  }

  /** Counters for observing how the cache was fed. */
  public record Stats(long updates, long fullSyncs, long resumes, long rowsInLastSync) {}

  public Stats stats() {
    return new Stats(updates.get(), fullSyncs.get(), resumes.get(), rowsInLastSync);
  }

  // --- applying what the server sends ---

  /** Applies an initial monitor reply that replaces everything (first sync, or a resume that failed). */
  public synchronized void replaceAll(JsonNode tableUpdates, Format format, String txnId) {
    replacement(format).finish(txnId, tableUpdates);
  }

  /** Starts a replacement of the whole contents, to be given rows one at a time and then finished. */
  public Replacement replacement(Format format) {
    return new Replacement(format);
  }

  /**
   * The cache's new contents, built row by row as a monitor's first reply is parsed (see
   * {@code RowStream}); the cache changes only when it is finished. Rows may be added from one
   * thread at a time.
   */
  public final class Replacement {
    private final Format format;
    private final Map<String, Map<Uuid, Row>> fresh = new HashMap<>();
    // One copy of each repeated string for the whole sync; dropped afterwards, so it never grows.
    private final Map<String, String> seen = new HashMap<>();
    private final UnaryOperator<String> shared = str -> {
      String prior = seen.putIfAbsent(str, str);
      return prior == null ? str : prior;
    };
    private long count;

    private Replacement(Format format) {
      this.format = format;
      columns.keySet().forEach(t -> fresh.put(t, new HashMap<>()));
    }

    /** One row's update from the reply ({@code {"initial": {...}}}, or {@code {"new": {...}}} for V1). */
    public void add(String table, String uuid, JsonNode update) {
      add(monitoredTable(table), parseUuid(uuid), update);
    }

    private void add(TableSchema t, Uuid uuid, JsonNode update) {
      JsonNode body = format == Format.V1 ? update.get("new") : firstPresent(update, "initial", "insert");
      if (body != null) {
        fresh.get(t.name()).put(uuid, fullRow(t, uuid, body, shared));
        count++;
      }
    }

    /**
     * Adds the rows left in {@code rest} (the reply's table updates, less the rows already added)
     * and makes them all the cache's contents, as of transaction {@code txnId} (null if unknown).
     */
    public void finish(String txnId, JsonNode rest) {
      forEachRow(rest, this::add);
      replaceWith(fresh, count, txnId);
    }
  }

  private synchronized void replaceWith(Map<String, Map<Uuid, Row>> fresh, long count, String txnId) {
    List<RowChange> changes = new ArrayList<>();
    for (String table : columns.keySet()) {
      Map<Uuid, Row> current = tables.get(table);
      Map<Uuid, Row> next = fresh.get(table);
      for (Row old : List.copyOf(current.values())) {
        if (!next.containsKey(old.uuid())) {
          changes.add(remove(table, old.uuid()));
        }
      }
      next.forEach((uuid, row) -> {
        Row old = current.get(uuid);
        if (!row.equals(old)) {
          changes.add(put(row, old));
        }
      });
    }
    fullSyncs.incrementAndGet();
    rowsInLastSync = count;
    if (txnId != null) {
      lastTxnId = txnId;
    }
    publish(changes);
  }

  /** Applies updates on top of the current state (a notification, or a resumed monitor's reply). */
  public synchronized void apply(JsonNode tableUpdates, Format format, String txnId, boolean resumed) {
    List<RowChange> changes = new ArrayList<>();
    forEachRow(tableUpdates, (t, uuid, update) -> {
      RowChange c = format == Format.V1 ? applyV1(t, uuid, update) : applyV2(t, uuid, update);
      if (c != null) {
        changes.add(c);
      }
    });
    if (resumed) {
      resumes.incrementAndGet();
      rowsInLastSync = changes.size();
    } else {
      updates.incrementAndGet();
    }
    if (txnId != null) {
      lastTxnId = txnId;
    }
    publish(changes);
  }

  /** What to do with one row's update. */
  @FunctionalInterface
  private interface RowUpdate {
    void accept(TableSchema table, Uuid uuid, JsonNode update);
  }

  /** Walks {@code <table-updates>}: each table's rows, by UUID. */
  private void forEachRow(JsonNode tableUpdates, RowUpdate visit) {
    for (Iterator<Map.Entry<String, JsonNode>> ti = fields(tableUpdates); ti.hasNext(); ) {
      Map.Entry<String, JsonNode> te = ti.next();
      TableSchema t = monitoredTable(te.getKey());
      for (Iterator<Map.Entry<String, JsonNode>> ri = fields(te.getValue()); ri.hasNext(); ) {
        Map.Entry<String, JsonNode> re = ri.next();
        visit.accept(t, parseUuid(re.getKey()), re.getValue());
      }
    }
  }

  private RowChange applyV1(TableSchema t, Uuid uuid, JsonNode u) {
    JsonNode newRow = u.get("new");
    Row old = tables.get(t.name()).get(uuid);
    if (newRow == null || newRow.isNull()) {
      return old == null ? null : remove(t.name(), uuid);
    }
    Row row = old == null ? fullRow(t, uuid, newRow) : old.with(decodeColumns(t, newRow));
    return put(row, old);
  }

  private RowChange applyV2(TableSchema t, Uuid uuid, JsonNode u) {
    Row old = tables.get(t.name()).get(uuid);
    if (u.has("delete")) {
      return old == null ? null : remove(t.name(), uuid);
    }
    JsonNode full = firstPresent(u, "initial", "insert");
    if (full != null) {
      return put(fullRow(t, uuid, full), old);
    }
    JsonNode diff = u.get("modify");
    if (diff == null) {
      throw new OvsdbException("malformed update2 for " + t.name() + " " + uuid + ": " + u);
    }
    if (old == null) {
      throw new OvsdbException("update2 modifies " + t.name() + " " + uuid + " which the cache does not have");
    }
    Map<String, Object> changed = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = fields(diff); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ColumnSchema c = t.columns().get(e.getKey());
      if (c != null) {
        changed.put(e.getKey(), applyDiff(c.type(), old.columns().get(e.getKey()), e.getValue()));
      }
    }
    return put(old.with(changed), old);
  }

  /** update2 "modify": a scalar is replaced; a set toggles the given elements; a map adds, replaces or removes pairs. */
  private static Object applyDiff(ColumnType type, Object old, JsonNode diff) {
    Object d = DatumCodec.decode(diff, type.isScalar() ? type : type.unbounded());
    if (type.isScalar()) {
      return d;
    }
    if (type.isMap()) {
      Map<Object, Object> result = new LinkedHashMap<>(old == null ? Map.of() : (Map<?, ?>) old);
      ((Map<?, ?>) d).forEach((k, v) -> {
        Object cur = result.get(k);
        if (cur == null) {
          result.put(k, v);
        } else if (cur.equals(v)) {
          result.remove(k);
        } else {
          result.put(k, v);
        }
      });
      return Map.copyOf(result);
    }
    Set<Object> result = new HashSet<>(old == null ? Set.of() : (Set<?>) old);
    for (Object e : (Set<?>) d) {
      if (!result.remove(e)) {
        result.add(e);
      }
    }
    return Set.copyOf(result);
  }

  private Row fullRow(TableSchema t, Uuid uuid, JsonNode body) {
    return fullRow(t, uuid, body, UnaryOperator.identity());
  }

  private Row fullRow(TableSchema t, Uuid uuid, JsonNode body, UnaryOperator<String> strings) {
    List<String> cols = columns.get(t.name());
    Map<String, Object> values = new HashMap<>(2 * cols.size() + 2);
    for (String col : cols) {
      values.put(col, DatumCodec.defaultValue(t.column(col).type()));
    }
    decodeColumns(t, body, values, strings);
    values.put("_uuid", uuid);
    return new Row(t.name(), uuid, values);
  }

  private Map<String, Object> decodeColumns(TableSchema t, JsonNode body) {
    Map<String, Object> values = new HashMap<>();
    decodeColumns(t, body, values, UnaryOperator.identity());
    return values;
  }

  private static void decodeColumns(TableSchema t, JsonNode body, Map<String, Object> into, UnaryOperator<String> strings) {
    for (Iterator<Map.Entry<String, JsonNode>> it = fields(body); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ColumnSchema c = t.columns().get(e.getKey());
      if (c != null && !e.getKey().equals("_uuid")) {
        into.put(c.name(), DatumCodec.decode(e.getValue(), c.type(), strings));
      }
    }
  }

  private RowChange put(Row row, Row old) {
    // A reader that sees the row finds it through its new values too: they are indexed first, and
    // the old ones dropped after (lookups skip rows that no longer match).
    reindex(old, row, true);
    tables.get(row.table()).put(row.uuid(), row);
    reindex(old, row, false);
    return new RowChange(old == null ? RowChange.Kind.INSERT : RowChange.Kind.MODIFY, row.table(), old, row);
  }

  private RowChange remove(String table, Uuid uuid) {
    Row old = tables.get(table).remove(uuid);
    reindex(old, null, false);
    return new RowChange(RowChange.Kind.DELETE, table, old, null);
  }

  /** Adds {@code now}'s index keys, or drops those of {@code old} that {@code now} no longer has. */
  private void reindex(Row old, Row now, boolean adding) {
    Row any = now != null ? now : old;
    if (any == null) {
      return;
    }
    for (Map.Entry<MonitorSpec.Index, Map<Object, Set<Uuid>>> e : indexes.entrySet()) {
      MonitorSpec.Index idx = e.getKey();
      if (!idx.table().equals(any.table())) {
        continue;
      }
      Map<Object, Set<Uuid>> index = e.getValue();
      Collection<?> oldKeys = old == null ? List.of() : keys(idx, old);
      Collection<?> newKeys = now == null ? List.of() : keys(idx, now);
      if (old != null && now != null && oldKeys.equals(newKeys)) {
        continue;
      }
      if (adding) {
        for (Object k : newKeys) {
          index.compute(k, (key, set) -> with(set, now.uuid()));
        }
      } else {
        for (Object k : oldKeys) {
          if (!newKeys.contains(k)) {
            index.computeIfPresent(k, (key, set) -> without(set, old.uuid()));
          }
        }
      }
    }
  }

  // Most index keys (names) hold one row: an immutable singleton, and a concurrent set only when a
  // key is shared, keeps the index small. Readers iterate either kind without a lock.
  private static Set<Uuid> with(Set<Uuid> set, Uuid u) {
    if (set == null) {
      return Set.of(u);
    }
    if (set.contains(u)) {
      return set;
    }
    if (set.size() == 1 && !(set instanceof ConcurrentHashMap.KeySetView)) {
      Set<Uuid> many = ConcurrentHashMap.newKeySet();
      many.addAll(set);
      many.add(u);
      return many;
    }
    set.add(u);
    return set;
  }

  private static Set<Uuid> without(Set<Uuid> set, Uuid u) {
    if (!set.contains(u)) {
      return set;
    }
    if (!(set instanceof ConcurrentHashMap.KeySetView)) {
      return null;
    }
    set.remove(u);
    return set.isEmpty() ? null : set;
  }

  private static Collection<?> keys(MonitorSpec.Index idx, Row row) {
    Object v = row.columns().get(idx.column());
    if (v == null) {
      return List.of();
    }
    if (idx.mapKey() != null) {
      Object k = ((Map<?, ?>) v).get(idx.mapKey());
      return k == null ? List.of() : List.of(k);
    }
    return v instanceof Collection<?> c ? c : List.of(v);
  }

  private static Object normalize(Object v) {
    return v instanceof Integer i ? Long.valueOf(i) : v;
  }

  private void publish(List<RowChange> changes) {
    if (!changes.isEmpty()) {
      List<RowChange> view = List.copyOf(changes);
      for (CacheListener l : listeners) {
        l.onChanges(view);
      }
    }
    for (PendingWait<?> w : waits) {
      w.check(this, callbacks);
    }
  }

  private TableSchema monitoredTable(String name) {
    if (!columns.containsKey(name)) {
      throw new OvsdbException("update for table " + name + " which is not monitored");
    }
    return schema.table(name);
  }

  private static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new OvsdbException("malformed table update: expected an object, got " + n);
    }
    return n.fields();
  }

  private static JsonNode firstPresent(JsonNode n, String a, String b) {
    JsonNode v = n.get(a);
    return v != null ? v : n.get(b);
  }

  private static Uuid parseUuid(String s) {
    try {
      return Uuid.of(s);
    } catch (IllegalArgumentException e) {
      throw new OvsdbException("malformed row UUID in update: " + s);
    }
  }

  private final class PendingWait<T> {
    final String what;
    final Function<DatabaseCache, Optional<T>> probe;
    final CompletableFuture<T> future;

    PendingWait(String what, Function<DatabaseCache, Optional<T>> probe, CompletableFuture<T> future) {
      this.what = what;
      this.probe = probe;
      this.future = future;
    }

    void check(DatabaseCache cache, Executor executor) {
      if (future.isDone()) {
        waits.remove(this);
        return;
      }
      Optional<T> v;
      try {
        v = probe.apply(cache);
      } catch (RuntimeException e) {
        waits.remove(this);
        executor.execute(() -> future.completeExceptionally(e));
        return;
      }
      if (v.isPresent()) {
        waits.remove(this);
        T value = v.get();
        executor.execute(() -> future.complete(value));
      }
    }
  }
}
