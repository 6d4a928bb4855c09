package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Optional;
import java.util.Map;

/** A NAT rule of a logical router (snat, dnat, dnat_and_snat). */
public record Nat(
    Uuid uuid,
    String type,
    String logicalIp,
    String externalIp,
    Optional<String> externalMac,
    Optional<String> logicalPort,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "NAT";
  public static final String TYPE = "type";
  public static final String LOGICAL_IP = "logical_ip";
  public static final String EXTERNAL_IP = "external_ip";
  public static final String EXTERNAL_MAC = "external_mac";
  public static final String LOGICAL_PORT = "logical_port";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<Nat> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, Nat::from,
      TypedTable.column(TYPE, TypedTable.Kind.STR),
      TypedTable.column(LOGICAL_IP, TypedTable.Kind.STR),
      TypedTable.column(EXTERNAL_IP, TypedTable.Kind.STR),
      TypedTable.column(EXTERNAL_MAC, TypedTable.Kind.OPTSTR),
      TypedTable.column(LOGICAL_PORT, TypedTable.Kind.OPTSTR),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static Nat from(Row r) {
    return new Nat(
        r.uuid(),
        r.string("type"),
        r.string("logical_ip"),
        r.string("external_ip"),
        r.optional("external_mac"),
        r.optional("logical_port"),
        r.map("external_ids"));
  }
}
