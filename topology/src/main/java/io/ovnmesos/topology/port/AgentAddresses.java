package io.ovnmesos.topology.port;

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
 * could not tell two such executors apart. Read from the agent's ports, and what this batch has given out.
 */
final class AgentAddresses {
  private final Function<String, Collection<String>> entries;
  private final Map<String, Set<Long>> byAgent = new HashMap<>();

  /** @param entries the OVN address entries of an agent's task ports, on every network and on their way */
  AgentAddresses(Function<String, Collection<String>> entries) {
    this.entries = entries;
  }

  /** The addresses {@code agentId}'s tasks hold (none for a port with no agent). */
  Set<Long> of(String agentId) {
    if (agentId == null || agentId.isEmpty()) {
      return Set.of();
    }
    return byAgent.computeIfAbsent(agentId, a -> {
      Set<Long> out = new HashSet<>();
      entries.apply(a).forEach(e -> addAll(out, e));
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
