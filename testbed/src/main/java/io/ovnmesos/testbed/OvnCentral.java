package io.ovnmesos.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The central part of OVN: the Northbound database (standalone, or a RAFT cluster of several
 * members on loopback), the Southbound database and {@code ovn-northd}.
 */
public final class OvnCentral {
  static final Path NB_SCHEMA = Path.of("/usr/share/ovn/ovn-nb.ovsschema");
  static final Path SB_SCHEMA = Path.of("/usr/share/ovn/ovn-sb.ovsschema");
  private static final Duration READY = Duration.ofSeconds(60);

  private final Path dir;
  private final Map<String, String> env;
  private final List<OvsdbServer> nb;
  private final OvsdbServer sb;
  private final Daemon northd;

  private OvnCentral(Path dir, Map<String, String> env, List<OvsdbServer> nb, OvsdbServer sb) {
    this.dir = dir;
    this.env = env;
    this.nb = List.copyOf(nb);
    this.sb = sb;
    this.northd = new Daemon("ovn-northd", null, env, dir.resolve("ovn-northd.console"), List.of(
        "ovn-northd", "-vconsole:off", "-vfile:info", "--log-file=" + dir.resolve("ovn-northd.log"),
        "--unixctl=" + dir.resolve("ovn-northd.ctl"),
        "--ovnnb-db=" + nbRemote(), "--ovnsb-db=" + sb.unixRemote()));
  }

  /** Creates the databases under {@code dir}, starts everything and waits until northd has synced. */
  static OvnCentral start(Path dir, Map<String, String> env, int nbClusterSize, Pki pki) {
    if (nbClusterSize != 1 && nbClusterSize != 3 && nbClusterSize != 5) {
      throw new IllegalArgumentException("nbClusterSize must be 1 (standalone), 3 or 5, got " + nbClusterSize);
    }
    mkdirs(dir);
    List<OvsdbServer> nb = new ArrayList<>();
    if (nbClusterSize == 1) {
      OvsdbServer server = OvsdbServer.standalone("nb", dir, env, NB_SCHEMA, true);
      if (pki != null) {
        server.enableSsl(pki.issue("nb-server"), pki.caCertificate(), freeLoopbackPorts(1).get(0));
      }
      nb.add(server.start());
    } else {
      if (pki != null) {
        throw new IllegalArgumentException("TLS is offered on a standalone NB only");
      }
      List<Integer> raftPorts = freeLoopbackPorts(nbClusterSize);
      String founder = "tcp:127.0.0.1:" + raftPorts.get(0);
      nb.add(OvsdbServer.clusterFounder("nb1", dir, env, NB_SCHEMA, "OVN_Northbound", founder));
      for (int i = 1; i < nbClusterSize; i++) {
        nb.add(OvsdbServer.clusterJoiner("nb" + (i + 1), dir, env, "OVN_Northbound",
            "tcp:127.0.0.1:" + raftPorts.get(i), founder));
      }
      nb.forEach(OvsdbServer::start);
    }
    OvsdbServer sb = OvsdbServer.standalone("sb", dir, env, SB_SCHEMA, true).start();
    OvnCentral central = new OvnCentral(dir, env, nb, sb);
    if (nbClusterSize > 1) {
      central.awaitNbCluster();
    }
    central.northd.start();
    central.nbctl("--wait=sb", "sync");
    return central;
  }

  /** Waits until every NB member has joined and agrees on a leader. */
  public void awaitNbCluster() {
    Waiter.until("NB cluster members joined with a leader", READY,
        () -> nb.stream().filter(OvsdbServer::isAlive).allMatch(OvsdbServer::hasJoinedWithLeader));
  }

  /** The NB remote(s) a client should use: a Unix socket, or every member's TCP address. */
  public String nbRemote() {
    return nb.size() == 1 ? nb.get(0).unixRemote()
        : nb.stream().map(OvsdbServer::tcpRemote).collect(Collectors.joining(","));
  }

  /** NB TCP remote(s): one address, or every member's, comma-separated. */
  public String nbTcpRemote() {
    return nb.stream().map(OvsdbServer::tcpRemote).collect(Collectors.joining(","));
  }

  /** The SB Unix remote. */
  public String sbRemote() {
    return sb.unixRemote();
  }

  /** The NB servers: one, or the cluster members. */
  public List<OvsdbServer> nbServers() {
    return nb;
  }

  /** The current NB cluster leader, if one is known. */
  public java.util.Optional<OvsdbServer> nbLeader() {
    return nb.stream().filter(OvsdbServer::isLeader).findFirst();
  }

  /** The SB server. */
  public OvsdbServer sbServer() {
    return sb;
  }

  /** The ovn-northd process. */
  public Daemon northd() {
    return northd;
  }

  /** Runs {@code ovn-nbctl} against this NB and checks it. */
  public CommandResult nbctl(String... args) {
    return Command.of(env, Command.argv("ovn-nbctl", "--db=" + nbRemote(), "--timeout=30", args))
        .timeout(Duration.ofSeconds(40)).check();
  }

  /** Runs {@code ovn-sbctl} against this SB and checks it. */
  public CommandResult sbctl(String... args) {
    return Command.of(env, Command.argv("ovn-sbctl", "--db=" + sbRemote(), "--timeout=30", args))
        .timeout(Duration.ofSeconds(40)).check();
  }

  /** Every process of the central part, for teardown and leak checks. */
  List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    nb.forEach(s -> s.pid().ifPresent(pids::add));
    sb.pid().ifPresent(pids::add);
    northd.pid().ifPresent(pids::add);
    return pids;
  }

  /** Stops northd, then the databases. */
  void stop() {
    northd.stop();
    sb.stop();
    nb.forEach(OvsdbServer::stop);
  }

  Path dir() {
    return dir;
  }

  static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ports free on 127.0.0.1 right now; RAFT addresses must be fixed before the servers start. */
  static List<Integer> freeLoopbackPorts(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        held.add(s);
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a listening socket we own does not fail in practice
        }
      }
    }
  }
}
