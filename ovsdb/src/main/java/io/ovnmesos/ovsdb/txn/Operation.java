package io.ovnmesos.ovsdb.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ovnmesos.ovsdb.OvsdbSchemaException;
import io.ovnmesos.ovsdb.data.DatumCodec;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.schema.ColumnSchema;
import io.ovnmesos.ovsdb.schema.ColumnType;
import io.ovnmesos.ovsdb.schema.DatabaseSchema;
import io.ovnmesos.ovsdb.schema.TableSchema;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** One operation of a transaction (RFC 7047 5.2), encoded and checked against the schema. */
public sealed interface Operation {
  JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Encodes the operation; throws {@link OvsdbSchemaException} for anything that does not fit. */
  ObjectNode toJson(DatabaseSchema schema);

  /** A short description for error messages, e.g. {@code insert into Logical_Switch}. */
  String describe();

  /** Inserts a row; {@code uuidName} (may be null) lets later operations refer to it. */
  record Insert(String table, Map<String, Object> row, NamedUuid uuidName) implements Operation {
    @Override
    public ObjectNode toJson(DatabaseSchema schema) {
      TableSchema t = schema.table(table);
      ObjectNode op = JSON.objectNode().put("op", "insert").put("table", table);
      op.set("row", encodeRow(t, row, false));
      if (uuidName != null) {
        op.put("uuid-name", uuidName.name());
      }
      return op;
    }

    @Override
    public String describe() {
      return "insert into " + table;
    }
  }

  /** Reads matching rows, all columns or those named. */
  record Select(String table, List<Condition> where, List<String> columns) implements Operation {
    @Override
    public ObjectNode toJson(DatabaseSchema schema) {
      TableSchema t = schema.table(table);
      ObjectNode op = JSON.objectNode().put("op", "select").put("table", table);
      op.set("where", Where.encode(t, where));
      if (columns != null) {
        op.set("columns", encodeColumns(t, columns));
      }
      return op;
    }

    @Override
    public String describe() {
      return "select from " + table;
    }
  }

  /** Sets columns of matching rows. */
  record Update(String table, List<Condition> where, Map<String, Object> row) implements Operation {
    @Override
    public ObjectNode toJson(DatabaseSchema schema) {
      TableSchema t = schema.table(table);
      ObjectNode op = JSON.objectNode().put("op", "update").put("table", table);
      op.set("where", Where.encode(t, where));
      op.set("row", encodeRow(t, row, true));
      return op;
    }

    @Override
    public String describe() {
      return "update " + table;
    }
  }

  /** Mutates columns of matching rows in place (insert into a set, add to a number, ...). */
  record Mutate(String table, List<Condition> where, List<Mutation> mutations) implements Operation {
    @Override
    public ObjectNode toJson(DatabaseSchema schema) {
      TableSchema t = schema.table(table);
      ObjectNode op = JSON.objectNode().put("op", "mutate").put("table", table);
      op.set("where", Where.encode(t, where));
      ArrayNode ms = op.putArray("mutations");
      for (Mutation m : mutations) {
        ColumnSchema c = t.column(m.column());
        String where = table + "." + m.column();
        if (!c.mutable() || m.column().startsWith("_")) {
          throw new OvsdbSchemaException(where + ": column is immutable");
        }
        ms.add(JSON.arrayNode().add(m.column()).add(m.mutator().json()).add(encodeMutationValue(c.type(), m, where)));
      }
      return op;
    }

    @Override
    public String describe() {
      return "mutate " + table;
    }
  }

  /** Deletes matching rows. */
  record Delete(String table, List<Condition> where) implements Operation {
    @Override
    public ObjectNode toJson(DatabaseSchema schema) {
      TableSchema t = schema.table(table);
      ObjectNode op = JSON.objectNode().put("op", "delete").put("table", table);
      op.set("where", Where.encode(t, where));
      return op;
    }

    @Override
    public String describe() {
      return "delete from " + table;
    }
  }

  /**
   * Waits until the {@code columns} of the rows matching {@code where} are ({@code untilEqual}) or
   * are not equal to {@code rows}; with timeout 0 it is an immediate check that aborts the
   * transaction when it fails, which makes optimistic concurrency easy.
   */
  record Wait(String table, List<Condition> where, List<String> columns, boolean untilEqual,
      List<Map<String, Object>> rows, Long timeoutMillis) implements Operation {
    @Override
    public ObjectNode toJson(DatabaseSchema schema) {
      TableSchema t = schema.table(table);
      ObjectNode op = JSON.objectNode().put("op", "wait").put("table", table);
      op.set("where", Where.encode(t, where));
      op.set("columns", encodeColumns(t, columns));
      op.put("until", untilEqual ? "==" : "!=");
      ArrayNode rs = op.putArray("rows");
      for (Map<String, Object> r : rows) {
        for (String col : r.keySet()) {
          if (!columns.contains(col)) {
            throw new OvsdbSchemaException(table + "." + col + ": wait rows may only hold the waited columns " + columns);
          }
        }
        rs.add(encodeRow(t, r, false));
      }
      if (timeoutMillis != null) {
        op.put("timeout", timeoutMillis);
      }
      return op;
    }

    @Override
    public String describe() {
      return "wait on " + table;
    }
  }

  /** Asks for the transaction to be durable (or not) before it is reported committed. */
  record Commit(boolean durable) implements Operation {
    @Override
    public ObjectNode toJson(DatabaseSchema schema) {
      return JSON.objectNode().put("op", "commit").put("durable", durable);
    }

    @Override
    public String describe() {
      return "commit";
    }
  }

  /** Aborts the transaction; it fails with error {@code aborted}. */
  record Abort() implements Operation {
    @Override
    public ObjectNode toJson(DatabaseSchema schema) {
      return JSON.objectNode().put("op", "abort");
    }

    @Override
    public String describe() {
      return "abort";
    }
  }

  /** Adds a comment to the database log. */
  record Comment(String comment) implements Operation {
    @Override
    public ObjectNode toJson(DatabaseSchema schema) {
      return JSON.objectNode().put("op", "comment").put("comment", comment);
    }

    @Override
    public String describe() {
      return "comment";
    }
  }

  /** Fails the transaction with {@code not owner} unless this client holds {@code lock}. */
  record Assert(String lock) implements Operation {
    @Override
    public ObjectNode toJson(DatabaseSchema schema) {
      return JSON.objectNode().put("op", "assert").put("lock", lock);
    }

    @Override
    public String describe() {
      return "assert lock " + lock;
    }
  }

  private static ObjectNode encodeRow(TableSchema t, Map<String, Object> row, boolean update) {
    ObjectNode json = JSON.objectNode();
    row.forEach((col, value) -> {
      String where = t.name() + "." + col;
      ColumnSchema c = t.column(col);
      if (col.startsWith("_")) {
        throw new OvsdbSchemaException(where + ": set by the server, not writable");
      }
      if (update && !c.mutable()) {
        throw new OvsdbSchemaException(where + ": column is immutable");
      }
      json.set(col, DatumCodec.encode(value, c.type(), where));
    });
    return json;
  }

  private static ArrayNode encodeColumns(TableSchema t, List<String> columns) {
    ArrayNode json = JSON.arrayNode();
    columns.forEach(c -> json.add(t.column(c).name()));
    return json;
  }

  private static JsonNode encodeMutationValue(ColumnType type, Mutation m, String where) {
    if (m.mutator().arithmetic()) {
      if (type.isMap() || !(switch (type.key().type()) {
        case INTEGER, REAL -> true;
        default -> false;
      })) {
        throw new OvsdbSchemaException(where + ": " + m.mutator().json() + " needs an integer or real column");
      }
      return DatumCodec.encodeAtom(type.key().check(m.value(), where));
    }
    if (type.isMap() && m.mutator() == Mutation.Mutator.DELETE && !(m.value() instanceof Map<?, ?>)) {
      // Deleting keys: a set of the key type.
      Object keys = m.value() instanceof Collection<?> ? m.value() : List.of(m.value());
      return DatumCodec.encode(keys, new ColumnType(type.key(), null, 0, ColumnType.UNLIMITED), where);
    }
    if (type.isScalar()) {
      throw new OvsdbSchemaException(where + ": " + m.mutator().json() + " needs a set or map column");
    }
    return DatumCodec.encode(m.value(), type.unbounded(), where);
  }
}
