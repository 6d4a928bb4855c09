package io.ovnmesos.topology.gateway;

import java.util.List;
import java.util.Optional;

/** A tenant's way out: where it runs, its provider-network address, what it NATs and routes. */
public record Gateway(String tenant, Mode mode, List<ChassisPriority> chassis, String physicalNetwork, String physicalIp,
    Optional<String> defaultGateway, List<String> snatSubnets, List<String> extraIps, String router, String externalPort) {

  /** How the gateway is made in OVN. */
  public enum Mode {
    /** A gateway router pinned to one chassis, reached over the tenant's join switch. */
    ROUTER,
    /** A distributed gateway port on the tenant router, bound to the highest-priority live chassis. */
    HA
  }

  /** A chassis and its priority in an HA chassis group (higher wins). */
  public record ChassisPriority(String chassis, int priority) {
    @Override
    public String toString() {
      return chassis + ":" + priority;
    }
  }
}
