package io.ovnmesos.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code ovsdb-server} serving one database file, standalone or as a RAFT cluster member.
 *
 * <p>It listens on a Unix socket and, if asked, on a loopback TCP port that the kernel picks at the
 * first start ({@code ptcp:0}, read back from the server's log as OVS's own tests do) and that later
 * restarts reuse, so clients can reconnect to the same address.
 */
public final class OvsdbServer {
  private static final Pattern LISTENING = Pattern.compile("\\|0:127\\.0\\.0\\.1: listening on port (\\d+)");
  private static final Duration READY = Duration.ofSeconds(30);

  private final String name;
  private final Path dir;
  private final Path db;
  private final boolean tcp;
  private final String clusterDb;
  private final List<String> baseArgs;
  private final Map<String, String> env;
  private int tcpPort;
  private int sslPort;
  private List<String> sslArgs = List.of();
  private Daemon current;

  private OvsdbServer(String name, Path dir, Map<String, String> env, boolean tcp, String clusterDb) {
    this.name = name;
    this.dir = dir;
    this.db = dir.resolve(name + ".db");
    this.tcp = tcp;
    this.clusterDb = clusterDb;
    this.env = env;
    this.baseArgs = List.of("ovsdb-server", "-vconsole:off", "-vfile:info",
        "--log-file=" + log(), "--unixctl=" + ctl(), "--remote=punix:" + socket());
  }

  /** A standalone server for a new database made from {@code schema}. */
  static OvsdbServer standalone(String name, Path dir, Map<String, String> env, Path schema, boolean tcp) {
    OvsdbServer s = new OvsdbServer(name, dir, env, tcp, null);
    Command.of(env, List.of("ovsdb-tool", "create", s.db.toString(), schema.toString())).check();
    return s;
  }

  /** The first member of a new RAFT cluster, whose cluster traffic uses {@code raftAddress}. */
  static OvsdbServer clusterFounder(String name, Path dir, Map<String, String> env, Path schema,
      String dbName, String raftAddress) {
    OvsdbServer s = new OvsdbServer(name, dir, env, true, dbName);
    Command.of(env, List.of("ovsdb-tool", "create-cluster", s.db.toString(), schema.toString(),
        raftAddress)).check();
    return s;
  }

  /** A member that joins the cluster of {@code dbName} through {@code founderAddress}. */
  static OvsdbServer clusterJoiner(String name, Path dir, Map<String, String> env, String dbName,
      String raftAddress, String founderAddress) {
    OvsdbServer s = new OvsdbServer(name, dir, env, true, dbName);
    Command.of(env, List.of("ovsdb-tool", "join-cluster", s.db.toString(), dbName, raftAddress,
        founderAddress)).check();
    return s;
  }

  /** Starts the server and waits until its Unix socket (and TCP port, if any) accept clients. */
  public synchronized OvsdbServer start() {
    if (current != null && current.isAlive()) {
      return this;
    }
    List<String> args = new ArrayList<>(baseArgs);
    if (tcp) {
      args.add("--remote=ptcp:" + tcpPort + ":127.0.0.1");
    }
    args.addAll(sslArgs);
    args.add(db.toString());
    try {
      Files.deleteIfExists(socket());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    current = new Daemon(name, null, env, dir.resolve(name + ".console"), args).start();
    Waiter.until(name + " accepts clients on " + socket(), READY, () -> {
      if (!current.isAlive()) {
        throw new IllegalStateException(name + " exited during start-up; see " + log());
      }
      return Files.exists(socket()) && (!tcp || tcpPort != 0 || discoverPort().isPresent());
    });
    if (tcp && tcpPort == 0) {
      tcpPort = discoverPort().orElseThrow();
    }
    return this;
  }

  private Optional<Integer> discoverPort() {
    try {
      if (!Files.exists(log())) {
        return Optional.empty();
      }
      Matcher m = LISTENING.matcher(Files.readString(log()));
      return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Adds a TLS listener ({@code pssl}) with {@code server} credentials, trusting {@code ca}; takes
   * effect at the next start. Its port is chosen now: its log line cannot be told from ptcp's.
   */
  synchronized OvsdbServer enableSsl(Pki.Credentials server, Path ca, int port) {
    this.sslPort = port;
    this.sslArgs = List.of("--remote=pssl:" + port + ":127.0.0.1", "--private-key=" + server.privateKey(),
        "--certificate=" + server.certificate(), "--ca-cert=" + ca);
    return this;
  }

  /** {@code ssl:127.0.0.1:<port>}; only for servers with TLS enabled. */
  public String sslRemote() {
    if (sslPort == 0) {
      throw new IllegalStateException(name + " has no TLS listener");
    }
    return "ssl:127.0.0.1:" + sslPort;
  }

  /** Asks the server to exit and waits for it. */
  public synchronized void stop() {
    if (current != null) {
      current.stop();
    }
  }

  /** Kills the server with SIGKILL, as a crash would. */
  public synchronized void kill() {
    if (current != null) {
      current.kill();
    }
  }

  /** True while the server process runs. */
  public synchronized boolean isAlive() {
    return current != null && current.isAlive();
  }

  /** The running (or last) process id. */
  public synchronized Optional<Long> pid() {
    return current == null ? Optional.empty() : current.pid();
  }

  /** The server's name, e.g. {@code nb} or {@code nb2}. */
  public String name() {
    return name;
  }

  /** {@code unix:<socket>}. */
  public String unixRemote() {
    return "unix:" + socket();
  }

  /** {@code tcp:127.0.0.1:<port>}; only for servers started with TCP. */
  public String tcpRemote() {
    if (!tcp || tcpPort == 0) {
      throw new IllegalStateException(name + " has no TCP listener (started: " + isAlive() + ")");
    }
    return "tcp:127.0.0.1:" + tcpPort;
  }

  /** The Unix socket path. */
  public Path socket() {
    return dir.resolve(name + ".sock");
  }

  /** The control socket for {@code ovs-appctl -t}. */
  public Path ctl() {
    return dir.resolve(name + ".ctl");
  }

  /** The server's log file. */
  public Path log() {
    return dir.resolve(name + ".log");
  }

  /** Runs {@code ovs-appctl -t <ctl> args...}. */
  public CommandResult appctl(String... args) {
    return Command.of(env, Command.argv("ovs-appctl", "--timeout=10", "-t", ctl().toString(), args))
        .timeout(Duration.ofSeconds(15)).run();
  }

  /** For a cluster member: the output of {@code cluster/status}, or empty if it cannot answer. */
  public String clusterStatus() {
    if (clusterDb == null) {
      throw new IllegalStateException(name + " is not a cluster member");
    }
    CommandResult r = appctl("cluster/status", clusterDb);
    return r.ok() ? r.stdout() : "";
  }

  /** For a cluster member: true if it is a full member and currently the leader. */
  public boolean isLeader() {
    return isAlive() && clusterStatus().contains("Role: leader");
  }

  /** For a cluster member: true once it has joined and knows a leader. */
  boolean hasJoinedWithLeader() {
    String s = clusterStatus();
    return s.contains("Status: cluster member") && s.matches("(?s).*\\nLeader: (?!unknown).*");
  }

  @Override
  public String toString() {
    return name + (current == null ? "" : " " + current);
  }
}
