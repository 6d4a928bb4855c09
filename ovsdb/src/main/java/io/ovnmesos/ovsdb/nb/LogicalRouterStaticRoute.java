package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Optional;
import java.util.Map;

/** A static route of a logical router. */
public record LogicalRouterStaticRoute(
    Uuid uuid,
    String ipPrefix,
    String nexthop,
    Optional<String> outputPort,
    Optional<String> policy,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "Logical_Router_Static_Route";
  public static final String IP_PREFIX = "ip_prefix";
  public static final String NEXTHOP = "nexthop";
  public static final String OUTPUT_PORT = "output_port";
  public static final String POLICY = "policy";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<LogicalRouterStaticRoute> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, LogicalRouterStaticRoute::from,
      TypedTable.column(IP_PREFIX, TypedTable.Kind.STR),
      TypedTable.column(NEXTHOP, TypedTable.Kind.STR),
      TypedTable.column(OUTPUT_PORT, TypedTable.Kind.OPTSTR),
      TypedTable.column(POLICY, TypedTable.Kind.OPTSTR),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static LogicalRouterStaticRoute from(Row r) {
    return new LogicalRouterStaticRoute(
        r.uuid(),
        r.string("ip_prefix"),
        r.string("nexthop"),
        r.optional("output_port"),
        r.optional("policy"),
        r.map("external_ids"));
  }
}
