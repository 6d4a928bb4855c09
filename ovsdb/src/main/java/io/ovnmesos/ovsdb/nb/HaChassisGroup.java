package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Set;
import java.util.Map;

/** A group of chassis for gateway failover. */
public record HaChassisGroup(
    Uuid uuid,
    String name,
    Set<Uuid> haChassis,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "HA_Chassis_Group";
  public static final String NAME = "name";
  public static final String HA_CHASSIS = "ha_chassis";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<HaChassisGroup> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, HaChassisGroup::from,
      TypedTable.column(NAME, TypedTable.Kind.STR),
      TypedTable.column(HA_CHASSIS, TypedTable.Kind.UUIDSET),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static HaChassisGroup from(Row r) {
    return new HaChassisGroup(
        r.uuid(),
        r.string("name"),
        r.set("ha_chassis"),
        r.map("external_ids"));
  }
}
