package io.ovnmesos.topology.address;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.ovnmesos.topology.Names;
import io.ovnmesos.topology.TopologyException;

/** An IPv4 or IPv6 network: a prefix whose host bits are all zero. */
public record Subnet(IPAddress prefix) {

  /**
   * Parses a network such as {@code 192.168.1.0/24} or {@code fd00:1::/64}; a host address with a
   * prefix length is refused with the network it belongs to as a hint.
   */
  public static Subnet parse(String field, String text) {
    IPAddress a = address(field, text);
    if (!a.isPrefixed()) {
      throw TopologyException.invalid(field, "\"" + Names.printable(text) + "\" has no prefix length; expected a network such as 192.168.1.0/24");
    }
    if (!a.isPrefixBlock()) {
      throw TopologyException.invalid(field, text + " is not a network address; did you mean "
          + a.toPrefixBlock().toCanonicalString() + "?");
    }
    int len = a.getNetworkPrefixLength();
    if (a.isIPv4() && len > 30) {
      throw TopologyException.invalid(field, text + " leaves no room for a gateway and tasks; use a prefix of /30 or shorter");
    }
    if (a.isIPv6() && len != 64) {
      throw TopologyException.invalid(field, text + ": OVN assigns IPv6 addresses in /64 networks only");
    }
    return new Subnet(a);
  }

  /** Parses an address without prefix. */
  public static IPAddress address(String field, String text) {
    if (text == null || text.isBlank()) {
      throw TopologyException.invalid(field, "must not be empty");
    }
    try {
      IPAddress a = new IPAddressString(text.strip()).toAddress();
      if (a == null) {
        throw TopologyException.invalid(field, "\"" + Names.printable(text) + "\" is not an IP address");
      }
      return a;
    } catch (AddressStringException e) {
      throw TopologyException.invalid(field, "\"" + Names.printable(text) + "\" is not an IP address or network");
    }
  }

  /** Parses a host address (no prefix length). */
  public static IPAddress host(String field, String text) {
    IPAddress a = address(field, text);
    if (a.isPrefixed()) {
      throw TopologyException.invalid(field, text + ": expected an address without a prefix length");
    }
    return a;
  }

  public boolean isIPv4() {
    return prefix.isIPv4();
  }

  public int prefixLength() {
    return prefix.getNetworkPrefixLength();
  }

  /** True if {@code ip} lies inside this network. */
  public boolean contains(IPAddress ip) {
    return ip.getIPVersion() == prefix.getIPVersion() && prefix.contains(ip.withoutPrefixLength());
  }

  /** True if the two networks share any address. */
  public boolean overlaps(Subnet other) {
    return prefix.getIPVersion() == other.prefix.getIPVersion()
        && (prefix.contains(other.prefix) || other.prefix.contains(prefix));
  }

  /** True for an address a host may use: inside, not the network address, not (IPv4) the broadcast address. */
  public boolean isUsableHost(IPAddress ip) {
    if (!contains(ip)) {
      return false;
    }
    IPAddress h = ip.withoutPrefixLength();
    if (h.equals(prefix.getLower().withoutPrefixLength())) {
      return false;
    }
    return !isIPv4() || !h.equals(prefix.getUpper().withoutPrefixLength());
  }

  /** The first address after the network address: the default gateway. */
  public IPAddress firstUsable() {
    return prefix.getLower().withoutPrefixLength().increment(1);
  }

  /** {@code ip} with this network's prefix length, e.g. {@code 192.168.1.1/24}. */
  public String withPrefix(IPAddress ip) {
    return ip.withoutPrefixLength().toCanonicalString() + "/" + prefixLength();
  }

  @Override
  public String toString() {
    return prefix.toCanonicalString();
  }
}
