package io.ovnmesos.ovsdb.vswitch;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Set;
import java.util.Map;

/** An OVS port of a bridge. */
public record Port(
    Uuid uuid,
    String name,
    Set<Uuid> interfaces,
    Map<String, String> externalIds) {
  /** The table's name in Open_vSwitch. */
  public static final String TABLE_NAME = "Port";
  public static final String NAME = "name";
  public static final String INTERFACES = "interfaces";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<Port> TABLE = new TypedTable<>("Open_vSwitch", TABLE_NAME, Port::from,
      TypedTable.column(NAME, TypedTable.Kind.STR),
      TypedTable.column(INTERFACES, TypedTable.Kind.UUIDSET),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static Port from(Row r) {
    return new Port(
        r.uuid(),
        r.string("name"),
        r.set("interfaces"),
        r.map("external_ids"));
  }
}
