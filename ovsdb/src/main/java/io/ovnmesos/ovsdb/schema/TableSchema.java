package io.ovnmesos.ovsdb.schema;

import io.ovnmesos.ovsdb.OvsdbSchemaException;
import java.util.List;
import java.util.Map;

/** One table: its columns (including {@code _uuid} and {@code _version}), root flag and indexes. */
public record TableSchema(String name, Map<String, ColumnSchema> columns, boolean isRoot, long maxRows,
    List<List<String>> indexes) {

  /** The named column, or an {@link OvsdbSchemaException} that names the table and column. */
  public ColumnSchema column(String column) {
    ColumnSchema c = columns.get(column);
    if (c == null) {
      throw new OvsdbSchemaException(name + "." + column + ": no such column in table " + name);
    }
    return c;
  }
}
