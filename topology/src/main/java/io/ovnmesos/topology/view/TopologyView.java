package io.ovnmesos.topology.view;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything ovn-mesos manages in OVN, as a tree for {@code ovn-mesos show}. */
public record TopologyView(List<TenantView> tenants) {

  /** A tenant: its router, join network, networks, gateway, and the names its tasks resolve (name to addresses). */
  public record TenantView(String name, String router, String joinSubnet, List<NetworkView> networks,
      Optional<GatewayView> gateway, Map<String, List<String>> names) {}

  /** A network and the ports on it. */
  public record NetworkView(String name, List<String> subnets, List<String> gateways, Optional<Integer> mtu,
      List<String> dnsServers, List<PortView> ports) {}

  /** A task's port: its addresses, whether it is up, and the Mesos task it belongs to when known. */
  public record PortView(String name, List<String> addresses, Optional<String> dynamicAddresses, Optional<Boolean> up,
      Map<String, String> task) {}

  /** A gateway: where it runs, its provider address, its NAT rules and routes. */
  public record GatewayView(String mode, String router, List<String> chassis, String physicalNetwork, String physicalIp,
      Optional<String> defaultGateway, List<String> nat, List<String> routes) {}
}
