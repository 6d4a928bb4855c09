package io.ovnmesos.framework.port;

import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.topology.network.InterfaceAddress;
import io.ovnmesos.topology.network.Network;
import io.ovnmesos.topology.port.PortMarks;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A port the framework has made, with what the agent needs to plumb its interface.
 *
 * @param addresses with prefix length, IPv4 first
 * @param gateways the network's router address for each address
 */
public record ProvisionedPort(String name, String logicalSwitch, String mac, List<String> addresses, List<String> gateways,
    Optional<Integer> mtu, List<String> dnsServers, String taskId, String frameworkId) {

  /** Reads a port as stored in OVN; empty if it has no static address (it is not one of ours). */
  public static Optional<ProvisionedPort> from(LogicalSwitchPort p, Network network) {
    Optional<String> entry = p.addresses().stream().filter(a -> a.contains(" ")).findFirst();
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    String[] parts = entry.get().split(" ");
    Map<String, String> marks = PortMarks.withNameMarks(p.name(), p.externalIds());
    return Optional.of(build(p.name(), network, parts[0], List.of(parts).subList(1, parts.length),
        marks.getOrDefault(PortMarks.TASK_ID, ""), marks.getOrDefault(PortMarks.FRAMEWORK_ID, "")));
  }

  static ProvisionedPort build(String name, Network network, String mac, List<String> ips, String taskId, String frameworkId) {
    return placed(name, network, mac, network.interfaceAddresses(ips), taskId, frameworkId);
  }

  /** A port whose addresses are already placed on the network's subnets. */
  static ProvisionedPort placed(String name, Network network, String mac, List<InterfaceAddress> placed, String taskId,
      String frameworkId) {
    return new ProvisionedPort(name, network.name(), mac, placed.stream().map(InterfaceAddress::address).toList(),
        placed.stream().map(InterfaceAddress::gateway).toList(), network.mtu(), network.dnsServers(), taskId, frameworkId);
  }
}
