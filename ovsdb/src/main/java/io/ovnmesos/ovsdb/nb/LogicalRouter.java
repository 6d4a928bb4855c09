package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Optional;
import java.util.Set;
import java.util.Map;

/** A logical router: a tenant's distributed router or a gateway router. */
public record LogicalRouter(
    Uuid uuid,
    String name,
    Set<Uuid> ports,
    Set<Uuid> staticRoutes,
    Set<Uuid> nat,
    Set<Uuid> loadBalancer,
    Optional<Boolean> enabled,
    Map<String, String> options,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "Logical_Router";
  public static final String NAME = "name";
  public static final String PORTS = "ports";
  public static final String STATIC_ROUTES = "static_routes";
  public static final String NAT = "nat";
  public static final String LOAD_BALANCER = "load_balancer";
  public static final String ENABLED = "enabled";
  public static final String OPTIONS = "options";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<LogicalRouter> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, LogicalRouter::from,
      TypedTable.column(NAME, TypedTable.Kind.STR),
      TypedTable.column(PORTS, TypedTable.Kind.UUIDSET),
      TypedTable.column(STATIC_ROUTES, TypedTable.Kind.UUIDSET),
      TypedTable.column(NAT, TypedTable.Kind.UUIDSET),
      TypedTable.column(LOAD_BALANCER, TypedTable.Kind.UUIDSET),
      TypedTable.column(ENABLED, TypedTable.Kind.OPTBOOL),
      TypedTable.column(OPTIONS, TypedTable.Kind.STRMAP),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static LogicalRouter from(Row r) {
    return new LogicalRouter(
        r.uuid(),
        r.string("name"),
        r.set("ports"),
        r.set("static_routes"),
        r.set("nat"),
        r.set("load_balancer"),
        r.optional("enabled"),
        r.map("options"),
        r.map("external_ids"));
  }
}
