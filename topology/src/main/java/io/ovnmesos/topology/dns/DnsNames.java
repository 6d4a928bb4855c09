package io.ovnmesos.topology.dns;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The names tasks get, as Mesos-DNS gives them: {@code <task>.<framework>.<domain>}, where the
 * task's and the framework's names are made into host name labels (lower case, anything but
 * letters, digits and '-' turned into '-', no '-' at either end, at most 63 characters), so that
 * every instance of a Marathon app (task name {@code web.coke} for {@code /coke/web}) shares one
 * name. Also the reverse (PTR) name of an address.
 */
public final class DnsNames {
  /** Mesos-DNS's default domain. */
  public static final String DEFAULT_DOMAIN = "mesos";
  private static final int MAX_LABEL = 63;
  private static final int MAX_NAME = 253;

  private DnsNames() {}

  /** {@code text} made into one host name label; empty if nothing of it is left. */
  static String label(String text) {
    StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_LABEL));
    for (int i = 0; i < text.length() && b.length() < MAX_LABEL; i++) {
      char c = Character.toLowerCase(text.charAt(i));
      boolean plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (plain || (b.length() > 0)) {
        b.append(plain ? c : '-');
      }
    }
    int end = b.length();
    while (end > 0 && b.charAt(end - 1) == '-') {
      end--;
    }
    return b.substring(0, end);
  }

  /** {@code name} split at its dots, each part made into a label, parts with nothing left dropped. */
  static String fragment(String name) {
    List<String> labels = new ArrayList<>();
    for (String part : name.split("\\.", -1)) {
      String l = label(part);
      if (!l.isEmpty()) {
        labels.add(l);
      }
    }
    return String.join(".", labels);
  }

  /**
   * The name of a task called {@code taskName} of the framework called {@code frameworkName} under
   * {@code domain}; empty if either name leaves nothing, or the whole is longer than a DNS name may be.
   */
  public static Optional<String> task(String taskName, String frameworkName, String domain) {
    String task = fragment(taskName);
    String framework = fragment(frameworkName);
    if (task.isEmpty() || framework.isEmpty()) {
      return Optional.empty();
    }
    String name = task + "." + framework + "." + domain;
    return name.length() > MAX_NAME ? Optional.empty() : Optional.of(name);
  }

  /**
   * {@code domain} if it is a domain names can be made under (host name labels joined by dots, no
   * dot at either end), else an exception that names {@code field} and what was expected.
   */
  public static String checkDomain(String field, String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    boolean ok = !d.isEmpty() && d.length() <= MAX_NAME - 4;
    for (String part : d.split("\\.", -1)) {
      ok &= !part.isEmpty() && label(part).equals(part);
    }
    if (!ok) {
      throw new IllegalArgumentException(field + ": expected a DNS domain such as " + DEFAULT_DOMAIN
          + " (labels of a-z, 0-9 and '-', joined by dots), got \"" + domain + "\"");
    }
    return d;
  }

  /** The PTR name of {@code address} (IPv4 or IPv6, without prefix length), as a resolver asks for it. */
  public static String reverse(String address) {
    IPAddress ip = new IPAddressString(address).getAddress();
    if (ip == null) {
      throw new IllegalArgumentException("not an IP address: " + address);
    }
    String name = ip.withoutPrefixLength().toReverseDNSLookupString();
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
