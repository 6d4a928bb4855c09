package io.ovnmesos.executorhook;

import io.ovnmesos.executorhook.cni.CniException;
import io.ovnmesos.executorhook.cni.CniReply;
import io.ovnmesos.executorhook.cni.CniRequest;
import io.ovnmesos.executorhook.cni.CniRequestParser;
import io.ovnmesos.executorhook.cni.CniResult;
import io.ovnmesos.executorhook.cni.CniResultWriter;
import io.ovnmesos.executorhook.mesos.ExecutorApi;
import io.ovnmesos.executorhook.metrics.HookMetrics;
import io.ovnmesos.executorhook.ovs.LocalSwitch;
import io.ovnmesos.executorhook.plumbing.AgentPaths;
import io.ovnmesos.executorhook.plumbing.ContainerLink;
import io.ovnmesos.executorhook.port.PortSource;
import io.ovnmesos.topology.port.TaskPort;
import io.ovnmesos.ovsdb.OvsdbException;
import com.google.common.util.concurrent.Striped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out CNI calls for this agent: ADD gets the interface's port, plumbs the container, plugs
 * the host end into br-int and waits for ovn-controller; DEL undoes all of it, whatever is left;
 * CHECK verifies. Calls for one container interface run one at a time; others run in parallel,
 * except that a container's interfaces take turns at its path to the agent.
 */
public final class CniHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CniHandler.class);
  /** Geneve over IPv4: outer IPv4 (20) + UDP (8) + Geneve with OVN's option (8 + 8) + inner Ethernet (14). */
  static final int GENEVE_OVERHEAD = 58;
  /** The interface that carries a container's default routes. */
  static final String DEFAULT_ROUTE_INTERFACE = "eth0";

  private final PortSource ports;
  private final ContainerLink links;
  private final LocalSwitch localSwitch;
  private final int underlayMtu;
  private final Duration installTimeout;
  /** One lock per container interface, and one per container, from a fixed set: nothing grows with the containers seen. */
  private final Striped<Lock> interfaceLocks = Striped.lock(1024);
  private final Striped<Lock> containerLocks = Striped.lock(1024);
  private final HookMetrics metrics;
  private final Optional<AgentPaths> agentPaths;
  private final ExecutorApi executorApi;

  /**
   * @param agentPaths the containers' paths to their agent, when the agent's endpoint is configured
   * @param executorApi whether the agent connects to executors, which decides what a task address
   *     another container here already has means
   */
  public CniHandler(PortSource ports, ContainerLink links, LocalSwitch localSwitch, int underlayMtu, Duration installTimeout,
      HookMetrics metrics, Optional<AgentPaths> agentPaths, ExecutorApi executorApi) {
    this.metrics = metrics;
    this.agentPaths = agentPaths;
    this.executorApi = executorApi;
    this.ports = ports;
    this.links = links;
    this.localSwitch = localSwitch;
    this.underlayMtu = underlayMtu;
    this.installTimeout = installTimeout;
  }

  /** Handles one call; never throws: failures become the CNI error object and exit 1. */
  public CniReply handle(Map<String, String> env, byte[] stdin) {
    long start = System.nanoTime();
    CniReply reply = dispatch(env, stdin);
    metrics.call(String.valueOf(env.get("CNI_COMMAND")), reply.exit() == 0, reply.errorCode(),
        Duration.ofNanos(System.nanoTime() - start));
    return reply;
  }

  private CniReply dispatch(Map<String, String> env, byte[] stdin) {
    String version = "0.2.0";
    try {
      CniRequest req = CniRequestParser.parse(env, stdin);
      version = req.resultVersion();
      if (req.command() == CniRequest.Command.VERSION) {
        return CniReply.ok(CniResultWriter.version());
      }
      Lock lock = interfaceLocks.get(req.containerId() + "/" + req.ifName());
      lock.lock();
      try {
        return switch (req.command()) {
          case ADD -> CniReply.ok(CniResultWriter.result(add(req), version));
          case DEL -> {
            del(req);
            yield CniReply.ok("");
          }
          case CHECK -> {
            check(req);
            yield CniReply.ok("");
          }
          case VERSION -> throw new IllegalStateException("handled above");
        };
      } finally {
        lock.unlock();
      }
    } catch (CniException e) {
      LOG.info("CNI {} failed: {} ({})", env.get("CNI_COMMAND"), e.getMessage(), e.details());
      return CniReply.error(e, version);
    } catch (AttachFailure f) {
      CniException e = CniException.of(f);
      LOG.info("CNI {} failed: {} ({})", env.get("CNI_COMMAND"), e.getMessage(), e.details());
      return CniReply.error(e, version);
    } catch (OvsdbException e) {
      LOG.warn("CNI {}: OVN unreachable or failing: {}", env.get("CNI_COMMAND"), e.getMessage());
      return CniReply.error(new CniException(CniException.TRY_AGAIN_LATER,
          "OVN could not be reached or refused the change; nothing was left behind", e.getMessage()), version);
    } catch (RuntimeException e) {
      LOG.error("CNI {} failed unexpectedly", env.get("CNI_COMMAND"), e);
      return CniReply.error(new CniException(CniException.IO_FAILURE,
          "ovn-mesos executor hook failed: " + e.getClass().getSimpleName(), String.valueOf(e.getMessage())), version);
    }
  }

  private CniResult add(CniRequest req) {
    String netns = req.netns().orElseThrow();
    checkNamespace(netns);
    String hostIf = ContainerLink.hostInterface(req.containerId(), req.ifName());
    TaskPort port;
    try {
      port = metrics.time(HookMetrics.Stage.PORT, () -> ports.ensure(req));
    } catch (RuntimeException e) {
      // A port made but not finished (no address in time) goes too.
      undo(req.containerId(), req.ifName());
      throw e;
    }
    int mtu = port.mtu().orElse(underlayMtu - GENEVE_OVERHEAD);
    // Only the first interface (Mesos names a container's networks eth0, eth1, ...) gets default
    // routes; others reach their own subnets only, so replies never leave by the wrong interface.
    List<ContainerLink.Route> routes = new ArrayList<>();
    if (req.ifName().equals(DEFAULT_ROUTE_INTERFACE)) {
      for (String gw : port.gateways()) {
        routes.add(new ContainerLink.Route(gw.contains(":") ? "::/0" : "0.0.0.0/0", gw));
      }
    }
    Lock containerLock = containerLocks.get(req.containerId());
    try {
      containerLock.lock();
      try {
        // The container's path to its agent (made with its first interface), and the routes by which
        // the agent reaches its executor at this interface's addresses.
        Optional<AgentPaths.Path> agentPath = agentPaths.map(a -> agentPath(a, req, port));
        metrics.time(HookMetrics.Stage.PLUMB, () -> links.create(new ContainerLink.Plan(hostIf, netns, req.ifName(),
            port.mac(), port.addresses(), routes, mtu, agentPath)));
        agentPath.filter(AgentPaths.Path::create).ifPresent(p -> agentPaths.orElseThrow().made(p.hostInterface()));
      } finally {
        containerLock.unlock();
      }
      metrics.time(HookMetrics.Stage.PLUG, () -> localSwitch.plug(hostIf, port.name(), port.mac(), req.containerId(),
          req.containerId(), req.ifName()));
      metrics.time(HookMetrics.Stage.INSTALL, () -> localSwitch.awaitInstalled(hostIf, installTimeout));
    } catch (RuntimeException e) {
      // Leave nothing behind; Mesos will still call DEL, which then finds nothing to do.
      undo(req.containerId(), req.ifName());
      throw e;
    }
    List<CniResult.IpConfig> ips = new ArrayList<>();
    for (int i = 0; i < port.addresses().size(); i++) {
      String a = port.addresses().get(i);
      ips.add(new CniResult.IpConfig(a, port.gateways().get(i), a.contains(":")));
    }
    List<CniResult.Route> resultRoutes = routes.stream().map(r -> new CniResult.Route(r.destination(), r.gateway())).toList();
    LOG.info("ADD {} {}: port {} {} {}", req.containerId(), req.ifName(), port.name(), port.mac(), port.addresses());
    return new CniResult(hostIf, port.mac(), req.ifName(), port.mac(), netns, ips, resultRoutes,
        new CniResult.Dns(port.dnsServers(), null, port.dnsSearch(), List.of()));
  }

  /**
   * What this interface does to the container's path to its agent. A task address that another
   * container here already has is refused when the agent connects to executors by address: it
   * could not tell the two apart, and one task would never start. Otherwise that address keeps its
   * route to the first container. The check and the reservation are one step, so that two
   * containers' ADDs of one address cannot both pass; the agent's mode, which may take a request to
   * the agent, is learned outside it, and only when an address is taken.
   */
  private AgentPaths.Path agentPath(AgentPaths paths, CniRequest req, TaskPort port) {
    List<String> ipv4 = port.addresses().stream().filter(a -> !a.contains(":"))
        .map(a -> a.contains("/") ? a.substring(0, a.indexOf('/')) : a).toList();
    AgentPaths.Reservation r = paths.reserve(req.containerId(), req.ifName(), ipv4, true, links::exists);
    if (r.path().isPresent()) {
      return r.path().get();
    }
    AgentPaths.Holder h = r.holder().orElseThrow();
    String other = h.containerId().map(c -> "container " + c).orElse("the container of host link " + h.hostInterface());
    if (executorApi.agentConnectsToExecutors()) {
      throw new CniException(CniException.ADDRESS_SHARED_ON_AGENT, "address " + h.address() + " of " + req.ifName()
          + " is already the address of " + other + " on this agent, and this agent connects to its executors by address",
          "two tenants' tasks with one address on one agent: the agent could not tell their executors apart. Run the agent "
              + "with --http_command_executor=true (then executors only connect to it), or give the tenants that share "
              + "agents subnets that do not overlap, or place the task on another agent");
    }
    LOG.info("ADD {} {}: address {} stays routed to {}; the agent's executors use HTTP", req.containerId(), req.ifName(),
        h.address(), other);
    return paths.reserve(req.containerId(), req.ifName(), ipv4, false, links::exists).path().orElseThrow();
  }

  private void del(CniRequest req) {
    boolean any = undo(req.containerId(), req.ifName());
    LOG.info("DEL {} {}: {}", req.containerId(), req.ifName(), any ? "removed" : "nothing left to remove");
  }

  /** Removes the OVS port, the veth and the agent's logical port; true if anything was there. */
  private boolean undo(String containerId, String ifName) {
    String hostIf = ContainerLink.hostInterface(containerId, ifName);
    boolean unplugged = localSwitch.unplug(hostIf);
    boolean deleted = links.delete(hostIf);
    boolean released = ports.release(containerId, ifName);
    if (agentPaths.isPresent()) {
      Lock containerLock = containerLocks.get(containerId);
      containerLock.lock();
      try {
        // The link goes with the container's last interface; its routes go with it. (It also goes
        // with the container's namespace, should that go first.)
        if (agentPaths.get().release(containerId, ifName)) {
          deleted |= links.delete(AgentPaths.hostInterface(containerId));
        }
      } finally {
        containerLock.unlock();
      }
    }
    return unplugged || deleted || released;
  }

  /** Before anything is made for it: a path that is no namespace would fail only after a port was made. */
  private static void checkNamespace(String netns) {
    if (!ContainerLink.isNamespaceHandle(netns)) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_NETNS is not a network namespace",
          "expected a bind-mounted namespace or /proc/<pid>/ns/net, got " + CniRequestParser.printable(netns));
    }
  }

  private void check(CniRequest req) {
    checkNamespace(req.netns().orElseThrow());
    String hostIf = ContainerLink.hostInterface(req.containerId(), req.ifName());
    TaskPort port = ports.find(req.containerId(), req.ifName()).orElseThrow(() -> new CniException(
        CniException.UNKNOWN_CONTAINER, "no logical switch port for " + req.ifName() + " of this container", ""));
    if (!localSwitch.isInstalled(hostIf)) {
      throw new CniException(CniException.NOT_INSTALLED, "the container interface is not plugged in and installed", hostIf);
    }
    String shown = links.containerAddresses(req.netns().orElseThrow(), req.ifName()).orElseThrow(() ->
        new CniException(CniException.UNKNOWN_CONTAINER, "the container has no interface " + req.ifName(), ""));
    for (String a : port.addresses()) {
      if (!shown.contains(" " + a + " ")) {
        throw new CniException(CniException.PLUMBING_FAILED, req.ifName() + " lacks its address " + a, shown.strip());
      }
    }
  }
}
