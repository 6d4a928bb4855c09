package io.ovnmesos.ovsdb.schema;

/** One column of a table. */
public record ColumnSchema(String name, ColumnType type, boolean ephemeral, boolean mutable) {}
