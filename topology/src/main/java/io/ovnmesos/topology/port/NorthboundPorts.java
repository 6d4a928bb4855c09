package io.ovnmesos.topology.port;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.network.Network;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link PortContext} of a live Northbound cache, plus the ports a writer has committed that the
 * cache does not show yet. One serves one transaction: it keeps each switch as it was when its
 * addresses were read, which is what that transaction's {@link AddressGuard} must compare against
 * (the cache may move on while the transaction is planned).
 */
public final class NorthboundPorts implements PortContext {
  /** A port committed (or being committed) but not yet in the cache. */
  public record Pending(String network, String entry, String agentId) {}

  private final Topology topology;
  private final Supplier<Collection<Pending>> pending;
  private final Map<String, LogicalSwitch> asRead = new HashMap<>();

  public NorthboundPorts(Topology topology, Supplier<Collection<Pending>> pending) {
    this.topology = topology;
    this.pending = pending;
  }

  /** The context of the cache alone. */
  public NorthboundPorts(Topology topology) {
    this(topology, List::of);
  }

  @Override
  public Optional<Network> network(String name) {
    return topology.networks().find(name);
  }

  @Override
  public Collection<String> addressEntries(Network network) {
    // Straight from the cached rows: only the address columns matter, for every port of the switch.
    // Switch and rows read as of one moment: a half-applied update would show the switch listing a
    // new port whose row, and so its address, is not in yet.
    List<String> taken = topology.northbound().cache().consistent(cache -> {
      List<String> out = new ArrayList<>();
      topology.northbound().logicalSwitch(network.name()).ifPresent(ls -> {
        asRead.putIfAbsent(network.name(), ls);
        ls.ports().forEach(u -> cache.row(LogicalSwitchPort.TABLE_NAME, u).ifPresent(r -> addEntries(r, out)));
      });
      return out;
    });
    pending.get().stream().filter(p -> p.network().equals(network.name())).map(Pending::entry).forEach(taken::add);
    return taken;
  }

  /** The network's switch as it was when its addresses were first read through this context. */
  public Optional<LogicalSwitch> switchAsRead(String network) {
    return Optional.ofNullable(asRead.get(network));
  }

  @Override
  public Collection<String> agentEntries(String agentId) {
    List<String> out = new ArrayList<>();
    for (Row r : topology.northbound().cache().lookupMapKey(LogicalSwitchPort.TABLE_NAME, LogicalSwitchPort.EXTERNAL_IDS,
        PortMarks.AGENT_ID, agentId)) {
      addEntries(r, out);
    }
    pending.get().stream().filter(p -> agentId.equals(p.agentId())).map(Pending::entry).forEach(out::add);
    return out;
  }

  private static void addEntries(Row r, List<String> out) {
    if (r.has(LogicalSwitchPort.ADDRESSES)) {
      out.addAll(r.<String>set(LogicalSwitchPort.ADDRESSES));
    }
    if (r.has(LogicalSwitchPort.DYNAMIC_ADDRESSES)) {
      r.<String>optional(LogicalSwitchPort.DYNAMIC_ADDRESSES).ifPresent(out::add);
    }
  }
}
