package io.ovnmesos.executorhook.cni;

import java.util.List;

/**
 * What an ADD (or CHECK) produced, independent of the CNI version it is written in.
 *
 * @param ips addresses with prefix length, and the gateway of each
 */
public record CniResult(String hostInterface, String hostMac, String containerInterface, String containerMac,
    String netns, List<IpConfig> ips, List<Route> routes, Dns dns) {

  /** An address of the container interface. */
  public record IpConfig(String address, String gateway, boolean ipv6) {}

  /** A route in the container. */
  public record Route(String destination, String gateway) {}

  /** Name resolution for the container, in CNI's shape. */
  public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {
    public static final Dns NONE = new Dns(List.of(), null, List.of(), List.of());
  }
}
