package io.ovnmesos.ovsdb.data;

/**
 * A name for a row inserted earlier in the same transaction: {@code ["named-uuid", "name"]} on the
 * wire. The server replaces it with the row's real UUID.
 */
public record NamedUuid(String name) {
  public NamedUuid {
    if (!isValid(name)) {
      throw new IllegalArgumentException("named-uuid must match [A-Za-z_][A-Za-z0-9_]*, got: " + name);
    }
  }

  /** [A-Za-z_][A-Za-z0-9_]*, checked by hand: a large transaction names thousands of rows. */
  private static boolean isValid(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      if (!letter && (i == 0 || c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "@" + name;
  }
}
