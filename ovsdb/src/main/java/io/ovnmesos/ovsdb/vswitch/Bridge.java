package io.ovnmesos.ovsdb.vswitch;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Optional;
import java.util.Set;
import java.util.Map;

/** An OVS bridge such as br-int. */
public record Bridge(
    Uuid uuid,
    String name,
    Set<Uuid> ports,
    String datapathType,
    Optional<String> failMode,
    Map<String, String> externalIds,
    Map<String, String> otherConfig) {
  /** The table's name in Open_vSwitch. */
  public static final String TABLE_NAME = "Bridge";
  public static final String NAME = "name";
  public static final String PORTS = "ports";
  public static final String DATAPATH_TYPE = "datapath_type";
  public static final String FAIL_MODE = "fail_mode";
  public static final String EXTERNAL_IDS = "external_ids";
  public static final String OTHER_CONFIG = "other_config";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<Bridge> TABLE = new TypedTable<>("Open_vSwitch", TABLE_NAME, Bridge::from,
      TypedTable.column(NAME, TypedTable.Kind.STR),
      TypedTable.column(PORTS, TypedTable.Kind.UUIDSET),
      TypedTable.column(DATAPATH_TYPE, TypedTable.Kind.STR),
      TypedTable.column(FAIL_MODE, TypedTable.Kind.OPTSTR),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP),
      TypedTable.column(OTHER_CONFIG, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static Bridge from(Row r) {
    return new Bridge(
        r.uuid(),
        r.string("name"),
        r.set("ports"),
        r.string("datapath_type"),
        r.optional("fail_mode"),
        r.map("external_ids"),
        r.map("other_config"));
  }
}
