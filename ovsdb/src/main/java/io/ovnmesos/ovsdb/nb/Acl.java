package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Optional;
import java.util.Map;

/** An access control rule on a switch or port group. */
public record Acl(
    Uuid uuid,
    Optional<String> name,
    long priority,
    String direction,
    String match,
    String action,
    boolean log,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "ACL";
  public static final String NAME = "name";
  public static final String PRIORITY = "priority";
  public static final String DIRECTION = "direction";
  public static final String MATCH = "match";
  public static final String ACTION = "action";
  public static final String LOG = "log";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<Acl> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, Acl::from,
      TypedTable.column(NAME, TypedTable.Kind.OPTSTR),
      TypedTable.column(PRIORITY, TypedTable.Kind.LONG),
      TypedTable.column(DIRECTION, TypedTable.Kind.STR),
      TypedTable.column(MATCH, TypedTable.Kind.STR),
      TypedTable.column(ACTION, TypedTable.Kind.STR),
      TypedTable.column(LOG, TypedTable.Kind.BOOL),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static Acl from(Row r) {
    return new Acl(
        r.uuid(),
        r.optional("name"),
        r.integer("priority"),
        r.string("direction"),
        r.string("match"),
        r.string("action"),
        r.bool("log"),
        r.map("external_ids"));
  }
}
