package io.ovnmesos.topology.address;

import inet.ipaddr.IPAddress;

/**
 * MAC addresses for router ports, derived from the port's address as ovn-kubernetes does
 * ({@code 0a:58} and the last four bytes of the address): locally administered, unicast, and the
 * same on every run, so re-running a command changes nothing.
 */
public final class Macs {
  private Macs() {}

  public static String fromIp(IPAddress ip) {
    byte[] b = ip.getBytes();
    int n = b.length;
    return String.format("0a:58:%02x:%02x:%02x:%02x", b[n - 4] & 0xff, b[n - 3] & 0xff, b[n - 2] & 0xff, b[n - 1] & 0xff);
  }

  /** True for a colon-separated unicast MAC such as {@code 0a:58:c0:a8:01:02}. */
  public static boolean isUnicast(String mac) {
    return mac != null && mac.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}") && (Integer.parseInt(mac.substring(0, 2), 16) & 1) == 0;
  }
}
