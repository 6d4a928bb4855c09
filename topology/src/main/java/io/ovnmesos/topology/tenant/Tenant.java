package io.ovnmesos.topology.tenant;

import io.ovnmesos.topology.address.Subnet;

/** A tenant: its distributed router and its join switch, on which its gateways attach. */
public record Tenant(String name, String router, String joinSwitch, Subnet joinSubnet) {
  /** The tenant router's address on the join switch; gateway routers route back to it. */
  public String routerJoinAddress() {
    return joinSubnet.firstUsable().toCanonicalString();
  }
}
