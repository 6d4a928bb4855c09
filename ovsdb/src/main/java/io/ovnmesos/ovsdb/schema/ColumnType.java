package io.ovnmesos.ovsdb.schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A column's type: key type, optional value type (then it is a map), and how many elements it holds
 * ({@code min} 0 or 1, {@code max} a number or unlimited).
 */
public record ColumnType(BaseType key, BaseType value, long min, long max) {
  /** Stands for {@code "max": "unlimited"}. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  static ColumnType parse(JsonNode json, SchemaJson.Context ctx) {
    if (json.isTextual()) {
      return new ColumnType(BaseType.of(AtomicType.fromJson(json.asText())), null, 1, 1);
    }
    BaseType key = BaseType.parse(ctx.require(json, "key"), ctx);
    BaseType value = json.has("value") ? BaseType.parse(json.get("value"), ctx) : null;
    long min = json.path("min").asLong(1);
    JsonNode maxNode = json.path("max");
    long max = maxNode.isMissingNode() ? 1 : maxNode.isTextual() && "unlimited".equals(maxNode.asText())
        ? UNLIMITED : maxNode.asLong(1);
    return new ColumnType(key, value, min, max);
  }

  /** True for a map column. */
  public boolean isMap() {
    return value != null;
  }

  /** True for a column holding exactly one atom. */
  public boolean isScalar() {
    return value == null && min == 1 && max == 1;
  }

  /** True for a column holding a set of atoms (including an optional one: min 0, max 1). */
  public boolean isSet() {
    return value == null && !isScalar();
  }

  /** The same element types without cardinality limits, as conditions and mutations use them. */
  public ColumnType unbounded() {
    return new ColumnType(key, value, 0, UNLIMITED);
  }
}
