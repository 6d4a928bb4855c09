package io.ovnmesos.ovsdb.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ovnmesos.ovsdb.OvsdbSchemaException;
import io.ovnmesos.ovsdb.data.DatumCodec;
import io.ovnmesos.ovsdb.schema.ColumnType;
import io.ovnmesos.ovsdb.schema.TableSchema;
import java.util.List;

/** Encodes a list of {@link Condition}s for a table, as transactions and conditional monitors use it. */
public final class Where {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Where() {}

  /** Checks each condition against {@code t} and returns the JSON array; an empty list matches all rows. */
  public static ArrayNode encode(TableSchema t, List<Condition> where) {
    ArrayNode json = JSON.arrayNode();
    for (Condition c : where) {
      String w = t.name() + "." + c.column() + " " + c.function().json();
      ColumnType type = t.column(c.column()).type();
      boolean ordering = switch (c.function()) {
        case LT, LE, GE, GT -> true;
        default -> false;
      };
      if (ordering && !(type.isScalar() && switch (type.key().type()) {
        case INTEGER, REAL -> true;
        default -> false;
      })) {
        throw new OvsdbSchemaException(w + ": ordering needs an integer or real column");
      }
      JsonNode v = DatumCodec.encode(c.value(), type.isScalar() ? type : type.unbounded(), w);
      json.add(JSON.arrayNode().add(c.column()).add(c.function().json()).add(v));
    }
    return json;
  }

}
