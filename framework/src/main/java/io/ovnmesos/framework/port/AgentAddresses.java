package io.ovnmesos.framework.port;

import io.ovnmesos.ovsdb.cache.DatabaseCache;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.topology.port.PortMarks;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The IPv4 addresses the task ports of each agent hold, on every network, for one batch: a new port
 * avoids those of its agent, so two tasks on one agent never share an address even where their
 * tenants' subnets overlap. A Mesos agent reaches a driver-based executor at its task's address, and
 * could not tell two such executors apart. Read from the cache's index of ports by agent, the ports
 * on their way, and what this batch has given out.
 */
final class AgentAddresses {
  private final DatabaseCache cache;
  private final Function<String, Collection<String>> inFlight;
  private final Map<String, Set<Long>> byAgent = new HashMap<>();

  /** @param inFlight the OVN address entries of an agent's ports that are committed but not yet in the cache */
  AgentAddresses(DatabaseCache cache, Function<String, Collection<String>> inFlight) {
    this.cache = cache;
    this.inFlight = inFlight;
  }

  /** The addresses {@code agentId}'s tasks hold (none for a port with no agent). */
  Set<Long> of(String agentId) {
    if (agentId == null || agentId.isEmpty()) {
      return Set.of();
    }
    return byAgent.computeIfAbsent(agentId, a -> {
      Set<Long> out = new HashSet<>();
      for (Row r : cache.lookupMapKey(LogicalSwitchPort.TABLE_NAME, LogicalSwitchPort.EXTERNAL_IDS, PortMarks.AGENT_ID, a)) {
        if (r.has(LogicalSwitchPort.ADDRESSES)) {
          r.<String>set(LogicalSwitchPort.ADDRESSES).forEach(e -> addAll(out, e));
        }
        if (r.has(LogicalSwitchPort.DYNAMIC_ADDRESSES)) {
          r.<String>optional(LogicalSwitchPort.DYNAMIC_ADDRESSES).ifPresent(e -> addAll(out, e));
        }
      }
      inFlight.apply(a).forEach(e -> addAll(out, e));
      return out;
    });
  }

  /** {@code agentId} now also holds {@code ips}. */
  void add(String agentId, List<String> ips) {
    if (agentId != null && !agentId.isEmpty()) {
      Set<Long> held = of(agentId);
      ips.forEach(ip -> addAll(held, ip));
    }
  }

  /** The IPv4 addresses of an OVN address entry ("mac ip [ip...]"). */
  private static void addAll(Set<Long> out, String entry) {
    for (String part : entry.split(" ")) {
      long v = AddressPool.parseIpv4(part);
      if (v >= 0) {
        out.add(v);
      }
    }
  }
}
