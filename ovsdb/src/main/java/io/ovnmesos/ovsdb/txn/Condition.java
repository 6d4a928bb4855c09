package io.ovnmesos.ovsdb.txn;

/** One clause of a {@code where}: {@code [column, function, value]}. */
public record Condition(String column, Function function, Object value) {

  /** The comparison functions of RFC 7047 5.1. */
  public enum Function {
    LT("<"), LE("<="), EQ("=="), NE("!="), GE(">="), GT(">"), INCLUDES("includes"), EXCLUDES("excludes");

    private final String json;

    Function(String json) {
      this.json = json;
    }

    /** The function as it appears on the wire. */
    public String json() {
      return json;
    }
  }

  public static Condition eq(String column, Object value) {
    return new Condition(column, Function.EQ, value);
  }

  public static Condition ne(String column, Object value) {
    return new Condition(column, Function.NE, value);
  }

  public static Condition includes(String column, Object value) {
    return new Condition(column, Function.INCLUDES, value);
  }

  public static Condition excludes(String column, Object value) {
    return new Condition(column, Function.EXCLUDES, value);
  }

  /** Matches the row with this UUID. */
  public static Condition uuid(io.ovnmesos.ovsdb.data.Uuid uuid) {
    return eq("_uuid", uuid);
  }
}
