package io.ovnmesos.ovsdb.vswitch;

import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.List;

/** Every typed Open_vSwitch table. */
public final class VswitchTables {
  /** All of them, for schema checks and monitors. */
  public static final List<TypedTable<?>> ALL = List.of(
      OpenVswitch.TABLE,
      Bridge.TABLE,
      Port.TABLE,
      Interface.TABLE);

  private VswitchTables() {}
}
