package io.ovnmesos.ovsdb.data;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable row of a table: its UUID and the values of the columns that were read or monitored,
 * in the Java forms {@link DatumCodec} describes.
 */
public record Row(String table, Uuid uuid, Map<String, Object> columns) {

  public Row {
    columns = Map.copyOf(columns);
  }

  /** The raw value of {@code column}, or an exception naming the column if it was not read. */
  public Object get(String column) {
    Object v = columns.get(column);
    if (v == null) {
      throw new IllegalArgumentException(table + "." + column + " was not read for row " + uuid);
    }
    return v;
  }

  /** True if {@code column} was read. */
  public boolean has(String column) {
    return columns.containsKey(column);
  }

  public String string(String column) {
    return (String) get(column);
  }

  public long integer(String column) {
    return (Long) get(column);
  }

  public boolean bool(String column) {
    return (Boolean) get(column);
  }

  /** The single element of an optional column, if set. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> optional(String column) {
    Set<T> s = (Set<T>) get(column);
    return s.isEmpty() ? Optional.empty() : Optional.of(s.iterator().next());
  }

  @SuppressWarnings("unchecked")
  public <T> Set<T> set(String column) {
    return (Set<T>) get(column);
  }

  @SuppressWarnings("unchecked")
  public <K, V> Map<K, V> map(String column) {
    return (Map<K, V>) get(column);
  }

  /** The value of {@code key} in a string-to-string map column such as {@code external_ids}. */
  public Optional<String> mapValue(String column, String key) {
    return Optional.ofNullable(this.<String, String>map(column).get(key));
  }

  /** A copy with some columns replaced or added. */
  public Row with(Map<String, Object> changes) {
    java.util.HashMap<String, Object> merged = new java.util.HashMap<>(columns);
    merged.putAll(changes);
    return new Row(table, uuid, merged);
  }
}
