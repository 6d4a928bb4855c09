package io.ovnmesos.ovsdb.vswitch;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Set;
import java.util.Map;

/** The Open_vSwitch row: this chassis' identity and OVN settings. */
public record OpenVswitch(
    Uuid uuid,
    Set<Uuid> bridges,
    Map<String, String> externalIds,
    Map<String, String> otherConfig) {
  /** The table's name in Open_vSwitch. */
  public static final String TABLE_NAME = "Open_vSwitch";
  public static final String BRIDGES = "bridges";
  public static final String EXTERNAL_IDS = "external_ids";
  public static final String OTHER_CONFIG = "other_config";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<OpenVswitch> TABLE = new TypedTable<>("Open_vSwitch", TABLE_NAME, OpenVswitch::from,
      TypedTable.column(BRIDGES, TypedTable.Kind.UUIDSET),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP),
      TypedTable.column(OTHER_CONFIG, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static OpenVswitch from(Row r) {
    return new OpenVswitch(
        r.uuid(),
        r.set("bridges"),
        r.map("external_ids"),
        r.map("other_config"));
  }
}
