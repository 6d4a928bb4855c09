package io.ovnmesos.ovsdb.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.ovnmesos.ovsdb.OvsdbSchemaException;
import java.util.Map;

/** A database schema as {@code get_schema} returns it. */
public record DatabaseSchema(String name, String version, Map<String, TableSchema> tables) {

  /** Parses a schema object; a malformed one raises {@link OvsdbSchemaException}. */
  public static DatabaseSchema parse(JsonNode json) {
    return SchemaJson.parse(json);
  }

  /** The named table, or an {@link OvsdbSchemaException} that names the database and table. */
  public TableSchema table(String table) {
    TableSchema t = tables.get(table);
    if (t == null) {
      throw new OvsdbSchemaException(table + ": no such table in database " + name);
    }
    return t;
  }
}
