package io.ovnmesos.ovsdb.schema;

import io.ovnmesos.ovsdb.OvsdbSchemaException;

/** The five atomic types of RFC 7047. */
public enum AtomicType {
  INTEGER, REAL, BOOLEAN, STRING, UUID;

  /** Parses the schema's name for the type, e.g. {@code "string"}. */
  public static AtomicType fromJson(String name) {
    for (AtomicType t : values()) {
      if (t.jsonName().equals(name)) {
        return t;
      }
    }
    throw new OvsdbSchemaException("unknown atomic type \"" + name + "\"");
  }

  /** The name used in schemas, e.g. {@code "string"}. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
