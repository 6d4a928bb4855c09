package io.ovnmesos.ovsdb.txn;

/** One mutation of a {@code mutate} operation: {@code [column, mutator, value]}. */
public record Mutation(String column, Mutator mutator, Object value) {

  /** The mutators of RFC 7047 5.1. */
  public enum Mutator {
    ADD("+="), SUBTRACT("-="), MULTIPLY("*="), DIVIDE("/="), MODULO("%="), INSERT("insert"), DELETE("delete");

    private final String json;

    Mutator(String json) {
      this.json = json;
    }

    /** The mutator as it appears on the wire. */
    public String json() {
      return json;
    }

    boolean arithmetic() {
      return this != INSERT && this != DELETE;
    }
  }

  /** Adds elements to a set, or pairs to a map (existing keys keep their value). */
  public static Mutation insert(String column, Object value) {
    return new Mutation(column, Mutator.INSERT, value);
  }

  /** Removes elements from a set; from a map, removes keys (a set) or exact pairs (a map). */
  public static Mutation delete(String column, Object value) {
    return new Mutation(column, Mutator.DELETE, value);
  }

  /** Adds a number to an integer or real column. */
  public static Mutation add(String column, Number value) {
    return new Mutation(column, Mutator.ADD, value);
  }
}
