package io.ovnmesos.testbed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One OVN chassis, as on a Mesos agent: its local OVS database, {@code ovs-vswitchd} with the
 * integration bridge {@code br-int}, and {@code ovn-controller}.
 *
 * <p>With the netdev datapath the chassis runs in a network namespace of its own that stands for the
 * agent host: its taps and the host ends of container veths live there, never in the namespace of
 * the machine running the tests, and deleting the namespace removes them all.
 */
public final class Chassis {
  private static final Path VSWITCH_SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
  private static final Duration READY = Duration.ofSeconds(60);
  /** The Linux bridge in the underlay namespace that joins the chassis. */
  static final String UNDERLAY_BRIDGE = "br0";

  private final String name;
  private final Path dir;
  private final Map<String, String> env;
  private final Datapath datapath;
  private final Netns netns;
  private final String namePrefix;
  private final OvsdbServer ovsdb;
  private final Daemon vswitchd;
  private final Daemon controller;
  private final List<Container> containers = new ArrayList<>();
  private final AtomicInteger nextContainer = new AtomicInteger(1);

  private Chassis(String name, Path dir, Map<String, String> env, Datapath datapath, Netns netns,
      String namePrefix, OvsdbServer ovsdb) {
    this.name = name;
    this.dir = dir;
    this.env = env;
    this.datapath = datapath;
    this.netns = netns;
    this.namePrefix = namePrefix;
    this.ovsdb = ovsdb;
    List<String> vswitchdArgs = new ArrayList<>(List.of("ovs-vswitchd", "-vconsole:off", "-vfile:info",
        "--log-file=" + dir.resolve("ovs-vswitchd.log"), "--unixctl=" + dir.resolve("ovs-vswitchd.ctl")));
    if (datapath == Datapath.DUMMY) {
      vswitchdArgs.addAll(List.of("--enable-dummy=override", "--disable-system"));
    }
    vswitchdArgs.add(ovsdb.unixRemote());
    this.vswitchd = new Daemon("ovs-vswitchd", netns, env, dir.resolve("ovs-vswitchd.console"), vswitchdArgs);
    // ovn-controller has no --unixctl; its control socket goes to OVN_RUNDIR, which is this dir.
    this.controller = new Daemon("ovn-controller", netns, env, dir.resolve("ovn-controller.console"),
        List.of("ovn-controller", "-vconsole:off", "-vfile:info",
            "--log-file=" + dir.resolve("ovn-controller.log"), ovsdb.unixRemote()));
  }

  /**
   * Starts chassis number {@code index} (1-based) named {@code name} against {@code central} and waits
   * until it is registered in the Southbound database and has caught up with the Northbound.
   */
  static Chassis start(String name, int index, Path dir, Map<String, String> baseEnv, Datapath datapath,
      String namePrefix, OvnCentral central, Netns underlay) {
    OvnCentral.mkdirs(dir);
    Map<String, String> env = new HashMap<>(baseEnv);
    for (String prefix : List.of("OVS", "OVN")) {
      env.put(prefix + "_RUNDIR", dir.toString());
      env.put(prefix + "_LOGDIR", dir.toString());
      env.put(prefix + "_DBDIR", dir.toString());
      env.put(prefix + "_SYSCONFDIR", dir.toString());
    }
    Netns netns = datapath == Datapath.NETDEV ? Netns.create(namePrefix + "-" + name) : null;
    Chassis chassis = null;
    // With an underlay, geneve tunnels (and the BFD that HA gateways rely on) really run between chassis.
    String encapIp = underlay != null ? "10.99.0." + index : "127.0.0." + index;
    try {
      if (underlay != null) {
        underlay.ip("link", "add", "ul" + index, "type", "veth", "peer", "name", "eth-ul", "netns", netns.name());
        underlay.ip("link", "set", "ul" + index, "master", UNDERLAY_BRIDGE, "up");
        netns.ip("link", "set", "eth-ul", "up");
      }
      OvsdbServer ovsdb = OvsdbServer.standalone("conf", dir, env, VSWITCH_SCHEMA, false).start();
      chassis = new Chassis(name, dir, env, datapath, netns, namePrefix + "-" + name, ovsdb);
      // Everything the daemons read at start-up is written first, so neither has to reconfigure.
      // TSO must be on before ovs-vswitchd starts, or TCP checksums over veths are wrong.
      chassis.vsctlNoWait("init", "--",
          "set", "Open_vSwitch", ".", "other_config:userspace-tso-enable=true",
          "external_ids:system-id=" + name,
          "external_ids:hostname=" + name,
          "external_ids:ovn-remote=" + central.sbRemote(),
          "external_ids:ovn-encap-type=geneve",
          "external_ids:ovn-encap-ip=" + encapIp,
          "external_ids:ovn-bridge-datapath-type=" + datapath.ovsType(), "--",
          "add-br", "br-int", "--",
          "set", "Bridge", "br-int", "datapath_type=" + datapath.ovsType(), "fail-mode=secure",
          "other-config:disable-in-band=true");
      chassis.vswitchd.start();
      // add-br reports success even when the datapath fails: ofport 65534 proves the bridge is up.
      chassis.vsctl("wait-until", "Interface", "br-int", "ofport=65534");
      if (underlay != null) {
        // OVS userspace tunnelling: the encap address lives on an OVS bridge holding the underlay NIC.
        chassis.vsctl("add-br", "br-phy", "--", "set", "Bridge", "br-phy", "datapath_type=netdev",
            "--", "add-port", "br-phy", "eth-ul");
        chassis.vsctl("wait-until", "Interface", "br-phy", "ofport=65534");
        netns.ip("addr", "add", encapIp + "/24", "dev", "br-phy");
        netns.ip("link", "set", "br-phy", "up");
      }
      chassis.controller.start();
      central.sbctl("wait-until", "Chassis", name);
      central.nbctl("--wait=hv", "sync");
      return chassis;
    } catch (RuntimeException e) {
      if (chassis != null) {
        chassis.stop();
      }
      if (netns != null) {
        netns.close();
      }
      throw e;
    }
  }

  /** The chassis name, which is also its OVS {@code system-id}. */
  public String name() {
    return name;
  }

  /** The datapath type of br-int. */
  public Datapath datapath() {
    return datapath;
  }

  /** The namespace standing for the agent host (netdev only). */
  public java.util.Optional<Netns> netns() {
    return java.util.Optional.ofNullable(netns);
  }

  /** The local OVS database server. */
  public OvsdbServer ovsdb() {
    return ovsdb;
  }

  /** {@code unix:} remote of the local OVS database. */
  public String ovsRemote() {
    return ovsdb.unixRemote();
  }

  /** The ovs-vswitchd process. */
  public Daemon vswitchd() {
    return vswitchd;
  }

  /** The ovn-controller process. */
  public Daemon controller() {
    return controller;
  }

  /**
   * Makes ovn-controller exit as on a host being taken out of service: it removes its chassis from
   * the Southbound database, so OVN moves what was bound here (gateways) to other chassis.
   */
  public void leave() {
    long pid = controller.pid().orElseThrow(() -> new IllegalStateException("ovn-controller never started"));
    Path ctl = dir.resolve("ovn-controller." + pid + ".ctl");
    Command.of(env, List.of("ovn-appctl", "--timeout=30", "-t", ctl.toString(), "exit")).timeout(Duration.ofSeconds(40)).check();
    Waiter.until("ovn-controller of " + name + " to exit", Duration.ofSeconds(30), () -> !controller.isAlive());
  }

  /** The directory with this chassis' sockets and logs. */
  public Path dir() {
    return dir;
  }

  /** The containers made on this chassis and not yet closed. */
  public synchronized List<Container> containers() {
    return List.copyOf(containers);
  }

  /** Runs {@code ovs-vsctl} against the local OVS database (30 s limit) and checks it. */
  public CommandResult vsctl(String... args) {
    return Command.of(env, Command.argv("ovs-vsctl", "--db=" + ovsRemote(), "--timeout=30", args))
        .timeout(Duration.ofSeconds(40)).check();
  }

  private CommandResult vsctlNoWait(String... args) {
    return vsctl(Command.argv("--no-wait", args).toArray(String[]::new));
  }

  /**
   * Makes a container bound to logical switch port {@code lsp}: a network namespace whose {@code eth0}
   * has {@code mac} and {@code cidr} (and a default route via {@code gateway}, if not null), plugged
   * into br-int with {@code external_ids:iface-id=lsp}. Netdev datapath only.
   */
  public Container addContainer(String lsp, String mac, String cidr, String gateway) {
    if (netns == null) {
      throw new IllegalStateException("containers need the netdev datapath; chassis " + name + " is " + datapath);
    }
    int n = nextContainer.getAndIncrement();
    String hostIf = "tb" + n;
    Netns cns = Netns.create(namePrefix + "-c" + n);
    try {
      netns.ip("link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", cns.name());
      cns.ip("link", "set", "eth0", "address", mac);
      // The userspace datapath cannot finish partial checksums of tunnelled packets: let the
      // container's kernel compute them.
      Command.of("ip", "netns", "exec", cns.name(), "ethtool", "-K", "eth0", "tx", "off").check();
      cns.ip("addr", "add", cidr, "dev", "eth0");
      cns.ip("link", "set", "eth0", "up");
      if (gateway != null) {
        cns.ip("route", "add", "default", "via", gateway);
      }
      netns.ip("link", "set", hostIf, "up");
      vsctl("add-port", "br-int", hostIf, "--", "set", "Interface", hostIf,
          "external_ids:iface-id=" + lsp, "external_ids:attached_mac=" + mac);
    } catch (RuntimeException e) {
      vsctl("--if-exists", "del-port", "br-int", hostIf);
      cns.close();
      throw e;
    }
    Container c = new Container(this, cns, hostIf, lsp, cidr);
    synchronized (this) {
      containers.add(c);
    }
    return c;
  }

  /**
   * Makes a host on a provider network outside OVN: a namespace whose {@code eth0} has {@code cidr},
   * peered with {@code nic} in the chassis namespace. {@code nic} is left unplugged, as a gateway
   * host's physical interface would be; put it on a provider bridge to connect the two.
   */
  public Container addExternalHost(String nic, String cidr) {
    if (netns == null) {
      throw new IllegalStateException("external hosts need the netdev datapath; chassis " + name + " is " + datapath);
    }
    if (!nic.matches("[A-Za-z0-9_.-]{1,15}")) {
      throw new IllegalArgumentException("interface names have 1-15 of [A-Za-z0-9_.-], got " + nic);
    }
    int n = nextContainer.getAndIncrement();
    Netns ext = Netns.create(namePrefix + "-x" + n);
    try {
      netns.ip("link", "add", nic, "type", "veth", "peer", "name", "eth0", "netns", ext.name());
      ext.ip("addr", "add", cidr, "dev", "eth0");
      ext.ip("link", "set", "eth0", "up");
      // The userspace datapath takes packets as the veth hands them over, checksum offload unfinished;
      // replies that OVN tunnels to another chassis would then arrive with bad TCP checksums.
      ext.exec(Duration.ofSeconds(10), "ethtool", "-K", "eth0", "tx", "off").check();
      netns.ip("link", "set", nic, "up");
    } catch (RuntimeException e) {
      ext.close();
      throw e;
    }
    Container c = new Container(this, ext, nic, null, cidr);
    synchronized (this) {
      containers.add(c);
    }
    return c;
  }

  /** Same as {@link #addContainer(String, String, String, String)} without a default route. */
  public Container addContainer(String lsp, String mac, String cidr) {
    return addContainer(lsp, mac, cidr, null);
  }

  synchronized void forget(Container c) {
    containers.remove(c);
  }

  /** Every process of this chassis, for teardown and leak checks. */
  List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    controller.pid().ifPresent(pids::add);
    vswitchd.pid().ifPresent(pids::add);
    ovsdb.pid().ifPresent(pids::add);
    return pids;
  }

  /** Stops the daemons and removes the containers and the chassis namespace. */
  void stop() {
    for (Container c : containers()) {
      c.stopServers();
      c.netns().close();
      forget(c);
    }
    controller.stop();
    vswitchd.stop();
    ovsdb.stop();
    if (netns != null) {
      netns.close();
    }
  }

  @Override
  public String toString() {
    return "chassis " + name + " (" + datapath.ovsType() + ")";
  }
}
