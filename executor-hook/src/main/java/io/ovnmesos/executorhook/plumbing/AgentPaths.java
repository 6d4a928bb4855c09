package io.ovnmesos.executorhook.plumbing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each container's private path to its Mesos agent: a veth pair of its own, whose container end
 * ({@value #CONTAINER_INTERFACE}) has a link-local address unique on this host and one route, to the
 * agent's address; the host end has {@value #HOST_ADDRESS} and a route back. Connections to the
 * agent leave the container from its link-local address, so tenants with overlapping subnets never
 * collide on the host; the host's firewall ({@link AgentFirewall}) lets through only the agent's port.
 */
public final class AgentPaths {
  /** The container's end of the path. */
  public static final String CONTAINER_INTERFACE = "agent0";
  /** The host end's address, the same on every path. */
  public static final String HOST_ADDRESS = "169.254.0.1";
  /** Host ends are named with this prefix, which the firewall matches. */
  public static final String HOST_PREFIX = "ova";
  private static final Pattern ROUTE = Pattern.compile("^(169\\.254\\.\\d+\\.\\d+) dev (" + HOST_PREFIX + "\\w+)");
  private static final int SLOTS = 254 * 254;

  private final String agentAddress;
  private final Set<String> used = ConcurrentHashMap.newKeySet();
  private final Map<String, String> byContainer = new ConcurrentHashMap<>();

  /** One container's path. */
  public record Path(String hostInterface, String containerAddress, String agentAddress) {}

  /** @param agentAddress the agent's advertised IPv4 address */
  public AgentPaths(String agentAddress) {
    this.agentAddress = agentAddress;
  }

  /** A dotted-quad IPv4 address as an unsigned value, or -1 for anything else. */
  public static long parseIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return -1;
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
        return -1;
      }
      v = (v << 8) | Integer.parseInt(p);
    }
    return v;
  }

  /** The host end's name for a container: stable, so DEL finds it without any state. */
  public static String hostInterface(String containerId) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(("agent/" + containerId).getBytes(StandardCharsets.UTF_8));
      return HOST_PREFIX + HexFormat.of().formatHex(h).substring(0, 11);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Learns the addresses paths already hold, from the host's routes ({@code ip -4 -o route} lines). */
  public void seed(String routes) {
    for (String line : routes.split("\n")) {
      Matcher m = ROUTE.matcher(line.strip());
      if (m.find()) {
        used.add(m.group(1));
      }
    }
  }

  /** A path for {@code containerId}, with an address no other container on this host holds. */
  public synchronized Path allocate(String containerId) {
    String existing = byContainer.get(containerId);
    if (existing != null) {
      return new Path(hostInterface(containerId), existing, agentAddress);
    }
    int start = Math.floorMod(hostInterface(containerId).hashCode(), SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      int slot = (start + i) % SLOTS;
      String address = "169.254." + (1 + slot / 254) + "." + (1 + slot % 254);
      if (used.add(address)) {
        byContainer.put(containerId, address);
        return new Path(hostInterface(containerId), address, agentAddress);
      }
    }
    throw new IllegalStateException("every link-local address for agent paths is in use on this host");
  }

  /** Frees the address of {@code containerId}'s path. */
  public synchronized void release(String containerId) {
    String address = byContainer.remove(containerId);
    if (address != null) {
      used.remove(address);
    }
  }
}
