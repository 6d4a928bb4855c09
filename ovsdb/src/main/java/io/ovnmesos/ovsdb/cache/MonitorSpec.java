package io.ovnmesos.ovsdb.cache;

import io.ovnmesos.ovsdb.txn.Condition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a monitor watches in one database: tables, their columns (all by default), optional row
 * conditions, and the indexes the cache keeps for fast look-ups.
 *
 * <pre>{@code
 * MonitorSpec.create()
 *     .table("Logical_Switch_Port")
 *     .index("Logical_Switch_Port", "name")
 *     .indexMapKey("Logical_Switch_Port", "external_ids", "ovn-mesos/task-id");
 * }</pre>
 */
public final class MonitorSpec {
  /** The monitor methods, newest first; by default the client uses the newest the server knows. */
  public enum Method { MONITOR_COND_SINCE, MONITOR_COND, MONITOR }

  /** A cache index: by a column's value (each element, for a set), or by one key of a map column. */
  public record Index(String table, String column, String mapKey) {}

  private final Map<String, List<String>> tables = new LinkedHashMap<>();
  private final Map<String, List<Condition>> conditions = new LinkedHashMap<>();
  private final List<Index> indexes = new ArrayList<>();
  private Method method;

  private MonitorSpec() {}

  /** An empty spec; add tables. */
  public static MonitorSpec create() {
    return new MonitorSpec();
  }

  /** Monitors {@code table}: all its columns if none are named. */
  public MonitorSpec table(String table, String... columns) {
    tables.put(table, List.of(columns));
    return this;
  }

  /** Monitors only the rows of {@code table} that match all {@code where} (monitor_cond and newer). */
  public MonitorSpec where(String table, List<Condition> where) {
    conditions.put(table, List.copyOf(where));
    return this;
  }

  /** Keeps an index of {@code table} by {@code column}. */
  public MonitorSpec index(String table, String column) {
    indexes.add(new Index(table, column, null));
    return this;
  }

  /** Keeps an index of {@code table} by the value of {@code key} in map column {@code column}. */
  public MonitorSpec indexMapKey(String table, String column, String key) {
    indexes.add(new Index(table, column, key));
    return this;
  }

  /** Forces a monitor method instead of the newest the server supports. */
  public MonitorSpec method(Method m) {
    this.method = m;
    return this;
  }

  /** Tables and the columns named for them (empty: all). */
  public Map<String, List<String>> tables() {
    return tables;
  }

  /** The conditions for {@code table}, or null to monitor all its rows. */
  public List<Condition> conditionsFor(String table) {
    return conditions.get(table);
  }

  /** The indexes to keep. */
  public List<Index> indexes() {
    return indexes;
  }

  /** The forced method, or null for the newest the server knows. */
  public Method method() {
    return method;
  }
}
