package io.ovnmesos.testbed;

/** Which OVS datapath a chassis uses. */
public enum Datapath {
  /**
   * The userspace datapath with real kernel devices (taps, veths): real traffic between network
   * namespaces. Needs root; each chassis runs in a network namespace of its own.
   */
  NETDEV("netdev"),
  /** OVS's dummy datapath: ports bind and flows install, but no packet moves. No root needed. */
  DUMMY("dummy");

  private final String ovsType;

  Datapath(String ovsType) {
    this.ovsType = ovsType;
  }

  /** The value of {@code Bridge:datapath_type}. */
  public String ovsType() {
    return ovsType;
  }
}
