package io.ovnmesos.topology.gateway;

import java.util.List;
import java.util.Optional;

/** A tenant's way out: where it runs, its provider-network address, what it NATs and routes. */
public record Gateway(String tenant, Mode mode, List<ChassisPriority> chassis, String physicalNetwork, String physicalIp,
    Optional<String> defaultGateway, List<String> snatSubnets, List<String> extraIps, String router, String externalPort,
    Optional<String> nicInBrInt) {

  /** The external switch: one per provider network, or (NIC in br-int) one per NIC and chassis as the prototype made it. */
  public String externalSwitch() {
    return nicInBrInt.map(nic -> "ext_" + nic + "_" + chassis.get(0).chassis())
        .orElse(io.ovnmesos.topology.Names.externalSwitch(physicalNetwork));
  }

  /** The external switch's port to the outside: a localnet port, or the VIF port the NIC binds to. */
  public String outsidePort() {
    return nicInBrInt.map(nic -> nic + "_" + chassis.get(0).chassis())
        .orElse(io.ovnmesos.topology.Names.localnetPort(physicalNetwork));
  }

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
