package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Optional;
import java.util.Map;

/** A load balancer: virtual IPs and their backends. */
public record LoadBalancer(
    Uuid uuid,
    String name,
    Map<String, String> vips,
    Optional<String> protocol,
    Map<String, String> options,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "Load_Balancer";
  public static final String NAME = "name";
  public static final String VIPS = "vips";
  public static final String PROTOCOL = "protocol";
  public static final String OPTIONS = "options";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<LoadBalancer> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, LoadBalancer::from,
      TypedTable.column(NAME, TypedTable.Kind.STR),
      TypedTable.column(VIPS, TypedTable.Kind.STRMAP),
      TypedTable.column(PROTOCOL, TypedTable.Kind.OPTSTR),
      TypedTable.column(OPTIONS, TypedTable.Kind.STRMAP),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static LoadBalancer from(Row r) {
    return new LoadBalancer(
        r.uuid(),
        r.string("name"),
        r.map("vips"),
        r.optional("protocol"),
        r.map("options"),
        r.map("external_ids"));
  }
}
