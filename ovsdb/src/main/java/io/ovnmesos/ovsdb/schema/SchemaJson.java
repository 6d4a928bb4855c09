package io.ovnmesos.ovsdb.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.ovnmesos.ovsdb.OvsdbSchemaException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the JSON form of a database schema (RFC 7047 section 3.2). */
final class SchemaJson {
  private SchemaJson() {}

  static DatabaseSchema parse(JsonNode json) {
    Context ctx = new Context("schema");
    String name = ctx.text(json, "name");
    Map<String, TableSchema> tables = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = ctx.require(json, "tables").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      tables.put(e.getKey(), table(e.getKey(), e.getValue(), new Context(name + "." + e.getKey())));
    }
    return new DatabaseSchema(name, json.path("version").asText(""), Map.copyOf(tables));
  }

  private static TableSchema table(String name, JsonNode json, Context ctx) {
    Map<String, ColumnSchema> columns = new LinkedHashMap<>();
    columns.put("_uuid", new ColumnSchema("_uuid", new ColumnType(BaseType.of(AtomicType.UUID), null, 1, 1),
        false, false));
    columns.put("_version", new ColumnSchema("_version",
        new ColumnType(BaseType.of(AtomicType.UUID), null, 1, 1), false, false));
    for (Iterator<Map.Entry<String, JsonNode>> it = ctx.require(json, "columns").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Context cc = new Context(ctx.where + "." + e.getKey());
      columns.put(e.getKey(), new ColumnSchema(e.getKey(), ColumnType.parse(cc.require(e.getValue(), "type"), cc),
          e.getValue().path("ephemeral").asBoolean(false), e.getValue().path("mutable").asBoolean(true)));
    }
    List<List<String>> indexes = new ArrayList<>();
    for (JsonNode idx : json.path("indexes")) {
      List<String> cols = new ArrayList<>();
      idx.forEach(c -> cols.add(c.asText()));
      indexes.add(List.copyOf(cols));
    }
    return new TableSchema(name, java.util.Collections.unmodifiableMap(columns), json.path("isRoot").asBoolean(false),
        json.path("maxRows").asLong(Long.MAX_VALUE), List.copyOf(indexes));
  }

  /** Where in the schema a parse is, for error messages. */
  static final class Context {
    final String where;

    Context(String where) {
      this.where = where;
    }

    JsonNode require(JsonNode json, String field) {
      JsonNode v = json == null ? null : json.get(field);
      if (v == null || v.isNull()) {
        throw new OvsdbSchemaException(where + ": missing \"" + field + "\"");
      }
      return v;
    }

    String text(JsonNode json, String field) {
      JsonNode v = require(json, field);
      if (!v.isTextual()) {
        throw new OvsdbSchemaException(where + ": \"" + field + "\" must be a string");
      }
      return v.asText();
    }
  }
}
