package io.ovnmesos.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete, real OVN deployment on this machine, made from Debian's binaries under a fresh
 * directory: Northbound (standalone or RAFT) and Southbound databases, {@code ovn-northd}, and one or
 * more chassis with {@code ovs-vswitchd} and {@code ovn-controller}.
 *
 * <p>Closing it stops every process and removes every namespace, interface and file it made, also
 * after its processes were killed. A testbed left behind by a killed JVM is swept by the next one.
 *
 * <pre>{@code
 * try (OvnTestbed ovn = OvnTestbed.builder().start()) {
 *   ovn.nbctl("ls-add", "sw0", "--", "lsp-add", "sw0", "p1", ...);
 *   Container c = ovn.chassis().addContainer("p1", "0a:00:00:00:00:01", "10.0.0.1/24");
 * }
 * }</pre>
 */
public final class OvnTestbed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OvnTestbed.class);
  /** Directory and namespace names start with this, so a sweep never touches anything else. */
  static final String PREFIX = "ovntb-";
  private static final Set<OvnTestbed> OPEN = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(OvnTestbed::close),
        "testbed-shutdown"));
  }

  private final String id;
  private final Path dir;
  private final OvnCentral central;
  private final List<Chassis> chassis;
  private final List<Long> allPids = new ArrayList<>();
  private final Pki pki;
  private boolean closed;

  private OvnTestbed(String id, Path dir, OvnCentral central, List<Chassis> chassis, Pki pki) {
    this.id = id;
    this.pki = pki;
    this.dir = dir;
    this.central = central;
    this.chassis = List.copyOf(chassis);
  }

  /** A builder with the defaults: standalone NB, one netdev chassis. */
  public static Builder builder() {
    return new Builder();
  }

  /** This testbed's random id; names of its directory and namespaces contain it. */
  public String id() {
    return id;
  }

  /** The directory holding every database, socket and log. */
  public Path dir() {
    return dir;
  }

  /** The prefix of every network namespace this testbed makes. */
  public String namespacePrefix() {
    return PREFIX + id;
  }

  /** The PKI, when the testbed was built with {@link Builder#tls()}; issue client credentials from it. */
  public Pki pki() {
    if (pki == null) {
      throw new IllegalStateException("this testbed was started without TLS; use builder().tls()");
    }
    return pki;
  }

  /** NB, SB and northd. */
  public OvnCentral central() {
    return central;
  }

  /** The first chassis. */
  public Chassis chassis() {
    return chassis.get(0);
  }

  /** Chassis number {@code index}, counting from 1 like their names. */
  public Chassis chassis(int index) {
    return chassis.get(index - 1);
  }

  /** All chassis. */
  public List<Chassis> allChassis() {
    return chassis;
  }

  /** The NB remote clients should use. */
  public String nbRemote() {
    return central.nbRemote();
  }

  /** The SB remote. */
  public String sbRemote() {
    return central.sbRemote();
  }

  /** Runs {@code ovn-nbctl} against this NB and checks it. */
  public CommandResult nbctl(String... args) {
    return central.nbctl(args);
  }

  /** Runs {@code ovn-sbctl} against this SB and checks it. */
  public CommandResult sbctl(String... args) {
    return central.sbctl(args);
  }

  /** Every process id this testbed has started, alive or not. */
  public synchronized List<Long> pids() {
    List<Long> pids = new ArrayList<>(allPids);
    central.pids().stream().filter(p -> !pids.contains(p)).forEach(pids::add);
    chassis.forEach(c -> c.pids().stream().filter(p -> !pids.contains(p)).forEach(pids::add));
    return pids;
  }

  /** Copies every log file of this testbed into {@code target}, keeping the directory layout. */
  public void saveLogs(Path target) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".console"))
          .toList()) {
        Path dest = target.resolve(dir.relativize(f).toString());
        Files.createDirectories(dest.getParent());
        Files.copy(f, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn("could not save testbed logs to {}: {}", target, e.toString());
    }
  }

  /** Stops everything and removes every namespace and file; safe to call more than once. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    allPids.addAll(pids());
    closed = true;
    try {
      for (int i = chassis.size() - 1; i >= 0; i--) {
        chassis.get(i).stop();
      }
      central.stop();
    } finally {
      removeLeftovers(id, dir);
      OPEN.remove(this);
    }
  }

  /** Deletes the namespaces and directory of testbed {@code id}. */
  private static void removeLeftovers(String id, Path dir) {
    for (String ns : Netns.list()) {
      if (ns.startsWith(PREFIX + id + "-")) {
        Netns.delete(ns);
      }
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }

  /** Removes testbeds whose owning JVM is gone (their daemons died with it through PDEATHSIG). */
  static void sweepStale(Path base) {
    if (!Files.isDirectory(base)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(base)) {
      for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
        Optional<Long> owner = readOwner(d);
        if (owner.isEmpty() || ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        String id = d.getFileName().toString().substring(PREFIX.length());
        LOG.info("removing testbed {} left behind by process {}", id, owner.get());
        removeLeftovers(id, d);
      }
    } catch (IOException e) {
      LOG.warn("could not sweep stale testbeds in {}: {}", base, e.toString());
    }
  }

  private static Optional<Long> readOwner(Path d) {
    try {
      return Optional.of(Long.parseLong(Files.readString(d.resolve("owner.pid")).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Configures and starts a testbed. */
  public static final class Builder {
    private Datapath datapath = Datapath.NETDEV;
    private int nbClusterSize = 1;
    private int chassisCount = 1;
    private boolean tls;
    private Path baseDir = Path.of(System.getProperty("ovnmesos.testbed.dir",
        Optional.ofNullable(System.getenv("OVN_TESTBED_DIR")).orElse("/tmp")));

    private Builder() {}

    /** The datapath of every chassis (default netdev). */
    public Builder datapath(Datapath d) {
      this.datapath = d;
      return this;
    }

    /** 1 for a standalone NB (default), 3 or 5 for a RAFT cluster on loopback. */
    public Builder nbClusterSize(int n) {
      this.nbClusterSize = n;
      return this;
    }

    /** Makes a PKI with ovs-pki and adds a TLS listener to the (standalone) NB. */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    /** How many chassis (default 1; 0 for a control plane only). */
    public Builder chassis(int n) {
      if (n < 0 || n > 8) {
        throw new IllegalArgumentException("chassis must be 0-8, got " + n);
      }
      this.chassisCount = n;
      return this;
    }

    /**
     * Where the testbed directory goes (default {@code /tmp}, or {@code -Dovnmesos.testbed.dir}, or
     * {@code OVN_TESTBED_DIR}). Keep it short: Unix socket paths are limited to 107 bytes.
     */
    public Builder baseDir(Path dir) {
      this.baseDir = dir;
      return this;
    }

    /** Starts everything and waits until every chassis is registered and in sync. */
    public OvnTestbed start() {
      List<String> missing = Prerequisites.missing(datapath);
      if (!missing.isEmpty()) {
        throw new IllegalStateException("cannot start an OVN testbed, missing: " + String.join(", ", missing));
      }
      sweepStale(baseDir);
      String id = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
      Path dir = baseDir.resolve(PREFIX + id);
      OvnCentral.mkdirs(dir);
      try {
        Files.writeString(dir.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, String> env = environment(dir.resolve("central"));
      OvnCentral central = null;
      List<Chassis> started = new ArrayList<>();
      Pki pki = null;
      try {
        pki = tls ? Pki.create(dir.resolve("pki"), env) : null;
        central = OvnCentral.start(dir.resolve("central"), env, nbClusterSize, pki);
        Netns underlay = null;
        if (datapath == Datapath.NETDEV && chassisCount > 1) {
          underlay = Netns.create(PREFIX + id + "-underlay");
          underlay.ip("link", "add", Chassis.UNDERLAY_BRIDGE, "type", "bridge");
          underlay.ip("link", "set", Chassis.UNDERLAY_BRIDGE, "up");
        }
        for (int i = 1; i <= chassisCount; i++) {
          started.add(Chassis.start("chassis-" + i, i, dir.resolve("chassis-" + i), env, datapath,
              PREFIX + id, central, underlay));
        }
      } catch (RuntimeException e) {
        LOG.error("testbed {} failed to start; logs in {}", id, dir);
        started.forEach(Chassis::stop);
        if (central != null) {
          central.stop();
        }
        saveFailedStartLogs(dir, id);
        removeLeftovers(id, dir);
        throw e;
      }
      OvnTestbed tb = new OvnTestbed(id, dir, central, started, pki);
      OPEN.add(tb);
      LOG.info("OVN testbed {} up in {}: NB {}, {} {} chassis", id, dir, central.nbRemote(),
          chassisCount, datapath.ovsType());
      return tb;
    }

    private static void saveFailedStartLogs(Path dir, String id) {
      Path target = Path.of(System.getProperty("java.io.tmpdir"), "ovntb-failed-" + id);
      new OvnTestbed(id, dir, null, List.of(), null).saveLogs(target);
      LOG.error("logs of the failed start saved in {}", target);
    }

    private static Map<String, String> environment(Path centralDir) {
      Map<String, String> env = new java.util.HashMap<>();
      for (String prefix : List.of("OVS", "OVN")) {
        env.put(prefix + "_RUNDIR", centralDir.toString());
        env.put(prefix + "_LOGDIR", centralDir.toString());
        env.put(prefix + "_DBDIR", centralDir.toString());
        env.put(prefix + "_SYSCONFDIR", centralDir.toString());
      }
      env.put("PATH", String.join(":", Prerequisites.searchPath()));
      return env;
    }
  }
}
