package io.ovnmesos.topology.port;

import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.topology.network.InterfaceAddress;
import io.ovnmesos.topology.network.Network;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A task's logical switch port with what its container interface needs: what the framework answers
 * a claim with, and what the agent plumbs.
 *
 * @param addresses with prefix length, IPv4 first
 * @param gateways the network's router address for each address
 * @param taskId the Mesos task, "" if the port does not record it
 * @param frameworkId the Mesos framework, "" if the port does not record it
 * @param dnsServers the name servers the container is given (none: Mesos gives it the agent's)
 * @param dnsSearch the search domains the container is given
 */
public record TaskPort(String name, String logicalSwitch, String mac, List<String> addresses, List<String> gateways,
    Optional<Integer> mtu, List<String> dnsServers, String taskId, String frameworkId, List<String> dnsSearch) {

  public TaskPort {
    addresses = List.copyOf(addresses);
    gateways = List.copyOf(gateways);
    dnsServers = List.copyOf(dnsServers);
    dnsSearch = List.copyOf(dnsSearch);
  }

  /**
   * This port as a task named under {@code domain} resolves: with the network's name servers, or
   * else its gateway (OVN answers the tenant's names whatever address a query goes to, and the
   * router refuses the rest at once), and {@code domain} to search.
   */
  public TaskPort namedUnder(String domain) {
    List<String> servers = !dnsServers.isEmpty() || gateways.isEmpty() ? dnsServers : List.of(gateways.get(0));
    return new TaskPort(name, logicalSwitch, mac, addresses, gateways, mtu, servers, taskId, frameworkId, List.of(domain));
  }

  /** Reads a port as stored in OVN; empty if it has no address yet. */
  public static Optional<TaskPort> from(LogicalSwitchPort p, Network network) {
    Map<String, String> marks = PortMarks.withNameMarks(p.name(), p.externalIds());
    return AddressEntry.of(p).map(e -> placed(p.name(), network, e.mac(), network.interfaceAddresses(e.ips()),
        marks.getOrDefault(PortMarks.TASK_ID, ""), marks.getOrDefault(PortMarks.FRAMEWORK_ID, "")));
  }

  /** A port whose addresses are already placed on the network's subnets. */
  public static TaskPort placed(String name, Network network, String mac, List<InterfaceAddress> placed, String taskId,
      String frameworkId) {
    return new TaskPort(name, network.name(), mac, placed.stream().map(InterfaceAddress::address).toList(),
        placed.stream().map(InterfaceAddress::gateway).toList(), network.mtu(), network.dnsServers(), taskId, frameworkId,
        List.of());
  }
}
