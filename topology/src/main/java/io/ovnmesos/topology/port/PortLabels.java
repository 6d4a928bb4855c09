package io.ovnmesos.topology.port;

/**
 * The NetworkInfo labels a task's OVN interface may carry, as Mesos and Marathon pass them. Read by
 * {@link PortPlanner} only; every path that makes a port (framework, agent fallback) goes through it.
 */
public final class PortLabels {
  /** The ovn-mesos network (logical switch) of the interface; required. */
  public static final String LOGICAL_SWITCH = "logical_switch";
  /** A fixed IPv4 address for the interface, inside the network's IPv4 subnet. */
  public static final String IP_ADDRESS = "ip_address";
  /** A fixed unicast MAC for the interface; the IPv6 address, if any, is derived from it. */
  public static final String MAC_ADDRESS = "mac_address";

  private PortLabels() {}
}
