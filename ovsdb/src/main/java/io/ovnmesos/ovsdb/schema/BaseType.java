package io.ovnmesos.ovsdb.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.ovnmesos.ovsdb.OvsdbSchemaException;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Uuid;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The type of a column's keys or values: an atomic type with its constraints (enum, integer or real
 * range, string length, reference to another table).
 */
public record BaseType(AtomicType type, Set<Object> enumValues, long minInteger, long maxInteger,
    double minReal, double maxReal, long minLength, long maxLength, String refTable, boolean strongRef) {

  /** An unconstrained base type of {@code type}. */
  public static BaseType of(AtomicType type) {
    return new BaseType(type, null, Long.MIN_VALUE, Long.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE,
        0, Long.MAX_VALUE, null, true);
  }

  /** Parses a base type: a bare type name or an object with constraints. */
  static BaseType parse(JsonNode json, SchemaJson.Context ctx) {
    if (json.isTextual()) {
      return of(AtomicType.fromJson(json.asText()));
    }
    AtomicType type = AtomicType.fromJson(ctx.text(json, "type"));
    Set<Object> enumValues = null;
    if (json.has("enum")) {
      Object parsed = io.ovnmesos.ovsdb.data.DatumCodec.decodeUnchecked(json.get("enum"), type);
      enumValues = parsed instanceof Set<?> s ? Set.copyOf(s) : Set.of(parsed);
    }
    return new BaseType(type, enumValues,
        json.path("minInteger").asLong(Long.MIN_VALUE), json.path("maxInteger").asLong(Long.MAX_VALUE),
        json.path("minReal").asDouble(-Double.MAX_VALUE), json.path("maxReal").asDouble(Double.MAX_VALUE),
        json.path("minLength").asLong(0), json.path("maxLength").asLong(Long.MAX_VALUE),
        json.has("refTable") ? json.get("refTable").asText() : null,
        !"weak".equals(json.path("refType").asText("strong")));
  }

  /**
   * Converts a Java value to this type's atom (Integer to Long, for example) and checks every
   * constraint; {@code where} names the field in the error.
   */
  public Object check(Object atom, String where) {
    Object v = coerce(atom, where);
    if (enumValues != null && !enumValues.contains(v)) {
      throw new OvsdbSchemaException(where + ": expected one of " + enumValues + ", got " + describe(atom));
    }
    switch (type) {
      case INTEGER -> {
        long n = (Long) v;
        if (n < minInteger || n > maxInteger) {
          throw new OvsdbSchemaException(where + ": expected an integer in [" + minInteger + ", "
              + maxInteger + "], got " + n);
        }
      }
      case REAL -> {
        double d = (Double) v;
        if (d < minReal || d > maxReal) {
          throw new OvsdbSchemaException(where + ": expected a real in [" + minReal + ", " + maxReal
              + "], got " + d);
        }
      }
      case STRING -> {
        if (minLength == 0 && maxLength == Long.MAX_VALUE) {
          break; // most string columns: nothing to measure
        }
        long len = ((String) v).getBytes(StandardCharsets.UTF_8).length;
        if (len < minLength || len > maxLength) {
          throw new OvsdbSchemaException(where + ": expected a string of " + minLength + " to " + maxLength
              + " bytes, got " + len + " bytes");
        }
      }
      default -> { }
    }
    return v;
  }

  private Object coerce(Object atom, String where) {
    Object v = switch (type) {
      case INTEGER -> atom instanceof Long || atom instanceof Integer || atom instanceof Short
          || atom instanceof Byte ? ((Number) atom).longValue() : null;
      case REAL -> atom instanceof Number n ? n.doubleValue() : null;
      case BOOLEAN -> atom instanceof Boolean ? atom : null;
      case STRING -> atom instanceof String ? atom : null;
      case UUID -> atom instanceof Uuid || atom instanceof NamedUuid ? atom
          : atom instanceof java.util.UUID u ? new Uuid(u) : null;
    };
    if (v == null) {
      throw new OvsdbSchemaException(where + ": expected " + (type == AtomicType.INTEGER ? "an " : "a ")
          + type.jsonName() + (refTable == null ? "" : " (a reference to " + refTable + ")")
          + ", got " + describe(atom));
    }
    return v;
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String s = String.valueOf(value);
    if (s.length() > 60) {
      s = s.substring(0, 57) + "...";
    }
    return value.getClass().getSimpleName() + " " + (value instanceof String ? "\"" + s + "\"" : s);
  }
}
