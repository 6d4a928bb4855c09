package io.ovnmesos.topology.port;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import io.ovnmesos.topology.address.Macs;
import io.ovnmesos.topology.address.Subnet;
import io.ovnmesos.topology.network.InterfaceAddress;
import io.ovnmesos.topology.network.Network;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Free addresses of one network, for one batch of new ports; the one allocator of task addresses,
 * for the framework and for an agent making a port itself. Addresses are assigned here rather than
 * by OVN ("dynamic"): that saves the round trip through ovn-northd and a second transaction for port
 * security (see docs/benchmarks.md), and keeps one rule for every writer. An address is taken if any port on the
 * switch has it (static or dynamic), if it is a gateway or excluded, or if a port not yet seen in the
 * cache was given it. IPv4 addresses are handed out lowest first; the MAC is derived from the IPv4
 * address (0a:58 + its four bytes), and an IPv6 address, when the network has a /64, from the MAC
 * (EUI-64), as OVN would.
 */
public final class AddressPool {
  private final Network network;
  private final Optional<Subnet> v4;
  private final Optional<Subnet> v6;
  /** The network's router address on the IPv4 and on the IPv6 subnet ("" if it has none). */
  private final String v4Gateway;
  private final String v6Gateway;
  private final int base;
  private final int size;
  private final BitSet used;
  /** The network's exclude_ips, apart from {@link #used}, to tell a label why an address cannot be had. */
  private final BitSet excluded;
  private int cursor = 1;

  /** One address assignment: the MAC and the addresses, without prefix, IPv4 first. */
  public record Assignment(String mac, List<String> ips) {}

  /**
   * A pool of {@code network}'s addresses less those in {@code taken}: OVN address entries ("mac ip
   * [ip]", "dynamic", "router"...) of the switch's ports, static and dynamic, and of ports on their way.
   */
  public AddressPool(Network network, Collection<String> taken) {
    this.network = network;
    List<Subnet> subnets = network.subnets().stream().map(s -> Subnet.parse("subnet", s)).toList();
    this.v4 = subnets.stream().filter(Subnet::isIPv4).findFirst();
    this.v6 = subnets.stream().filter(s -> !s.isIPv4()).findFirst();
    this.v4Gateway = v4.map(s -> gatewayOf(network, subnets.indexOf(s))).orElse("");
    this.v6Gateway = v6.map(s -> gatewayOf(network, subnets.indexOf(s))).orElse("");
    this.base = v4.map(s -> ((IPv4Address) s.prefix().getLower()).intValue()).orElse(0);
    this.size = v4.map(s -> 1 << (32 - s.prefixLength())).orElse(0);
    this.used = new BitSet(size);
    this.excluded = new BitSet(size);
    if (size > 0) {
      used.set(0);
      used.set(size - 1);
    }
    network.gateways().forEach(this::markUsed);
    for (String range : network.excludeIps()) {
      String[] ends = range.split("\\.\\.");
      int lo = offset(ends[0]);
      int hi = ends.length > 1 ? offset(ends[1]) : lo;
      if (lo >= 0 && hi >= lo) {
        excluded.set(lo, Math.min(hi, size - 1) + 1);
      }
    }
    used.or(excluded);
    taken.forEach(this::markAll);
  }

  /** Marks every address in an OVN address entry ("mac ip ip", "dynamic", "router"...). */
  public void markAll(String entry) {
    for (String part : entry.split(" ")) {
      markUsed(part);
    }
  }

  private void markUsed(String ip) {
    int o = offset(ip);
    if (o >= 0) {
      used.set(o);
    }
  }

  /** The offset of an IPv4 address inside the subnet, or -1 (for anything else, such as a MAC or "dynamic"). */
  private int offset(String ip) {
    if (size == 0) {
      return -1;
    }
    long v = parseIpv4(ip.strip());
    if (v < 0) {
      return -1;
    }
    long o = v - (base & 0xffffffffL);
    return o >= 0 && o < size ? (int) o : -1;
  }

  /** A dotted-quad IPv4 address as an unsigned value, or -1; by hand, as it runs for every port of a network. */
  public static long parseIpv4(String s) {
    long value = 0;
    int octet = -1;
    int dots = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
        if (octet > 255) {
          return -1;
        }
      } else if (c == '.' && octet >= 0 && dots < 3) {
        value = (value << 8) | octet;
        octet = -1;
        dots++;
      } else {
        return -1;
      }
    }
    return dots == 3 && octet >= 0 ? (value << 8) | octet : -1;
  }

  /** The next free assignment, taken; empty when the subnet is full. */
  public Optional<Assignment> next(String portName) {
    return next(portName, Set.of());
  }

  /**
   * The next free assignment whose IPv4 address (as an unsigned value) is not in {@code avoid},
   * taken; empty when the subnet has none. Avoided addresses stay free for other ports.
   */
  public Optional<Assignment> next(String portName, Set<Long> avoid) {
    if (size == 0) {
      String mac = macFromName(portName);
      return Optional.of(new Assignment(mac, v6.map(s -> List.of(eui64(s, mac))).orElse(List.of())));
    }
    int first = used.nextClearBit(cursor);
    int o = first;
    while (o < size - 1 && !avoid.isEmpty() && avoid.contains((base + o) & 0xffffffffL)) {
      o = used.nextClearBit(o + 1);
    }
    if (o >= size - 1) {
      return Optional.empty();
    }
    used.set(o);
    if (o == first) {
      cursor = o + 1;
    }
    int ip = base + o;
    String mac = Macs.fromLastFourBytes(ip);
    List<String> ips = new ArrayList<>(List.of(dottedQuad(ip)));
    v6.ifPresent(s -> ips.add(eui64(s, mac)));
    return Optional.of(new Assignment(mac, ips));
  }

  /**
   * Why {@code ip} can never be a task's address on this network, or empty if it can: it must be an
   * IPv4 host address of the network's IPv4 subnet, not its gateway, not excluded. Whether a port
   * holds it now is {@link #take}'s concern.
   */
  public Optional<String> whyNotAssignable(IPAddress ip) {
    if (!ip.isIPv4()) {
      return Optional.of("is an IPv6 address; a task's IPv6 address is derived from its MAC, so fix mac_address instead");
    }
    if (size == 0) {
      return Optional.of("is IPv4, and network " + network.name() + " has no IPv4 subnet " + network.subnets());
    }
    String text = ip.withoutPrefixLength().toCanonicalString();
    int o = offset(text);
    if (o < 0) {
      return Optional.of("is outside network " + network.name() + " " + network.subnets());
    }
    if (o == 0 || o == size - 1) {
      return Optional.of("is the network or broadcast address of " + v4.orElseThrow());
    }
    if (text.equals(v4Gateway) || network.gateways().contains(text)) {
      return Optional.of("is the gateway address of network " + network.name());
    }
    if (excluded.get(o)) {
      return Optional.of("is excluded on network " + network.name() + " " + network.excludeIps());
    }
    return Optional.empty();
  }

  /**
   * Takes a fixed address asked for by label; empty if a port holds it. Call only with an address
   * {@link #whyNotAssignable} accepts.
   */
  public Optional<Assignment> take(IPAddress ip, Optional<String> mac) {
    int o = offset(ip.withoutPrefixLength().toCanonicalString());
    if (o <= 0 || o >= size - 1 || used.get(o)) {
      return Optional.empty();
    }
    used.set(o);
    String m = mac.orElse(Macs.fromIp(ip));
    List<String> ips = new ArrayList<>(List.of(ip.withoutPrefixLength().toCanonicalString()));
    v6.ifPresent(s -> ips.add(eui64(s, m)));
    return Optional.of(new Assignment(m, ips));
  }

  /** The next free assignment with the MAC {@code mac} rather than one derived from the address; empty when full. */
  public Optional<Assignment> next(String portName, Set<Long> avoid, String mac) {
    return next(portName, avoid).map(a -> {
      List<String> ips = new ArrayList<>(a.ips());
      if (v6.isPresent()) {
        ips.set(ips.size() - 1, eui64(v6.get(), mac));
      }
      return new Assignment(mac, ips);
    });
  }

  /**
   * An assignment's addresses as the task's interface gets them: each with its subnet's prefix
   * length and gateway. The same as {@link Network#interfaceAddresses}, without parsing again what
   * this pool already knows.
   */
  public List<InterfaceAddress> placed(Assignment a) {
    List<InterfaceAddress> out = new ArrayList<>(a.ips().size());
    for (String ip : a.ips()) {
      boolean isV4 = parseIpv4(ip) >= 0;
      Optional<Subnet> subnet = isV4 ? v4 : v6;
      subnet.ifPresent(s -> out.add(new InterfaceAddress(ip + "/" + s.prefixLength(), isV4 ? v4Gateway : v6Gateway)));
    }
    return out;
  }

  private static String gatewayOf(Network network, int subnet) {
    return subnet < network.gateways().size() ? network.gateways().get(subnet) : "";
  }

  private static String dottedQuad(int ip) {
    return ((ip >>> 24) & 0xff) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
  }

  public Network network() {
    return network;
  }

  private static String eui64(Subnet prefix, String mac) {
    byte[] p = prefix.prefix().getLower().getBytes();
    String[] m = mac.split(":");
    byte[] b = new byte[16];
    System.arraycopy(p, 0, b, 0, 8);
    b[8] = (byte) (Integer.parseInt(m[0], 16) ^ 0x02);
    b[9] = (byte) Integer.parseInt(m[1], 16);
    b[10] = (byte) Integer.parseInt(m[2], 16);
    b[11] = (byte) 0xff;
    b[12] = (byte) 0xfe;
    b[13] = (byte) Integer.parseInt(m[3], 16);
    b[14] = (byte) Integer.parseInt(m[4], 16);
    b[15] = (byte) Integer.parseInt(m[5], 16);
    return new IPv6Address(b).toCanonicalString();
  }

  /** A stable locally administered MAC for an IPv6-only port. */
  private static String macFromName(String name) {
    int h = name.hashCode();
    return String.format("0a:59:%02x:%02x:%02x:%02x", (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff);
  }
}
