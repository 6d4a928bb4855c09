package io.ovnmesos.ovsdb.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.ovnmesos.ovsdb.OvsdbException;
import io.ovnmesos.ovsdb.OvsdbSchemaException;
import io.ovnmesos.ovsdb.schema.AtomicType;
import io.ovnmesos.ovsdb.schema.BaseType;
import io.ovnmesos.ovsdb.schema.ColumnType;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Converts column values between Java and RFC 7047 JSON, checked against the column type.
 *
 * <p>In Java, a scalar column holds its atom ({@code Long}, {@code Double}, {@code Boolean},
 * {@code String}, {@link Uuid}); a set column (including an optional one) a {@code Set}; a map column
 * a {@code Map}. When encoding, an {@code Integer} is taken as a {@code Long}, any {@code Collection}
 * as a set, an {@code Optional} as a set of zero or one, and a single atom as a set of one.
 */
public final class DatumCodec {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private DatumCodec() {}

  /** Encodes {@code value} for a column of {@code type}; {@code where} names the column in errors. */
  public static JsonNode encode(Object value, ColumnType type, String where) {
    if (value == null) {
      throw new OvsdbSchemaException(where + ": expected a value, got null");
    }
    if (type.isMap()) {
      if (!(value instanceof Map<?, ?> map)) {
        throw new OvsdbSchemaException(where + ": expected a map, got " + value.getClass().getSimpleName());
      }
      checkSize(map.size(), type, where);
      ArrayNode pairs = JSON.arrayNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object k = type.key().check(e.getKey(), where + " key");
        Object v = type.value().check(e.getValue(), where + "[" + e.getKey() + "]");
        pairs.add(JSON.arrayNode().add(encodeAtom(k)).add(encodeAtom(v)));
      }
      return JSON.arrayNode().add("map").add(pairs);
    }
    if (type.isScalar()) {
      if (value instanceof Collection<?> || value instanceof Optional<?> || value instanceof Map<?, ?>) {
        throw new OvsdbSchemaException(where + ": expected a single " + type.key().type().jsonName()
            + ", got " + value.getClass().getSimpleName());
      }
      return encodeAtom(type.key().check(value, where));
    }
    Collection<?> elements = value instanceof Collection<?> c ? c
        : value instanceof Optional<?> o ? o.stream().toList() : java.util.List.of(value);
    checkSize(elements.size(), type, where);
    ArrayNode atoms = JSON.arrayNode();
    for (Object e : elements) {
      atoms.add(encodeAtom(type.key().check(e, where + " element")));
    }
    return JSON.arrayNode().add("set").add(atoms);
  }

  private static void checkSize(int size, ColumnType type, String where) {
    if (size < type.min() || size > type.max()) {
      throw new OvsdbSchemaException(where + ": expected " + type.min() + " to "
          + (type.max() == ColumnType.UNLIMITED ? "unlimited" : type.max()) + " elements, got " + size);
    }
  }

  /** Encodes one atom already checked against its type. */
  public static JsonNode encodeAtom(Object atom) {
    if (atom instanceof Long l) {
      return JSON.numberNode(l);
    } else if (atom instanceof Double d) {
      return JSON.numberNode(d);
    } else if (atom instanceof Boolean b) {
      return JSON.booleanNode(b);
    } else if (atom instanceof String s) {
      return JSON.textNode(s);
    } else if (atom instanceof Uuid u) {
      return JSON.arrayNode().add("uuid").add(u.toString());
    } else if (atom instanceof NamedUuid n) {
      return JSON.arrayNode().add("named-uuid").add(n.name());
    }
    throw new IllegalArgumentException("not an OVSDB atom: " + atom);
  }

  /** Decodes a value the server sent for a column of {@code type}. */
  public static Object decode(JsonNode json, ColumnType type) {
    return decode(json, type, UnaryOperator.identity());
  }

  /**
   * Decodes like {@link #decode(JsonNode, ColumnType)}, passing every string atom through
   * {@code strings}: a cache filled with thousands of rows can share the copies of strings that
   * repeat (map keys, tenant and network names) instead of holding one per row.
   */
  public static Object decode(JsonNode json, ColumnType type, UnaryOperator<String> strings) {
    if (type.isMap()) {
      ImmutableMap.Builder<Object, Object> map = ImmutableMap.builderWithExpectedSize(json == null ? 0 : json.path(1).size());
      for (JsonNode pair : tagged(json, "map")) {
        if (!pair.isArray() || pair.size() != 2) {
          throw malformed("map pair", pair);
        }
        map.put(shared(decodeAtom(pair.get(0), type.key().type()), strings),
            shared(decodeAtom(pair.get(1), type.value().type()), strings));
      }
      return map.buildKeepingLast();
    }
    if (type.isScalar()) {
      return shared(decodeAtom(json, type.key().type()), strings);
    }
    if (json != null && json.isArray() && json.size() == 2 && "set".equals(json.get(0).asText())) {
      ImmutableSet.Builder<Object> set = ImmutableSet.builderWithExpectedSize(json.get(1).size());
      for (JsonNode a : json.get(1)) {
        set.add(shared(decodeAtom(a, type.key().type()), strings));
      }
      return set.build();
    }
    return ImmutableSet.of(shared(decodeAtom(json, type.key().type()), strings));
  }

  private static Object shared(Object atom, UnaryOperator<String> strings) {
    return atom instanceof String s ? strings.apply(s) : atom;
  }

  /** The default value of a column: 0, 0.0, false, "", the zero UUID, or an empty set or map. */
  public static Object defaultValue(ColumnType type) {
    if (type.isMap()) {
      return ImmutableMap.of();
    }
    if (!type.isScalar()) {
      return ImmutableSet.of();
    }
    return switch (type.key().type()) {
      case INTEGER -> 0L;
      case REAL -> 0.0;
      case BOOLEAN -> false;
      case STRING -> "";
      case UUID -> Uuid.ZERO;
    };
  }

  private static Iterable<JsonNode> tagged(JsonNode json, String tag) {
    if (json == null || !json.isArray() || json.size() != 2 || !tag.equals(json.get(0).asText())
        || !json.get(1).isArray()) {
      throw malformed(tag, json);
    }
    return json.get(1);
  }

  private static ImmutableSet<Object> decodeSet(JsonNode json, AtomicType type) {
    if (json != null && json.isArray() && json.size() == 2 && "set".equals(json.get(0).asText())) {
      ImmutableSet.Builder<Object> set = ImmutableSet.builder();
      for (JsonNode a : json.get(1)) {
        set.add(decodeAtom(a, type));
      }
      return set.build();
    }
    return ImmutableSet.of(decodeAtom(json, type));
  }

  /** Decodes one atom of {@code type}. */
  public static Object decodeAtom(JsonNode json, AtomicType type) {
    if (json == null) {
      throw malformed(type.jsonName(), null);
    }
    switch (type) {
      case INTEGER -> {
        if (json.isIntegralNumber()) {
          return json.asLong();
        }
      }
      case REAL -> {
        if (json.isNumber()) {
          return json.asDouble();
        }
      }
      case BOOLEAN -> {
        if (json.isBoolean()) {
          return json.asBoolean();
        }
      }
      case STRING -> {
        if (json.isTextual()) {
          return json.asText();
        }
      }
      case UUID -> {
        if (json.isArray() && json.size() == 2 && json.get(1).isTextual()) {
          String tag = json.get(0).asText();
          if (tag.equals("uuid")) {
            try {
              return Uuid.of(json.get(1).asText());
            } catch (IllegalArgumentException e) {
              throw malformed("uuid", json);
            }
          } else if (tag.equals("named-uuid")) {
            return new NamedUuid(json.get(1).asText());
          }
        }
      }
    }
    throw malformed(type.jsonName(), json);
  }

  /** Decodes a value whose column type is not known (as in a schema's enum): an atom or a set. */
  public static Object decodeUnchecked(JsonNode json, AtomicType type) {
    return decodeSet(json, type);
  }

  private static OvsdbException malformed(String expected, JsonNode got) {
    String s = String.valueOf(got);
    return new OvsdbException("malformed OVSDB value: expected " + expected + ", got "
        + (s.length() > 80 ? s.substring(0, 77) + "..." : s));
  }
}
