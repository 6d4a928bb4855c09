package io.ovnmesos.ovsdb.typed;

import io.ovnmesos.ovsdb.OvsdbSchemaException;
import io.ovnmesos.ovsdb.cache.DatabaseCache;
import io.ovnmesos.ovsdb.cache.MonitorSpec;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.schema.AtomicType;
import io.ovnmesos.ovsdb.schema.ColumnType;
import io.ovnmesos.ovsdb.schema.DatabaseSchema;
import io.ovnmesos.ovsdb.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A table read through a Java record: its database, name, the columns the record holds (with the
 * kind of value each must have) and the mapping from a {@link Row}.
 *
 * @param <T> the record type
 */
public final class TypedTable<T> {
  /** The shape of a column's value, as the record reads it. */
  public enum Kind {
    STR, LONG, BOOL, OPTSTR, OPTLONG, OPTBOOL, OPTUUID, STRSET, UUIDSET, STRMAP, UUID;

    boolean matches(ColumnType t) {
      AtomicType key = t.key().type();
      return switch (this) {
        case STR -> t.isScalar() && key == AtomicType.STRING;
        case LONG -> t.isScalar() && key == AtomicType.INTEGER;
        case BOOL -> t.isScalar() && key == AtomicType.BOOLEAN;
        case UUID -> t.isScalar() && key == AtomicType.UUID;
        case OPTSTR -> optional(t) && key == AtomicType.STRING;
        case OPTLONG -> optional(t) && key == AtomicType.INTEGER;
        case OPTBOOL -> optional(t) && key == AtomicType.BOOLEAN;
        case OPTUUID -> optional(t) && key == AtomicType.UUID;
        case STRSET -> t.isSet() && key == AtomicType.STRING;
        case UUIDSET -> t.isSet() && key == AtomicType.UUID;
        case STRMAP -> t.isMap() && key == AtomicType.STRING && t.value().type() == AtomicType.STRING;
      };
    }

    private static boolean optional(ColumnType t) {
      return t.isSet() && t.min() == 0 && t.max() == 1;
    }
  }

  /** A column of the record and the kind of value it must have. */
  public record Column(String name, Kind kind) {}

  private final String database;
  private final String name;
  private final Function<Row, T> mapper;
  private final List<Column> columns;

  public TypedTable(String database, String name, Function<Row, T> mapper, Column... columns) {
    this.database = database;
    this.name = name;
    this.mapper = mapper;
    this.columns = List.of(columns);
  }

  /** Declares a column. */
  public static Column column(String name, Kind kind) {
    return new Column(name, kind);
  }

  public String database() {
    return database;
  }

  public String name() {
    return name;
  }

  public List<Column> columns() {
    return columns;
  }

  /** The column names, for monitor and select requests. */
  public String[] columnNames() {
    return columns.stream().map(Column::name).toArray(String[]::new);
  }

  /** Adds this table, with the record's columns, to a monitor spec. */
  public MonitorSpec monitor(MonitorSpec spec) {
    return spec.table(name, columnNames());
  }

  /** Maps a row to the record. */
  public T from(Row row) {
    return mapper.apply(row);
  }

  /** Every row of the table in {@code cache}, as records. */
  public List<T> all(DatabaseCache cache) {
    List<T> out = new ArrayList<>();
    for (Row r : cache.rows(name)) {
      out.add(mapper.apply(r));
    }
    return out;
  }

  /** The row with {@code uuid}, as a record. */
  public Optional<T> get(DatabaseCache cache, Uuid uuid) {
    return cache.row(name, uuid).map(mapper);
  }

  /**
   * Checks the record's columns against a server's schema: each must exist and hold the kind of value
   * the record reads. Catches a record written for another OVN version before it misreads a row.
   */
  public void checkAgainst(DatabaseSchema schema) {
    if (!schema.name().equals(database)) {
      throw new OvsdbSchemaException(name + ": belongs to " + database + ", not " + schema.name());
    }
    TableSchema t = schema.table(name);
    for (Column c : columns) {
      ColumnType type = t.column(c.name()).type();
      if (!c.kind().matches(type)) {
        throw new OvsdbSchemaException(name + "." + c.name() + ": the record reads it as " + c.kind()
            + " but the schema has " + type);
      }
    }
  }
}
