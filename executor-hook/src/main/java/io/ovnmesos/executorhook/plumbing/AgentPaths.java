package io.ovnmesos.executorhook.plumbing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each container's private link to its Mesos agent, and which task addresses the agent reaches
 * through it. The link is a veth pair of the container's own: its container end
 * ({@value #CONTAINER_INTERFACE}) has a link-local address unique on this host and one route, to the
 * agent's address; the host end has {@value #HOST_ADDRESS}, a route back to that link-local address,
 * and a {@code /32} route to each IPv4 address of the container's OVN interfaces, from the agent's
 * address. The container's connections to the agent leave from its link-local address, so tenants
 * with overlapping subnets never collide that way; the agent's connections to an executor go to the
 * task's address, which on one host can route to one container only ({@link #holderOf}). The host's
 * firewall ({@link AgentFirewall}) admits nothing else.
 *
 * <p>This class is the bookkeeping only (which link a container has, which addresses route where),
 * learned again from the host's routes at start; {@link ContainerLink} makes the kernel match it.
 */
public final class AgentPaths {
  /** The container's end of the path. */
  public static final String CONTAINER_INTERFACE = "agent0";
  /** The host end's address, the same on every path. */
  public static final String HOST_ADDRESS = "169.254.0.1";
  /** Host ends are named with this prefix, which the firewall matches. */
  public static final String HOST_PREFIX = "ova";
  private static final Pattern ROUTE = Pattern.compile("^(\\d+\\.\\d+\\.\\d+\\.\\d+) dev (" + HOST_PREFIX + "\\w+)\\b(.*)$");
  private static final int SLOTS = 254 * 254;

  private final String agentAddress;
  /** Links by host interface name. */
  private final Map<String, Link> links = new HashMap<>();
  /** Which link each routed task address goes through. */
  private final Map<String, String> routes = new HashMap<>();
  private final Set<String> slots = new HashSet<>();

  /** One container's link as this host has it. */
  private static final class Link {
    final String hostInterface;
    final String containerAddress;
    /** Empty when learned from the host's routes, whose owner is not known. */
    Optional<String> containerId;
    /** The container's interfaces whose ADD used the link; empty when not known (learned at start). */
    final Set<String> interfaces = new HashSet<>();
    /** Reserved by an ADD that has not made it on the host yet: not missing, whatever the host shows. */
    boolean underway;
    final Set<String> addresses = new HashSet<>();

    Link(String hostInterface, String containerAddress, Optional<String> containerId) {
      this.hostInterface = hostInterface;
      this.containerAddress = containerAddress;
      this.containerId = containerId;
    }
  }

  /**
   * What one ADD does to a container's link: makes it ({@code create}) if the container has none yet,
   * and routes {@code routes} (task addresses) through it.
   */
  public record Path(String hostInterface, String containerAddress, String agentAddress, boolean create,
      List<String> routes) {}

  /** A task address another container on this host already has a route for. */
  public record Holder(String address, String hostInterface, Optional<String> containerId) {}

  /** @param agentAddress the agent's advertised IPv4 address, a local address of this host */
  public AgentPaths(String agentAddress) {
    this.agentAddress = agentAddress;
  }

  /** The agent's address, from which its connections to executors leave. */
  public String agentAddress() {
    return agentAddress;
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

  /**
   * Learns the links and routes already there, from the host's routes ({@code ip -4 -o route}
   * lines): a link-local {@code /32} through a host end is a link's own address, any other address
   * through one, from the agent's address, a task address. {@code containerIds} are the containers
   * this host has interfaces for, which names each link's owner where it can.
   */
  public synchronized void seed(String hostRoutes, Iterable<String> containerIds) {
    Map<String, String> owners = new HashMap<>();
    for (String cid : containerIds) {
      owners.put(hostInterface(cid), cid);
    }
    List<String[]> tasks = new ArrayList<>();
    for (String line : hostRoutes.split("\n")) {
      Matcher m = ROUTE.matcher(line.strip());
      if (!m.find()) {
        continue;
      }
      String address = m.group(1);
      String hostIf = m.group(2);
      if (m.group(3).contains(" src " + agentAddress)) {
        tasks.add(new String[] {address, hostIf});
      } else if (address.startsWith("169.254.")) {
        slots.add(address);
        links.put(hostIf, new Link(hostIf, address, Optional.ofNullable(owners.get(hostIf))));
      }
    }
    for (String[] t : tasks) {
      Link link = links.get(t[1]);
      if (link != null) {
        link.addresses.add(t[0]);
        routes.put(t[0], t[1]);
      }
    }
  }

  /**
   * The first of {@code addresses} that routes to another container's link, if any. A container's
   * own addresses, and those of links that {@link #forget} has dropped, are free.
   */
  public synchronized Optional<Holder> holderOf(String containerId, List<String> addresses) {
    String own = hostInterface(containerId);
    for (String a : addresses) {
      String through = routes.get(a);
      if (through != null && !through.equals(own)) {
        return Optional.of(new Holder(a, through, links.get(through).containerId));
      }
    }
    return Optional.empty();
  }

  /** What {@link #reserve(String, String, List, boolean, Predicate)} did: a path, or none and why. */
  public record Reservation(Optional<Path> path, Optional<Holder> holder) {}

  /**
   * Checks and reserves in one step, so that two containers' ADDs of one address cannot both pass
   * the check: if another container's link holds one of {@code addresses} and {@code exclusive}, it
   * reserves nothing and names that holder; otherwise it reserves as {@link #reserve(String, String,
   * List)} does, and names any holder it routed around. A holder whose link {@code linkExists} no
   * longer finds on the host (its namespace went without a DEL) is forgotten first.
   */
  public synchronized Reservation reserve(String containerId, String ifName, List<String> addresses, boolean exclusive,
      Predicate<String> linkExists) {
    Optional<Holder> holder = holderOf(containerId, addresses);
    while (holder.isPresent() && !links.get(holder.get().hostInterface()).underway
        && !linkExists.test(holder.get().hostInterface())) {
      forget(holder.get().hostInterface());
      holder = holderOf(containerId, addresses);
    }
    if (holder.isPresent() && exclusive) {
      return new Reservation(Optional.empty(), holder);
    }
    return new Reservation(Optional.of(reserve(containerId, ifName, addresses)), holder);
  }

  /**
   * What interface {@code ifName} of {@code containerId} does to the container's link: makes it
   * unless the container has one, and routes those of {@code addresses} that no other container's
   * link holds. Recorded at once; {@link #release} undoes it.
   */
  public synchronized Path reserve(String containerId, String ifName, List<String> addresses) {
    String hostIf = hostInterface(containerId);
    Link link = links.get(hostIf);
    boolean create = link == null;
    if (create) {
      link = new Link(hostIf, freeSlot(hostIf), Optional.of(containerId));
      link.underway = true;
      links.put(hostIf, link);
    }
    link.containerId = Optional.of(containerId);
    link.interfaces.add(ifName);
    List<String> routed = new ArrayList<>();
    for (String a : addresses) {
      String through = routes.get(a);
      if (through == null || through.equals(hostIf)) {
        routes.put(a, hostIf);
        link.addresses.add(a);
        routed.add(a);
      }
    }
    return new Path(hostIf, link.containerAddress, agentAddress, create, routed);
  }

  /** The link {@link #reserve} gave with {@code create} is now on the host (until then it is never taken for gone). */
  public synchronized void made(String hostInterface) {
    Link link = links.get(hostInterface);
    if (link != null) {
      link.underway = false;
    }
  }

  /**
   * Interface {@code ifName} of {@code containerId} is gone. True if the container's link should go
   * with it: no other interface of the container uses it (or which do is not known, after a
   * restart) or nothing is known of it; the link's routes are then forgotten.
   */
  public synchronized boolean release(String containerId, String ifName) {
    Link link = links.get(hostInterface(containerId));
    if (link == null) {
      return true; // not known here: if the host has it, nothing else uses it
    }
    link.interfaces.remove(ifName);
    if (!link.interfaces.isEmpty()) {
      return false;
    }
    forget(link.hostInterface);
    return true;
  }

  /** Drops a link and its routes: it is gone from the host (its namespace went without a DEL). */
  public synchronized void forget(String hostInterface) {
    Link link = links.remove(hostInterface);
    if (link != null) {
      slots.remove(link.containerAddress);
      link.addresses.forEach(a -> routes.remove(a, hostInterface));
    }
  }

  /** The task addresses routed through the host end {@code hostInterface}, for tests and CHECK. */
  public synchronized Set<String> routedThrough(String hostInterface) {
    Link link = links.get(hostInterface);
    return link == null ? Set.of() : Set.copyOf(link.addresses);
  }

  private String freeSlot(String hostIf) {
    int start = Math.floorMod(hostIf.hashCode(), SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      int slot = (start + i) % SLOTS;
      String address = "169.254." + (1 + slot / 254) + "." + (1 + slot % 254);
      if (slots.add(address)) {
        return address;
      }
    }
    throw new IllegalStateException("every link-local address for agent paths is in use on this host");
  }
}
