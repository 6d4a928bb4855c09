package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Optional;
import java.util.Set;
import java.util.Map;

/** A logical router port, with its MAC and networks. */
public record LogicalRouterPort(
    Uuid uuid,
    String name,
    String mac,
    Set<String> networks,
    Optional<String> peer,
    Set<Uuid> gatewayChassis,
    Optional<Uuid> haChassisGroup,
    Map<String, String> options,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "Logical_Router_Port";
  public static final String NAME = "name";
  public static final String MAC = "mac";
  public static final String NETWORKS = "networks";
  public static final String PEER = "peer";
  public static final String GATEWAY_CHASSIS = "gateway_chassis";
  public static final String HA_CHASSIS_GROUP = "ha_chassis_group";
  public static final String OPTIONS = "options";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<LogicalRouterPort> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, LogicalRouterPort::from,
      TypedTable.column(NAME, TypedTable.Kind.STR),
      TypedTable.column(MAC, TypedTable.Kind.STR),
      TypedTable.column(NETWORKS, TypedTable.Kind.STRSET),
      TypedTable.column(PEER, TypedTable.Kind.OPTSTR),
      TypedTable.column(GATEWAY_CHASSIS, TypedTable.Kind.UUIDSET),
      TypedTable.column(HA_CHASSIS_GROUP, TypedTable.Kind.OPTUUID),
      TypedTable.column(OPTIONS, TypedTable.Kind.STRMAP),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static LogicalRouterPort from(Row r) {
    return new LogicalRouterPort(
        r.uuid(),
        r.string("name"),
        r.string("mac"),
        r.set("networks"),
        r.optional("peer"),
        r.set("gateway_chassis"),
        r.optional("ha_chassis_group"),
        r.map("options"),
        r.map("external_ids"));
  }
}
