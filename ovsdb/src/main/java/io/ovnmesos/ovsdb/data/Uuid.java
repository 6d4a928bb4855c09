package io.ovnmesos.ovsdb.data;

import java.util.UUID;

/** A row's UUID: {@code ["uuid", "..."]} on the wire. */
public record Uuid(UUID value) implements Comparable<Uuid> {
  /** The all-zero UUID, the default of a UUID column. */
  public static final Uuid ZERO = new Uuid(new UUID(0, 0));

  public Uuid {
    java.util.Objects.requireNonNull(value, "value");
  }

  /** Parses the 36-character form. */
  public static Uuid of(String s) {
    return new Uuid(UUID.fromString(s));
  }

  @Override
  public int compareTo(Uuid o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
