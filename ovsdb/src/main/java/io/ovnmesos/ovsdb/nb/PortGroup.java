package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Set;
import java.util.Map;

/** A named group of logical switch ports, with ACLs. */
public record PortGroup(
    Uuid uuid,
    String name,
    Set<Uuid> ports,
    Set<Uuid> acls,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "Port_Group";
  public static final String NAME = "name";
  public static final String PORTS = "ports";
  public static final String ACLS = "acls";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<PortGroup> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, PortGroup::from,
      TypedTable.column(NAME, TypedTable.Kind.STR),
      TypedTable.column(PORTS, TypedTable.Kind.UUIDSET),
      TypedTable.column(ACLS, TypedTable.Kind.UUIDSET),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static PortGroup from(Row r) {
    return new PortGroup(
        r.uuid(),
        r.string("name"),
        r.set("ports"),
        r.set("acls"),
        r.map("external_ids"));
  }
}
