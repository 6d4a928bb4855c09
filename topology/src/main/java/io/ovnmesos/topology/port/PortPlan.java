package io.ovnmesos.topology.port;

import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.topology.network.Network;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What {@link PortPlanner} decided for one {@link PortRequest}: a port row to insert, or a refusal. */
public sealed interface PortPlan {
  /** The port to insert on {@code network}'s switch, and what its interface gets. */
  record Create(Network network, String name, AddressEntry address, Map<String, String> externalIds,
      Map<String, String> options, TaskPort port) implements PortPlan {
    /** The Logical_Switch_Port row: addresses and port security both the one static entry. */
    public Map<String, Object> row() {
      String entry = address.ovn();
      Map<String, Object> row = new HashMap<>(Map.of(LogicalSwitchPort.NAME, name, LogicalSwitchPort.ADDRESSES,
          List.of(entry), LogicalSwitchPort.PORT_SECURITY, List.of(entry), LogicalSwitchPort.EXTERNAL_IDS, externalIds));
      if (!options.isEmpty()) {
        row.put(LogicalSwitchPort.OPTIONS, options);
      }
      return Map.copyOf(row);
    }
  }

  /** No port: why. */
  record Refused(PortRefusal refusal) implements PortPlan {}
}
