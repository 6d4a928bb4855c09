package io.ovnmesos.testbed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a task's container: a network namespace whose {@code eth0} is one end of a veth pair
 * whose other end is a port of br-int on a {@link Chassis}.
 */
public final class Container implements AutoCloseable {
  private static final Duration INSTALL = Duration.ofSeconds(30);

  private final Chassis chassis;
  private final Netns netns;
  private final String hostInterface;
  private final String logicalSwitchPort;
  private final String cidr;
  private final List<Daemon> servers = new ArrayList<>();

  Container(Chassis chassis, Netns netns, String hostInterface, String logicalSwitchPort, String cidr) {
    this.chassis = chassis;
    this.netns = netns;
    this.hostInterface = hostInterface;
    this.logicalSwitchPort = logicalSwitchPort;
    this.cidr = cidr;
  }

  /** The container's network namespace. */
  public Netns netns() {
    return netns;
  }

  /** The name of the host end of the veth (the OVS port and interface name). */
  public String hostInterface() {
    return hostInterface;
  }

  /** The logical switch port this container is bound to. */
  public String logicalSwitchPort() {
    return logicalSwitchPort;
  }

  /** The address without its prefix length. */
  public String ip() {
    return cidr.substring(0, cidr.indexOf('/'));
  }

  /** Waits until ovn-controller has installed the port's flows ({@code ovn-installed=true}). */
  public Container awaitInstalled() {
    chassis.vsctl("--timeout=" + INSTALL.toSeconds(), "wait-until", "Interface", hostInterface,
        "external_ids:ovn-installed=true");
    return this;
  }

  /** Runs a program inside the container; the caller checks the result. */
  public CommandResult exec(String... argv) {
    return netns.exec(Duration.ofSeconds(30), argv);
  }

  /** Sends one ping to {@code ip} and reports whether a reply came within a second. */
  public boolean pingOnce(String ip) {
    return exec("ping", "-n", "-q", "-c", "1", "-W", "1", ip).ok();
  }

  /**
   * True once a ping to {@code ip} succeeds within {@code limit}; the first packets may be spent on
   * ARP and on flows that are still being installed.
   */
  public boolean canReach(String ip, Duration limit) {
    try {
      Waiter.until(netns + " reaches " + ip, limit, () -> pingOnce(ip));
      return true;
    } catch (IllegalStateException timedOut) {
      return false;
    }
  }

  /** The protocol of an echo server or client; PEER is a TCP server that answers with the caller's address. */
  public enum Protocol { TCP, UDP, PEER }

  /** Starts an echo server on {@code port} inside the container; it stops when the container closes. */
  public synchronized void startEchoServer(Protocol protocol, int port) {
    servers.add(Echo.serve(netns, chassis.dir(), protocol, port));
  }

  /** Sends {@code text} to an echo server and returns the reply; fails after 3 s without one. */
  public CommandResult echo(Protocol protocol, String host, int port, String text) {
    return Echo.send(netns, protocol, host, port, text);
  }

  /** Stops the echo servers started in the container. */
  synchronized void stopServers() {
    servers.forEach(Daemon::stop);
    servers.clear();
  }

  /** Unplugs the container from br-int and deletes its namespace (and with it the veth pair). */
  @Override
  public void close() {
    stopServers();
    chassis.vsctl("--if-exists", "del-port", hostInterface);
    netns.close();
    chassis.forget(this);
  }

  @Override
  public String toString() {
    return "container " + netns.name() + " on " + logicalSwitchPort;
  }
}
