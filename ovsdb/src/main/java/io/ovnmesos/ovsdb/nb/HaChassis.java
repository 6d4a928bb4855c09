package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Map;

/** One member of an HA chassis group, with its priority. */
public record HaChassis(
    Uuid uuid,
    String chassisName,
    long priority,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "HA_Chassis";
  public static final String CHASSIS_NAME = "chassis_name";
  public static final String PRIORITY = "priority";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<HaChassis> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, HaChassis::from,
      TypedTable.column(CHASSIS_NAME, TypedTable.Kind.STR),
      TypedTable.column(PRIORITY, TypedTable.Kind.LONG),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static HaChassis from(Row r) {
    return new HaChassis(
        r.uuid(),
        r.string("chassis_name"),
        r.integer("priority"),
        r.map("external_ids"));
  }
}
