package io.ovnmesos.topology.port;

import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One OVN address entry, {@code "mac ip [ip...]"}, as a logical switch port's {@code addresses}
 * and {@code dynamic_addresses} hold it; the one place such entries are read.
 */
public record AddressEntry(String mac, List<String> ips) {
  private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile(" +");

  public AddressEntry {
    ips = List.copyOf(ips);
  }

  /** The entry in OVN's form. */
  public String ovn() {
    return ips.isEmpty() ? mac : mac + " " + String.join(" ", ips);
  }

  /** Reads {@code "mac ip [ip...]"}; empty for a keyword ("dynamic", "router", "unknown") or a bare MAC. */
  public static Optional<AddressEntry> parse(String entry) {
    String[] parts = SPACES.split(entry.strip());
    if (parts.length < 2 || parts[1].equals("dynamic")) {
      return Optional.empty();
    }
    return Optional.of(new AddressEntry(parts[0], Arrays.asList(parts).subList(1, parts.length)));
  }

  /** A port's address: its first static entry, else what OVN assigned to a dynamic one. */
  public static Optional<AddressEntry> of(LogicalSwitchPort p) {
    for (String a : p.addresses()) {
      Optional<AddressEntry> e = parse(a);
      if (e.isPresent()) {
        return e;
      }
    }
    return p.dynamicAddresses().flatMap(AddressEntry::parse);
  }
}
