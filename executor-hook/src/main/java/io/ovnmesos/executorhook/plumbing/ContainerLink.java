package io.ovnmesos.executorhook.plumbing;

import io.ovnmesos.executorhook.AttachFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * MAC, addresses, MTU and routes; with the container's first interface, also its private path to
 * the agent (see {@link AgentPaths}), in the same two processes. Everything runs through {@code ip} and {@code nsenter} with
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

  /** What the container interface gets, and what it does to the container's path to its agent. */
  public record Plan(String hostInterface, String netns, String ifName, String mac, List<String> addresses,
      List<Route> routes, int mtu, Optional<AgentPaths.Path> agentPath) {}

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

  private static final java.util.regex.Pattern PROC_NETNS = java.util.regex.Pattern.compile("/proc/\\d+(/task/\\d+)?/ns/net");

  /**
   * True if {@code path} is a handle of a namespace: a bind-mounted one (nsfs, as Mesos and {@code ip
   * netns} make them) or a process' own {@code /proc/<pid>/ns/net}.
   */
  public static boolean isNamespaceHandle(String path) {
    Path p = Path.of(path);
    try {
      if (PROC_NETNS.matcher(path).matches()) {
        return Files.isSymbolicLink(p) && Files.readSymbolicLink(p).toString().startsWith("net:[");
      }
      return Files.isRegularFile(p) && "nsfs".equals(Files.getFileStore(p).type());
    } catch (java.io.IOException | SecurityException e) {
      return false;
    }
  }

  /** True if the host end exists. */
  public boolean exists(String hostInterface) {
    return host("link", "show", "dev", hostInterface).ok();
  }

  /**
   * Creates the pair and configures the container end, in two processes (each costs ~10 ms to
   * start): one {@code ip -batch} on the host makes the pair with the container end already named,
   * addressed at layer 2 and moved into the container; one inside the container sets addresses and
   * routes. Values in batch lines are checked before (no whitespace can reach them). A host end
   * left by an earlier attempt is replaced. On failure everything made here is removed again.
   */
  public void create(Plan p) {
    String mtu = Integer.toString(p.mtu());
    List<String> hostLines = new ArrayList<>(List.of(
        "link add " + p.hostInterface() + " mtu " + mtu + " type veth peer name " + p.ifName() + " mtu " + mtu
            + " address " + p.mac() + " netns " + p.netns(),
        "link set " + p.hostInterface() + " up"));
    p.agentPath().ifPresent(a -> {
      if (a.create()) {
        hostLines.addAll(List.of(
            "link add " + a.hostInterface() + " type veth peer name " + AgentPaths.CONTAINER_INTERFACE + " netns " + p.netns(),
            "link set " + a.hostInterface() + " up",
            "addr add " + AgentPaths.HOST_ADDRESS + "/32 dev " + a.hostInterface(),
            "route replace " + a.containerAddress() + "/32 dev " + a.hostInterface()));
      }
      // The agent's connections to the task's executor go to the task's address, from the agent's own.
      for (String taskAddress : a.routes()) {
        hostLines.add("route replace " + taskAddress + "/32 dev " + a.hostInterface() + " src " + a.agentAddress());
      }
    });
    Exec.Result add = hostBatch(hostLines);
    if (!add.ok() && add.err().contains("File exists")) {
      // Left by an earlier attempt: start again from nothing.
      deleteAll(p);
      add = hostBatch(hostLines);
    }
    if (!add.ok()) {
      deleteAll(p);
      throw AttachFailure.plumbing("cannot create the container interface " + p.ifName(),
          add.err().strip());
    }
    try {
      List<String> batch = new ArrayList<>();
      for (String a : p.addresses()) {
        batch.add("addr add " + a + " dev " + p.ifName() + (a.contains(":") ? " nodad" : ""));
      }
      batch.add("link set " + p.ifName() + " up");
      batch.add("link set lo up");
      for (Route r : p.routes()) {
        batch.add((r.destination().contains(":") ? "-6 " : "") + "route replace " + r.destination() + " via "
            + r.gateway() + " dev " + p.ifName());
      }
      p.agentPath().filter(AgentPaths.Path::create).ifPresent(a -> batch.addAll(List.of(
          "link set " + AgentPaths.CONTAINER_INTERFACE + " up",
          "addr add " + a.containerAddress() + "/32 dev " + AgentPaths.CONTAINER_INTERFACE,
          // Connections to the agent leave from the path's own address, unique on this host.
          "route replace " + a.agentAddress() + "/32 via " + AgentPaths.HOST_ADDRESS + " dev "
              + AgentPaths.CONTAINER_INTERFACE + " onlink src " + a.containerAddress())));
      check(inContainer(p.netns(), String.join("\n", batch) + "\n", "ip", "-batch", "-"),
          "cannot configure " + p.ifName() + " in the container");
      if (disableTxOffload) {
        check(inContainer(p.netns(), null, "ethtool", "-K", p.ifName(), "tx", "off"), "cannot turn off tx offload");
      }
    } catch (AttachFailure e) {
      deleteAll(p);
      throw e;
    }
  }

  private void deleteAll(Plan p) {
    delete(p.hostInterface());
    p.agentPath().filter(AgentPaths.Path::create).ifPresent(a -> delete(a.hostInterface()));
  }

  /** The host's IPv4 routes, one per line ({@code ip -4 -o route}), to learn the agent paths in use. */
  public String hostRoutes() {
    Exec.Result r = host("-4", "-o", "route", "show");
    return r.ok() ? r.out() : "";
  }

  /** True if {@code ipv4} is an address of the host ({@code ip -4 -o addr}). */
  public boolean hostHasAddress(String ipv4) {
    Exec.Result r = host("-4", "-o", "addr", "show");
    return r.ok() && r.out().contains(" " + ipv4 + "/");
  }

  /** Removes the pair (deleting the host end takes the container end with it); false if it was not there. */
  public boolean delete(String hostInterface) {
    Exec.Result r = host("link", "del", hostInterface);
    return r.ok();
  }

  private Exec.Result hostBatch(List<String> lines) {
    List<String> argv = new ArrayList<>(hostPrefix);
    argv.addAll(List.of("ip", "-batch", "-"));
    return Exec.run(argv, String.join("\n", lines) + "\n", LIMIT);
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
      throw AttachFailure.plumbing(what, r.err().strip());
    }
  }
}
