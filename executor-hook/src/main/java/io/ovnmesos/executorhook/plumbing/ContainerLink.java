package io.ovnmesos.executorhook.plumbing;

import io.ovnmesos.executorhook.cni.CniException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The veth pair between the agent host and a container: the host end stays in the agent's network
 * namespace (to be plugged into br-int), the other end becomes the container's interface with its
 * MAC, addresses, MTU and routes. Everything runs through {@code ip} and {@code nsenter} with
 * argument vectors (and {@code ip -batch} on stdin); nothing goes through a shell.
 */
public final class ContainerLink {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  private final List<String> hostPrefix;
  private final boolean disableTxOffload;

  /**
   * @param hostNetns the agent host's network namespace, if not this process' own (tests and the
   *     demo stand a host in a namespace)
   * @param disableTxOffload turn off tx checksum offload in containers; OVS's userspace datapath
   *     needs it for traffic that crosses tunnels
   */
  public ContainerLink(Optional<String> hostNetns, boolean disableTxOffload) {
    this.hostPrefix = hostNetns.map(ns -> List.of("nsenter", "--net=" + ns)).orElse(List.of());
    this.disableTxOffload = disableTxOffload;
  }

  /** What the container interface gets. */
  public record Plan(String hostInterface, String netns, String ifName, String mac, List<String> addresses,
      List<Route> routes, int mtu) {}

  /** A route in the container; {@code gateway} on the interface's subnet. */
  public record Route(String destination, String gateway) {}

  /** The host end's name for a container interface: stable, so DEL finds it without any state. */
  public static String hostInterface(String containerId, String ifName) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((containerId + "/" + ifName).getBytes(StandardCharsets.UTF_8));
      return "ovm" + HexFormat.of().formatHex(h).substring(0, 11);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True if the host end exists. */
  public boolean exists(String hostInterface) {
    return host("link", "show", "dev", hostInterface).ok();
  }

  /**
   * Creates the pair and configures the container end. A host end left by an earlier attempt is
   * removed first. On failure everything made here is removed again.
   */
  public void create(Plan p) {
    delete(p.hostInterface());
    Exec.Result add = host("link", "add", p.hostInterface(), "mtu", Integer.toString(p.mtu()), "type", "veth",
        "peer", "name", p.ifName(), "mtu", Integer.toString(p.mtu()), "netns", p.netns());
    if (!add.ok()) {
      throw new CniException(CniException.PLUMBING_FAILED, "cannot create the container interface " + p.ifName(),
          add.err().strip());
    }
    try {
      check(host("link", "set", p.hostInterface(), "up"), "cannot bring up " + p.hostInterface());
      List<String> batch = new ArrayList<>();
      batch.add("link set " + p.ifName() + " address " + p.mac());
      for (String a : p.addresses()) {
        batch.add("addr add " + a + " dev " + p.ifName() + (a.contains(":") ? " nodad" : ""));
      }
      batch.add("link set " + p.ifName() + " up");
      batch.add("link set lo up");
      for (Route r : p.routes()) {
        batch.add((r.destination().contains(":") ? "-6 " : "") + "route replace " + r.destination() + " via "
            + r.gateway() + " dev " + p.ifName());
      }
      check(inContainer(p.netns(), String.join("\n", batch) + "\n", "ip", "-batch", "-"),
          "cannot configure " + p.ifName() + " in the container");
      if (disableTxOffload) {
        check(inContainer(p.netns(), null, "ethtool", "-K", p.ifName(), "tx", "off"), "cannot turn off tx offload");
      }
    } catch (CniException e) {
      delete(p.hostInterface());
      throw e;
    }
  }

  /** Removes the pair (deleting the host end takes the container end with it); false if it was not there. */
  public boolean delete(String hostInterface) {
    if (!exists(hostInterface)) {
      return false;
    }
    host("link", "del", hostInterface);
    return true;
  }

  /** The container interface's addresses as {@code ip -o addr} shows them, for CHECK. */
  public Optional<String> containerAddresses(String netns, String ifName) {
    Exec.Result r = inContainer(netns, null, "ip", "-o", "addr", "show", "dev", ifName);
    return r.ok() ? Optional.of(r.out()) : Optional.empty();
  }

  private Exec.Result host(String... ipArgs) {
    List<String> argv = new ArrayList<>(hostPrefix);
    argv.add("ip");
    argv.addAll(List.of(ipArgs));
    return Exec.run(argv, null, LIMIT);
  }

  private static Exec.Result inContainer(String netns, String stdin, String... argv) {
    List<String> all = new ArrayList<>(List.of("nsenter", "--net=" + netns));
    all.addAll(List.of(argv));
    return Exec.run(all, stdin, LIMIT);
  }

  private static void check(Exec.Result r, String what) {
    if (!r.ok()) {
      throw new CniException(CniException.PLUMBING_FAILED, what, r.err().strip());
    }
  }
}
