package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.List;

/** Every typed Northbound table. */
public final class NorthboundTables {
  /** All of them, for schema checks and monitors. */
  public static final List<TypedTable<?>> ALL = List.of(
      NbGlobal.TABLE,
      LogicalSwitch.TABLE,
      LogicalSwitchPort.TABLE,
      LogicalRouter.TABLE,
      LogicalRouterPort.TABLE,
      LogicalRouterStaticRoute.TABLE,
      Nat.TABLE,
      LoadBalancer.TABLE,
      Acl.TABLE,
      PortGroup.TABLE,
      AddressSet.TABLE,
      Dns.TABLE,
      DhcpOptions.TABLE,
      GatewayChassis.TABLE,
      HaChassisGroup.TABLE,
      HaChassis.TABLE);

  private NorthboundTables() {}
}
