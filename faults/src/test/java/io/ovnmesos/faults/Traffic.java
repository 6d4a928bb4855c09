package io.ovnmesos.faults;

import io.ovnmesos.testbed.Command;
import io.ovnmesos.testcluster.agent.Agent;
import io.ovnmesos.testcluster.agent.CniIsolator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Real traffic after a fault: a task on one agent pings a task of the same network on the other. */
final class Traffic {
  private Traffic() {}

  /** A running task's container: its namespace handle, network and address. */
  private record Endpoint(Path netns, String network, String ip) {}

  /**
   * True if some task on agent 0 reaches some task of the same network on agent 1, across the
   * tunnel; empty if no such pair runs.
   */
  static Optional<Boolean> crossAgentPing(FaultSite site) {
    if (site.agents.size() < 2) {
      return Optional.empty();
    }
    for (Endpoint from : endpoints(site, 0)) {
      for (Endpoint to : endpoints(site, 1)) {
        if (from.network().equals(to.network())) {
          // A few tries: ARP and the first packet of a flow may be lost right after a restart.
          for (int i = 0; i < 5; i++) {
            if (Command.of("nsenter", "--net=" + from.netns(), "ping", "-c", "1", "-W", "2", to.ip())
                .timeout(Duration.ofSeconds(5)).run().ok()) {
              return Optional.of(true);
            }
          }
          return Optional.of(false);
        }
      }
    }
    return Optional.empty();
  }

  private static java.util.List<Endpoint> endpoints(FaultSite site, int agent) {
    Agent a = site.agents.get(agent);
    return a.containers().stream().filter(c -> c.status().getNetworkInfosCount() > 0
        && c.status().getNetworkInfos(0).getIpAddressesCount() > 0).map(c -> new Endpoint(
            site.cniRoots.get(agent).resolve(CniIsolator.stringify(c.status().getContainerId())).resolve("ns"),
            c.task().getContainer().getNetworkInfos(0).getLabels().getLabels(0).getValue(),
            c.status().getNetworkInfos(0).getIpAddresses(0).getIpAddress())).toList();
  }
}
