package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Optional;
import java.util.Set;
import java.util.Map;

/** A logical switch port: a task interface, a router attachment or a localnet port. */
public record LogicalSwitchPort(
    Uuid uuid,
    String name,
    String type,
    Set<String> addresses,
    Set<String> portSecurity,
    Optional<String> dynamicAddresses,
    Map<String, String> options,
    Optional<Boolean> up,
    Optional<Boolean> enabled,
    Optional<Long> tagRequest,
    Optional<Uuid> dhcpv4Options,
    Optional<Uuid> dhcpv6Options,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "Logical_Switch_Port";
  public static final String NAME = "name";
  public static final String TYPE = "type";
  public static final String ADDRESSES = "addresses";
  public static final String PORT_SECURITY = "port_security";
  public static final String DYNAMIC_ADDRESSES = "dynamic_addresses";
  public static final String OPTIONS = "options";
  public static final String UP = "up";
  public static final String ENABLED = "enabled";
  public static final String TAG_REQUEST = "tag_request";
  public static final String DHCPV4_OPTIONS = "dhcpv4_options";
  public static final String DHCPV6_OPTIONS = "dhcpv6_options";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<LogicalSwitchPort> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, LogicalSwitchPort::from,
      TypedTable.column(NAME, TypedTable.Kind.STR),
      TypedTable.column(TYPE, TypedTable.Kind.STR),
      TypedTable.column(ADDRESSES, TypedTable.Kind.STRSET),
      TypedTable.column(PORT_SECURITY, TypedTable.Kind.STRSET),
      TypedTable.column(DYNAMIC_ADDRESSES, TypedTable.Kind.OPTSTR),
      TypedTable.column(OPTIONS, TypedTable.Kind.STRMAP),
      TypedTable.column(UP, TypedTable.Kind.OPTBOOL),
      TypedTable.column(ENABLED, TypedTable.Kind.OPTBOOL),
      TypedTable.column(TAG_REQUEST, TypedTable.Kind.OPTLONG),
      TypedTable.column(DHCPV4_OPTIONS, TypedTable.Kind.OPTUUID),
      TypedTable.column(DHCPV6_OPTIONS, TypedTable.Kind.OPTUUID),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /**
   * Reads a row monitored or selected with this table's columns. A column left out of the monitor
   * (see {@code Northbound}'s lean variant) reads as empty.
   */
  @SuppressWarnings("unchecked")
  public static LogicalSwitchPort from(Row r) {
    // One lookup per column: a reconciliation reads every port row.
    Map<String, Object> c = r.columns();
    return new LogicalSwitchPort(
        r.uuid(),
        r.string(NAME),
        (String) c.getOrDefault(TYPE, ""),
        r.set(ADDRESSES),
        (Set<String>) c.getOrDefault(PORT_SECURITY, Set.of()),
        r.optional(DYNAMIC_ADDRESSES),
        (Map<String, String>) c.getOrDefault(OPTIONS, Map.of()),
        first(c, UP),
        first(c, ENABLED),
        first(c, TAG_REQUEST),
        first(c, DHCPV4_OPTIONS),
        first(c, DHCPV6_OPTIONS),
        r.map(EXTERNAL_IDS));
  }

  /** The single element of an optional column, empty if unset or not read. */
  @SuppressWarnings("unchecked")
  private static <T> Optional<T> first(Map<String, Object> columns, String column) {
    Set<T> s = (Set<T>) columns.get(column);
    return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s.iterator().next());
  }
}
