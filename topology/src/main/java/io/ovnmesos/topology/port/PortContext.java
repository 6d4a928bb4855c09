package io.ovnmesos.topology.port;

import io.ovnmesos.topology.network.Network;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@link PortPlanner} reads of the Northbound: networks, and the addresses ports hold. */
public interface PortContext {
  /** The ovn-mesos network of that name. */
  Optional<Network> network(String name);

  /** The OVN address entries every port of the network's switch holds, static and dynamic, and of ports on their way. */
  Collection<String> addressEntries(Network network);

  /** The OVN address entries of the task ports on the agent, on every network, and of those on their way. */
  Collection<String> agentEntries(String agentId);

  /**
   * A fixed view, for planning without a database (tests, dry runs).
   *
   * @param networks by name
   * @param bySwitch the address entries held on each network's switch
   * @param byAgent the address entries of each agent's task ports
   */
  record Fixed(Map<String, Network> networks, Map<String, List<String>> bySwitch, Map<String, List<String>> byAgent)
      implements PortContext {
    @Override
    public Optional<Network> network(String name) {
      return Optional.ofNullable(networks.get(name));
    }

    @Override
    public Collection<String> addressEntries(Network network) {
      return bySwitch.getOrDefault(network.name(), List.of());
    }

    @Override
    public Collection<String> agentEntries(String agentId) {
      return byAgent.getOrDefault(agentId, List.of());
    }
  }
}
