package io.ovnmesos.ovsdb.data;

/**
 * A name for a row inserted earlier in the same transaction: {@code ["named-uuid", "name"]} on the
 * wire. The server replaces it with the row's real UUID.
 */
public record NamedUuid(String name) {
  public NamedUuid {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("named-uuid must match [A-Za-z_][A-Za-z0-9_]*, got: " + name);
    }
  }

  @Override
  public String toString() {
    return "@" + name;
  }
}
