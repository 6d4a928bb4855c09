package io.ovnmesos.topology.network;

import java.util.List;

/**
 * What a user asks for when creating a network, as given (strings are checked by
 * {@link Networks#create}).
 *
 * @param tenant the owning tenant
 * @param name the network name, which is also its logical switch's name and what tasks' {@code logical_switch} label says
 * @param subnets one IPv4 and/or one IPv6 (/64) network
 * @param gateways the router's address in each subnet (empty: the first usable address of each)
 * @param excludeIps IPv4 addresses or ranges ({@code a..b}) that OVN must not give to tasks
 * @param mtu the MTU for task interfaces, or null to let the agent derive it from the tunnel overhead
 * @param dnsServers name servers for tasks on this network
 */
public record NetworkSpec(String tenant, String name, List<String> subnets, List<String> gateways,
    List<String> excludeIps, Integer mtu, List<String> dnsServers) {

  public NetworkSpec {
    subnets = List.copyOf(subnets);
    gateways = gateways == null ? List.of() : List.copyOf(gateways);
    excludeIps = excludeIps == null ? List.of() : List.copyOf(excludeIps);
    dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
  }

  /** A network with one subnet and every default. */
  public static NetworkSpec of(String tenant, String name, String subnet) {
    return new NetworkSpec(tenant, name, List.of(subnet), List.of(), List.of(), null, List.of());
  }
}
