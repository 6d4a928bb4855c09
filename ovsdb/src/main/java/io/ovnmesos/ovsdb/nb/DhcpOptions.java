package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Map;

/** DHCP options for a CIDR. */
public record DhcpOptions(
    Uuid uuid,
    String cidr,
    Map<String, String> options,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "DHCP_Options";
  public static final String CIDR = "cidr";
  public static final String OPTIONS = "options";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<DhcpOptions> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, DhcpOptions::from,
      TypedTable.column(CIDR, TypedTable.Kind.STR),
      TypedTable.column(OPTIONS, TypedTable.Kind.STRMAP),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static DhcpOptions from(Row r) {
    return new DhcpOptions(
        r.uuid(),
        r.string("cidr"),
        r.map("options"),
        r.map("external_ids"));
  }
}
