package io.ovnmesos.topology.network;

import java.util.List;
import java.util.Optional;

/**
 * A tenant network as recorded in OVN: its switch, subnets, gateway addresses and what the agent
 * side needs to configure task interfaces.
 */
public record Network(String name, String tenant, List<String> subnets, List<String> gateways, List<String> excludeIps,
    Optional<Integer> mtu, List<String> dnsServers, String routerPort) {}
