package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Map;

/** A chassis that may host a router port, with its priority. */
public record GatewayChassis(
    Uuid uuid,
    String name,
    String chassisName,
    long priority,
    Map<String, String> options,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "Gateway_Chassis";
  public static final String NAME = "name";
  public static final String CHASSIS_NAME = "chassis_name";
  public static final String PRIORITY = "priority";
  public static final String OPTIONS = "options";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<GatewayChassis> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, GatewayChassis::from,
      TypedTable.column(NAME, TypedTable.Kind.STR),
      TypedTable.column(CHASSIS_NAME, TypedTable.Kind.STR),
      TypedTable.column(PRIORITY, TypedTable.Kind.LONG),
      TypedTable.column(OPTIONS, TypedTable.Kind.STRMAP),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static GatewayChassis from(Row r) {
    return new GatewayChassis(
        r.uuid(),
        r.string("name"),
        r.string("chassis_name"),
        r.integer("priority"),
        r.map("options"),
        r.map("external_ids"));
  }
}
