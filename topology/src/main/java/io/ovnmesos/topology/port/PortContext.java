package io.ovnmesos.topology.port;

import io.ovnmesos.topology.network.Network;
import java.util.Collection;
import java.util.Optional;

/** What {@link PortPlanner} reads of the Northbound: networks, and the addresses ports hold. */
public interface PortContext {
  /** The ovn-mesos network of that name. */
  Optional<Network> network(String name);

  /** The OVN address entries every port of the network's switch holds, static and dynamic, and of ports on their way. */
  Collection<String> addressEntries(Network network);

  /** The OVN address entries of the task ports on the agent, on every network, and of those on their way. */
  Collection<String> agentEntries(String agentId);
}
