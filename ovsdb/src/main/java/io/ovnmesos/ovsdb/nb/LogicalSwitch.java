package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Set;
import java.util.Map;

/** A logical switch: one tenant network. */
public record LogicalSwitch(
    Uuid uuid,
    String name,
    Set<Uuid> ports,
    Set<Uuid> acls,
    Set<Uuid> loadBalancer,
    Set<Uuid> dnsRecords,
    Map<String, String> otherConfig,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "Logical_Switch";
  public static final String NAME = "name";
  public static final String PORTS = "ports";
  public static final String ACLS = "acls";
  public static final String LOAD_BALANCER = "load_balancer";
  public static final String DNS_RECORDS = "dns_records";
  public static final String OTHER_CONFIG = "other_config";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<LogicalSwitch> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, LogicalSwitch::from,
      TypedTable.column(NAME, TypedTable.Kind.STR),
      TypedTable.column(PORTS, TypedTable.Kind.UUIDSET),
      TypedTable.column(ACLS, TypedTable.Kind.UUIDSET),
      TypedTable.column(LOAD_BALANCER, TypedTable.Kind.UUIDSET),
      TypedTable.column(DNS_RECORDS, TypedTable.Kind.UUIDSET),
      TypedTable.column(OTHER_CONFIG, TypedTable.Kind.STRMAP),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static LogicalSwitch from(Row r) {
    return new LogicalSwitch(
        r.uuid(),
        r.string("name"),
        r.set("ports"),
        r.set("acls"),
        r.set("load_balancer"),
        r.set("dns_records"),
        r.map("other_config"),
        r.map("external_ids"));
  }
}
