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
    return fromLastFourBytes((b[n - 4] & 0xff) << 24 | (b[n - 3] & 0xff) << 16 | (b[n - 2] & 0xff) << 8 | (b[n - 1] & 0xff));
  }

  /** The MAC for an address whose last four bytes are {@code bytes}, most significant first. */
  public static String fromLastFourBytes(int bytes) {
    // By hand rather than String.format: the framework derives one per port in a burst.
    StringBuilder mac = new StringBuilder(17).append("0a:58");
    for (int shift = 24; shift >= 0; shift -= 8) {
      int b = (bytes >>> shift) & 0xff;
      mac.append(':').append(HEX[b >>> 4]).append(HEX[b & 0xf]);
    }
    return mac.toString();
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** True for a colon-separated unicast MAC such as {@code 0a:58:c0:a8:01:02}. */
  public static boolean isUnicast(String mac) {
    return mac != null && mac.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}") && (Integer.parseInt(mac.substring(0, 2), 16) & 1) == 0;
  }
}
