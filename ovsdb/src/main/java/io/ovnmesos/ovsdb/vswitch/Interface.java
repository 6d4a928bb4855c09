package io.ovnmesos.ovsdb.vswitch;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Optional;
import java.util.Map;

/** An OVS interface: a container veth's host end, with iface-id and ovn-installed. */
public record Interface(
    Uuid uuid,
    String name,
    String type,
    Optional<Long> ofport,
    Optional<String> macInUse,
    Optional<String> error,
    Map<String, String> options,
    Map<String, String> externalIds) {
  /** The table's name in Open_vSwitch. */
  public static final String TABLE_NAME = "Interface";
  public static final String NAME = "name";
  public static final String TYPE = "type";
  public static final String OFPORT = "ofport";
  public static final String MAC_IN_USE = "mac_in_use";
  public static final String ERROR = "error";
  public static final String OPTIONS = "options";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<Interface> TABLE = new TypedTable<>("Open_vSwitch", TABLE_NAME, Interface::from,
      TypedTable.column(NAME, TypedTable.Kind.STR),
      TypedTable.column(TYPE, TypedTable.Kind.STR),
      TypedTable.column(OFPORT, TypedTable.Kind.OPTLONG),
      TypedTable.column(MAC_IN_USE, TypedTable.Kind.OPTSTR),
      TypedTable.column(ERROR, TypedTable.Kind.OPTSTR),
      TypedTable.column(OPTIONS, TypedTable.Kind.STRMAP),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static Interface from(Row r) {
    return new Interface(
        r.uuid(),
        r.string("name"),
        r.string("type"),
        r.optional("ofport"),
        r.optional("mac_in_use"),
        r.optional("error"),
        r.map("options"),
        r.map("external_ids"));
  }
}
