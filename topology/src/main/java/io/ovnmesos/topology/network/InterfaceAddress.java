package io.ovnmesos.topology.network;

/**
 * An address of a task's interface on a network: with its subnet's prefix length (192.168.1.2/24)
 * and that subnet's gateway (192.168.1.1).
 */
public record InterfaceAddress(String address, String gateway) {}
