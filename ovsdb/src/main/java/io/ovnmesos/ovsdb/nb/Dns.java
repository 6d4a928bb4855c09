package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Map;

/** DNS records served to a switch's ports. */
public record Dns(
    Uuid uuid,
    Map<String, String> records,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "DNS";
  public static final String RECORDS = "records";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<Dns> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, Dns::from,
      TypedTable.column(RECORDS, TypedTable.Kind.STRMAP),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static Dns from(Row r) {
    return new Dns(
        r.uuid(),
        r.map("records"),
        r.map("external_ids"));
  }
}
