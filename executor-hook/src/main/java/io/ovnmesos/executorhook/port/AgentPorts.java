package io.ovnmesos.executorhook.port;

import inet.ipaddr.IPAddress;
import io.ovnmesos.executorhook.cni.CniException;
import io.ovnmesos.executorhook.cni.CniRequest;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbTimeoutException;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.TopologyException;
import io.ovnmesos.topology.address.Macs;
import io.ovnmesos.topology.address.Subnet;
import io.ovnmesos.topology.network.InterfaceAddress;
import io.ovnmesos.topology.network.Network;
import io.ovnmesos.topology.port.PortMarks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Logical switch ports that the agent makes itself, for interfaces whose port the framework did not
 * provide (or while the framework is unreachable): OVN assigns the address, or a label asks for one.
 * Marked so that DEL, and reconciliation, know the agent owns them.
 */
public final class AgentPorts implements PortSource {
  /** Labels that ask for a fixed address and MAC. */
  public static final String IP_LABEL = "ip_address";
  public static final String MAC_LABEL = "mac_address";
  private static final Duration ADDRESS_WAIT = Duration.ofSeconds(10);

  private final Topology topology;
  private final String chassis;
  private final Runnable onCreate;

  /** {@code onCreate} runs each time the agent has to make a port itself (for a metric). */
  public AgentPorts(Topology topology, String chassis, Runnable onCreate) {
    this.topology = topology;
    this.chassis = chassis;
    this.onCreate = onCreate;
  }

  /** The ports this chassis' agent made, by name. */
  public Map<String, LogicalSwitchPort> ownPorts() {
    Map<String, LogicalSwitchPort> out = new HashMap<>();
    for (var r : topology.northbound().cache().rows(LogicalSwitchPort.TABLE_NAME)) {
      LogicalSwitchPort p = LogicalSwitchPort.from(r);
      if (PortMarks.OWNER_AGENT.equals(p.externalIds().get(PortMarks.OWNER)) && chassis.equals(p.externalIds().get(PortMarks.CHASSIS))) {
        out.put(p.name(), p);
      }
    }
    return out;
  }

  /** The port name for a container interface. */
  public static String portName(String containerId, String ifName) {
    return "cni-" + containerId + "-" + ifName;
  }

  /** The port for the request's interface: the one made by an earlier attempt, or a new one. */
  @Override
  public TaskPort ensure(CniRequest req) {
    Map<String, String> marks = new HashMap<>();
    marks.put(PortMarks.OWNER, PortMarks.OWNER_AGENT);
    return make(portName(req.containerId(), req.ifName()), marks, req, false);
  }

  /**
   * The port the framework would have made for the request's interface, made here because the
   * framework could not answer: same name and marks as the framework's own (so the framework adopts
   * it, keeps it while the task lives, deletes it when the task ends, and removes it at its next
   * reconcile if its tenant rules refuse it), plus {@link PortMarks#MADE_BY} naming this agent. Its
   * address is OVN's dynamic one, then pinned as static, as the framework's are.
   */
  public TaskPort ensureForFramework(CniRequest req, String agentId, String frameworkId, String executorId) {
    Map<String, String> marks = new HashMap<>();
    marks.put(PortMarks.OWNER, PortMarks.OWNER_FRAMEWORK);
    marks.put(PortMarks.MADE_BY, PortMarks.OWNER_AGENT);
    marks.put(PortMarks.AGENT_ID, agentId);
    marks.put(PortMarks.FRAMEWORK_ID, frameworkId);
    marks.put(PortMarks.EXECUTOR_ID, executorId);
    return make(PortMarks.frameworkPortName(frameworkId, executorId, req.ifName()), marks, req, true);
  }

  private TaskPort make(String name, Map<String, String> marks, CniRequest req, boolean pinAddress) {
    Network network = network(req);
    Optional<LogicalSwitchPort> existing = topology.northbound().switchPort(name);
    if (existing.isPresent()) {
      return toTaskPort(existing.get(), network);
    }
    Optional<IPAddress> staticIp = Optional.ofNullable(req.labels().get(IP_LABEL)).map(ip -> checkStaticIp(ip, network));
    Optional<String> staticMac = Optional.ofNullable(req.labels().get(MAC_LABEL)).map(AgentPorts::checkMac);
    String version = req.containerId();
    Map<String, String> ids = Ownership.marks(Ownership.Kind.PORT, network.tenant());
    ids.put(Ownership.NETWORK, network.name());
    ids.putAll(marks);
    ids.put(PortMarks.CONTAINER_ID, req.containerId());
    ids.put(PortMarks.IF_NAME, req.ifName());
    ids.put(PortMarks.CHASSIS, chassis);

    Transaction t = topology.northbound().transaction();
    t.guardAbsent(LogicalSwitchPort.TABLE_NAME, List.of(Condition.eq(LogicalSwitchPort.NAME, name)));
    Map<String, Object> row = new HashMap<>();
    row.put(LogicalSwitchPort.NAME, name);
    row.put(LogicalSwitchPort.OPTIONS, Map.of("iface-id-ver", version));
    row.put(LogicalSwitchPort.EXTERNAL_IDS, ids);
    if (staticIp.isPresent()) {
      String mac = staticMac.orElse(Macs.fromIp(staticIp.get()));
      String address = mac + " " + staticIp.get().toCanonicalString();
      row.put(LogicalSwitchPort.ADDRESSES, List.of(address));
      row.put(LogicalSwitchPort.PORT_SECURITY, List.of(address));
    } else {
      row.put(LogicalSwitchPort.ADDRESSES, List.of(staticMac.map(m -> m + " dynamic").orElse("dynamic")));
    }
    NamedUuid lsp = t.insert(LogicalSwitchPort.TABLE_NAME, row);
    t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, network.name())),
        List.of(Mutation.insert(LogicalSwitch.PORTS, List.of(lsp))));
    t.comment("ovn-mesos agent: port for container " + req.containerId() + " " + req.ifName());
    try {
      topology.northbound().commit(t);
    } catch (TopologyException e) {
      throw new CniException(CniException.TRY_AGAIN_LATER, "the port could not be created: " + e.getMessage(), name);
    }
    onCreate.run();
    LogicalSwitchPort port = awaitPort(name, staticIp.isEmpty());
    if (staticIp.isEmpty()) {
      // Port security can name the address only once OVN has assigned it; pinning it as the
      // address too makes the port look exactly like one the framework made.
      String assigned = port.dynamicAddresses().orElseThrow();
      Map<String, Object> update = new HashMap<>();
      update.put(LogicalSwitchPort.PORT_SECURITY, List.of(assigned));
      if (pinAddress) {
        update.put(LogicalSwitchPort.ADDRESSES, List.of(assigned));
      }
      Transaction sec = topology.northbound().transaction();
      sec.update(LogicalSwitchPort.TABLE_NAME, List.of(Condition.uuid(port.uuid())), update);
      OvsdbClient.join(sec.commit());
    }
    return toTaskPort(port, network);
  }

  private LogicalSwitchPort awaitPort(String name, boolean needsDynamicAddress) {
    try {
      return OvsdbClient.join(topology.northbound().cache().await("port " + name + (needsDynamicAddress
          ? " with its dynamic address" : ""), ADDRESS_WAIT, c -> c.lookupOne(LogicalSwitchPort.TABLE_NAME,
          LogicalSwitchPort.NAME, name).map(LogicalSwitchPort::from)
          .filter(p -> !needsDynamicAddress || p.dynamicAddresses().filter(d -> !d.isBlank()).isPresent())));
    } catch (OvsdbTimeoutException e) {
      throw new CniException(CniException.TRY_AGAIN_LATER, "OVN assigned no address to the port in time",
          "is ovn-northd running? Is the network's subnet full?");
    }
  }

  /** Removes the agent's port of a container interface; false if there was none (or it is not the agent's). */
  @Override
  public boolean release(String containerId, String ifName) {
    Optional<LogicalSwitchPort> port = topology.northbound().switchPort(portName(containerId, ifName))
        .filter(p -> PortMarks.OWNER_AGENT.equals(p.externalIds().get(PortMarks.OWNER)));
    if (port.isEmpty()) {
      return false;
    }
    delete(port.get(), "ovn-mesos agent: release port for container " + containerId + " " + ifName);
    return true;
  }

  private void delete(LogicalSwitchPort port, String comment) {
    Transaction t = topology.northbound().transaction();
    t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.eq(LogicalSwitch.NAME, port.externalIds().get(Ownership.NETWORK))),
        List.of(Mutation.delete(LogicalSwitch.PORTS, List.of(port.uuid()))));
    t.comment(comment);
    OvsdbClient.join(t.commit());
  }

  /**
   * Removes port {@code name} if this agent made it for container {@code containerId} under the
   * framework's name; false if there was none, or another agent or the framework made it.
   */
  public boolean releaseMadeHere(String name, String containerId) {
    Optional<LogicalSwitchPort> port = topology.northbound().switchPort(name).filter(p -> {
      Map<String, String> ids = p.externalIds();
      return PortMarks.OWNER_AGENT.equals(ids.get(PortMarks.MADE_BY)) && chassis.equals(ids.get(PortMarks.CHASSIS))
          && containerId.equals(ids.get(PortMarks.CONTAINER_ID));
    });
    if (port.isEmpty()) {
      return false;
    }
    delete(port.get(), "ovn-mesos agent: release port " + name + " made here for container " + containerId);
    return true;
  }

  /** The port of a container interface, if it exists. */
  @Override
  public Optional<TaskPort> find(String containerId, String ifName) {
    return topology.northbound().switchPort(portName(containerId, ifName)).map(p -> toTaskPort(p,
        topology.networks().get(p.externalIds().get(Ownership.NETWORK))));
  }

  private Network network(CniRequest req) {
    String name = req.labels().get(CniRequest.LOGICAL_SWITCH);
    if (name == null || name.isBlank()) {
      throw new CniException(CniException.INVALID_CONFIG, "the network_info has no \"" + CniRequest.LOGICAL_SWITCH
          + "\" label", "label the task's network with logical_switch=<ovn-mesos network>");
    }
    return topology.networks().find(name).orElseThrow(() -> new CniException(CniException.UNKNOWN_NETWORK,
        "network " + io.ovnmesos.executorhook.cni.CniRequestParser.printable(name) + " does not exist in OVN",
        "create it with 'ovn-mesos network create'"));
  }

  private IPAddress checkStaticIp(String text, Network network) {
    IPAddress ip;
    try {
      ip = Subnet.host(IP_LABEL, text);
    } catch (TopologyException e) {
      throw new CniException(CniException.INVALID_LABEL, "label " + IP_LABEL + " is not an address", e.getMessage());
    }
    Subnet subnet = network.subnets().stream().map(s -> Subnet.parse("subnet", s)).filter(s -> s.contains(ip))
        .findFirst().orElseThrow(() -> new CniException(CniException.INVALID_LABEL, "label " + IP_LABEL + " " + ip
            + " is outside network " + network.name(), "its subnets are " + network.subnets()));
    if (!subnet.isUsableHost(ip) || network.gateways().contains(ip.toCanonicalString())) {
      throw new CniException(CniException.INVALID_LABEL, "label " + IP_LABEL + " " + ip
          + " is the network, broadcast or gateway address of " + subnet, "");
    }
    LogicalSwitch ls = topology.northbound().logicalSwitch(network.name()).orElseThrow();
    for (Uuid u : ls.ports()) {
      topology.northbound().get(LogicalSwitchPort.TABLE, u).ifPresent(p -> {
        List<String> used = new ArrayList<>(p.addresses());
        p.dynamicAddresses().ifPresent(used::add);
        for (String a : used) {
          for (String part : a.split(" ")) {
            if (part.equals(ip.toCanonicalString())) {
              throw new CniException(CniException.INVALID_LABEL, "label " + IP_LABEL + " " + ip + " is in use",
                  "by port " + p.name() + " on network " + network.name());
            }
          }
        }
      });
    }
    return ip;
  }

  private static String checkMac(String mac) {
    if (!Macs.isUnicast(mac)) {
      throw new CniException(CniException.INVALID_LABEL, "label " + MAC_LABEL + " is not a unicast MAC address",
          "expected six colon-separated hex bytes with the lowest bit of the first even, got "
              + io.ovnmesos.executorhook.cni.CniRequestParser.printable(mac));
    }
    return mac.toLowerCase(Locale.ROOT);
  }

  static TaskPort toTaskPort(LogicalSwitchPort p, Network network) {
    String source = p.dynamicAddresses().filter(d -> !d.isBlank()).orElse(p.addresses().stream()
        .filter(a -> !a.contains("dynamic")).findFirst().orElse(""));
    String[] parts = source.split(" ");
    if (parts.length < 2) {
      throw new CniException(CniException.TRY_AGAIN_LATER, "port " + p.name() + " has no address yet", source);
    }
    var placed = network.interfaceAddresses(List.of(parts).subList(1, parts.length));
    return new TaskPort(p.name(), network.name(), parts[0], placed.stream().map(InterfaceAddress::address).toList(),
        placed.stream().map(InterfaceAddress::gateway).toList(), network.mtu(),
        network.dnsServers(), p.options().getOrDefault("iface-id-ver", ""));
  }
}
