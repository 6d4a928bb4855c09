package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Set;
import java.util.Map;

/** A named set of addresses for ACL matches. */
public record AddressSet(
    Uuid uuid,
    String name,
    Set<String> addresses,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "Address_Set";
  public static final String NAME = "name";
  public static final String ADDRESSES = "addresses";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<AddressSet> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, AddressSet::from,
      TypedTable.column(NAME, TypedTable.Kind.STR),
      TypedTable.column(ADDRESSES, TypedTable.Kind.STRSET),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static AddressSet from(Row r) {
    return new AddressSet(
        r.uuid(),
        r.string("name"),
        r.set("addresses"),
        r.map("external_ids"));
  }
}
