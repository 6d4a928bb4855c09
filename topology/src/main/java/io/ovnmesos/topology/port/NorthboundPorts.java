package io.ovnmesos.topology.port;

import io.ovnmesos.ovsdb.cache.DatabaseCache;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.network.Network;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link PortContext} of a live Northbound cache, plus the ports a writer has committed that the
 * cache does not show yet.
 */
public final class NorthboundPorts implements PortContext {
  /** A port committed (or being committed) but not yet in the cache. */
  public record Pending(String network, String entry, String agentId) {}

  private final Topology topology;
  private final Supplier<Collection<Pending>> pending;

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
    List<String> taken = new ArrayList<>();
    DatabaseCache cache = topology.northbound().cache();
    topology.northbound().logicalSwitch(network.name()).ifPresent(ls -> ls.ports().forEach(u ->
        cache.row(LogicalSwitchPort.TABLE_NAME, u).ifPresent(r -> addEntries(r, taken))));
    pending.get().stream().filter(p -> p.network().equals(network.name())).map(Pending::entry).forEach(taken::add);
    return taken;
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
