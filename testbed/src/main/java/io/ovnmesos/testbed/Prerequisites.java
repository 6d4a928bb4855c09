package io.ovnmesos.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** What this machine lacks to run a testbed, named so that a skipped test can say it. */
public final class Prerequisites {
  /** The directories searched for programs besides PATH; root's tools live in the sbin ones. */
  static final List<String> EXTRA_PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
      "/usr/bin", "/sbin", "/bin");

  private static final Map<String, String> OVN_BINARIES = new LinkedHashMap<>();
  private static volatile Boolean netnsWorks;

  static {
    for (String b : List.of("ovsdb-server", "ovsdb-tool", "ovs-vswitchd", "ovs-vsctl", "ovs-appctl")) {
      OVN_BINARIES.put(b, "openvswitch-switch");
    }
    for (String b : List.of("ovn-northd", "ovn-nbctl", "ovn-sbctl")) {
      OVN_BINARIES.put(b, "ovn-central");
    }
    OVN_BINARIES.put("ovn-controller", "ovn-host");
    OVN_BINARIES.put("setpriv", "util-linux");
  }

  private Prerequisites() {}

  /** Everything missing for a testbed with {@code datapath}; empty when it can run here. */
  public static List<String> missing(Datapath datapath) {
    List<String> missing = new ArrayList<>();
    OVN_BINARIES.forEach((bin, pkg) -> {
      if (find(bin).isEmpty()) {
        missing.add(bin + " (Debian package " + pkg + ")");
      }
    });
    for (Path schema : List.of(OvnCentral.NB_SCHEMA, OvnCentral.SB_SCHEMA)) {
      if (!Files.isRegularFile(schema)) {
        missing.add(schema + " (Debian package ovn-common)");
      }
    }
    if (datapath == Datapath.NETDEV) {
      missing.addAll(missingForNamespaces());
      if (find("ping").isEmpty()) {
        missing.add("ping (Debian package iputils-ping)");
      }
      if (find("ethtool").isEmpty()) {
        missing.add("ethtool (Debian package ethtool)");
      }
      if (find("nft").isEmpty()) {
        missing.add("nft (Debian package nftables)");
      }
    }
    return missing;
  }

  /** What is missing to make network namespaces and veths: root, {@code ip}, a working netns. */
  public static List<String> missingForNamespaces() {
    List<String> missing = new ArrayList<>();
    if (!isRoot()) {
      missing.add("root (network namespaces and veths need uid 0)");
    } else if (find("ip").isEmpty()) {
      missing.add("ip (Debian package iproute2)");
    } else if (!netnsWorks()) {
      missing.add("a working 'ip netns add' (this kernel or sandbox refuses network namespaces)");
    }
    return missing;
  }

  /** True when this process runs as uid 0. */
  public static boolean isRoot() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(l -> l.startsWith("Uid:")).findFirst()
          .map(l -> l.split("\\s+")[1].equals("0")).orElse(false);
    } catch (IOException e) {
      return false;
    }
  }

  /** True when the tests run under CI, where a missing prerequisite is a failure, not a skip. */
  public static boolean inCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }

  /** The absolute path of a program found on PATH or in the usual system directories. */
  public static Optional<Path> find(String program) {
    if (program.contains("/")) {
      Path p = Path.of(program);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    return searchPath().stream().map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
  }

  /** PATH followed by the usual system directories, for the children the testbed starts. */
  static List<String> searchPath() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(":")) {
        if (!d.isBlank() && !dirs.contains(d)) {
          dirs.add(d);
        }
      }
    }
    EXTRA_PATH.stream().filter(d -> !dirs.contains(d)).forEach(dirs::add);
    return dirs;
  }

  private static boolean netnsWorks() {
    if (netnsWorks == null) {
      String probe = "ovntb-probe-" + ProcessHandle.current().pid();
      CommandResult add = Command.of("ip", "netns", "add", probe).run();
      Command.of("ip", "netns", "delete", probe).run();
      netnsWorks = add.ok();
    }
    return netnsWorks;
  }
}
