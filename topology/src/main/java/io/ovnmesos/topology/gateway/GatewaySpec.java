package io.ovnmesos.topology.gateway;

import java.util.List;

/**
 * What a user asks for when creating a tenant's gateway, as given (checked by
 * {@link Gateways#create}).
 *
 * @param tenant the tenant
 * @param chassis where the gateway runs: one chassis name for a gateway router pinned there, or
 *     several {@code name[:priority]} for a distributed gateway port that fails over between them
 * @param highAvailability use a distributed gateway port with an HA chassis group even for one chassis
 * @param physicalNetwork the name of the provider network, mapped to a bridge on gateway chassis by
 *     {@code ovn-bridge-mappings}
 * @param physicalIp the gateway's address on the provider network, with its prefix length
 * @param defaultGateway the provider network's router, or null
 * @param snatSubnets tenant addresses to source-NAT to {@code physicalIp} (empty: every IPv4 network of the tenant)
 * @param extraIps further addresses of the gateway on the provider network (for DNAT or load balancers)
 * @param nicInBrInt the prototype's mode, only on request: this NIC of the (single) gateway chassis is
 *     put into br-int and bound to a plain port of the external switch, instead of a localnet port
 */
public record GatewaySpec(String tenant, List<String> chassis, boolean highAvailability, String physicalNetwork,
    String physicalIp, String defaultGateway, List<String> snatSubnets, List<String> extraIps, String nicInBrInt) {

  /** A gateway reaching the provider network the OVN-native way, through a localnet port. */
  public GatewaySpec(String tenant, List<String> chassis, boolean highAvailability, String physicalNetwork,
      String physicalIp, String defaultGateway, List<String> snatSubnets, List<String> extraIps) {
    this(tenant, chassis, highAvailability, physicalNetwork, physicalIp, defaultGateway, snatSubnets, extraIps, null);
  }

  public GatewaySpec {
    chassis = List.copyOf(chassis);
    snatSubnets = snatSubnets == null ? List.of() : List.copyOf(snatSubnets);
    extraIps = extraIps == null ? List.of() : List.copyOf(extraIps);
  }
}
