package io.ovnmesos.executorhook.port;

import java.util.List;
import java.util.Optional;

/**
 * The logical switch port of one container interface, with what the container needs from its network.
 *
 * @param addresses the interface's addresses with prefix length, IPv4 first
 * @param gateways the network's router address for each of them
 */
public record TaskPort(String name, String logicalSwitch, String mac, List<String> addresses,
    List<String> gateways, Optional<Integer> mtu, List<String> dnsServers, String version) {}
