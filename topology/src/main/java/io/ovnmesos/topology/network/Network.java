package io.ovnmesos.topology.network;

import inet.ipaddr.IPAddress;
import io.ovnmesos.topology.address.Subnet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A tenant network as recorded in OVN: its switch, subnets, gateway addresses and what the agent
 * side needs to configure task interfaces.
 */
public record Network(String name, String tenant, List<String> subnets, List<String> gateways, List<String> excludeIps,
    Optional<Integer> mtu, List<String> dnsServers, String routerPort) {

  /** Places host addresses (without prefix) on this network's subnets; addresses outside them are left out. */
  public List<InterfaceAddress> interfaceAddresses(List<String> ips) {
    List<InterfaceAddress> out = new ArrayList<>();
    for (String ip : ips) {
      IPAddress a = Subnet.host("address", ip);
      for (int s = 0; s < subnets.size(); s++) {
        Subnet subnet = Subnet.parse("subnet", subnets.get(s));
        if (subnet.contains(a)) {
          out.add(new InterfaceAddress(subnet.withPrefix(a), gateways.get(s)));
        }
      }
    }
    return out;
  }
}
