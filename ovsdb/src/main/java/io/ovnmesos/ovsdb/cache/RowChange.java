package io.ovnmesos.ovsdb.cache;

import io.ovnmesos.ovsdb.data.Row;

/** One row that a monitor update inserted, modified or deleted. */
public record RowChange(Kind kind, String table, Row oldRow, Row newRow) {
  /** What happened to the row. */
  public enum Kind { INSERT, MODIFY, DELETE }

  /** The row as it is now (after an insert or modify) or was (before a delete). */
  public Row row() {
    return newRow != null ? newRow : oldRow;
  }
}
