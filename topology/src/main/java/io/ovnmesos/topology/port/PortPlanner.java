package io.ovnmesos.topology.port;

import inet.ipaddr.IPAddress;
import io.ovnmesos.topology.Names;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.TopologyException;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.topology.address.Macs;
import io.ovnmesos.topology.address.Subnet;
import io.ovnmesos.topology.network.Network;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The one owner of what a task's port is: from a request, the network and what the Northbound holds,
 * it decides the port's name, MAC, addresses on every address family the network has, port security
 * and marks, or refuses with a typed reason. The labels' meaning, the tenant rules and the address
 * rules are applied here and nowhere else. Pure: it reads a {@link PortContext} and writes nothing.
 * One planner serves one transaction, so the addresses it gives out are taken for the later requests
 * of the same transaction.
 */
public final class PortPlanner {
  private final PortContext context;
  private final TenantAccess access;
  private final Map<String, AddressPool> pools = new HashMap<>();
  /** Networks as read, once per planner: a transaction plans many ports, a reconciliation checks every one. */
  private final Map<String, Optional<Network>> known = new HashMap<>();
  /** Each network's own marks, once per planner. */
  private final Map<String, Map<String, String>> marksOf = new HashMap<>();
  /** Each network's subnets, parsed once per planner: a reconciliation checks every port against them. */
  private final Map<String, List<Subnet>> subnets = new HashMap<>();
  private final AgentAddresses agents;

  public PortPlanner(PortContext context, TenantAccess access) {
    this.context = context;
    this.access = access;
    this.agents = new AgentAddresses(context::agentEntries);
  }

  /** The port for {@code request}, or why there is none. */
  public PortPlan plan(PortRequest request) {
    String ls = request.network();
    if (ls == null || ls.isBlank()) {
      return refuse(PortRefusal.Reason.INVALID_LABEL, "the network_info has no \"" + PortLabels.LOGICAL_SWITCH
          + "\" label; label it " + PortLabels.LOGICAL_SWITCH + "=<ovn-mesos network>");
    }
    Optional<Network> found = network(ls);
    if (found.isEmpty()) {
      return refuse(PortRefusal.Reason.UNKNOWN_NETWORK, "network \"" + Names.printable(ls)
          + "\" does not exist in OVN; create it with 'ovn-mesos network create'");
    }
    Network network = found.get();
    Optional<PortRefusal> denied = authorize(request, network);
    if (denied.isPresent()) {
      return new PortPlan.Refused(denied.get());
    }
    String macLabel = request.labels().get(PortLabels.MAC_ADDRESS);
    if (macLabel != null && !Macs.isUnicast(macLabel)) {
      return refuse(PortRefusal.Reason.INVALID_LABEL, "label " + PortLabels.MAC_ADDRESS + " is not a unicast MAC address: "
          + "expected six colon-separated hex bytes with the lowest bit of the first even, got \"" + Names.printable(macLabel) + "\"");
    }
    Optional<String> mac = Optional.ofNullable(macLabel).map(m -> m.toLowerCase(Locale.ROOT));
    AddressPool pool = pools.computeIfAbsent(network.name(), k -> new AddressPool(network, context.addressEntries(network)));
    String ipLabel = request.labels().get(PortLabels.IP_ADDRESS);
    AddressPool.Assignment assignment;
    if (ipLabel != null) {
      IPAddress ip;
      try {
        ip = Subnet.host(PortLabels.IP_ADDRESS, ipLabel);
      } catch (TopologyException e) {
        return refuse(PortRefusal.Reason.INVALID_LABEL, "label " + PortLabels.IP_ADDRESS + " is not an address: expected an "
            + "IPv4 address such as 10.0.0.9, got \"" + Names.printable(ipLabel) + "\"");
      }
      String shown = ip.withoutPrefixLength().toCanonicalString();
      Optional<String> why = pool.whyNotAssignable(ip);
      if (why.isPresent()) {
        return refuse(PortRefusal.Reason.INVALID_LABEL, "label " + PortLabels.IP_ADDRESS + " " + shown + " " + why.get());
      }
      Optional<AddressPool.Assignment> taken = pool.take(ip, mac);
      if (taken.isEmpty()) {
        return refuse(PortRefusal.Reason.NO_ADDRESS, "label " + PortLabels.IP_ADDRESS + " " + shown
            + " is held by another port of network " + network.name());
      }
      assignment = taken.get();
    } else {
      // Not an address another task on the same agent holds, whatever its network.
      var avoid = agents.of(request.agentId());
      Optional<AddressPool.Assignment> next = mac.isPresent() ? pool.next(request.name(), avoid, mac.get())
          : pool.next(request.name(), avoid);
      if (next.isEmpty()) {
        return refuse(PortRefusal.Reason.NO_ADDRESS, "network " + network.name() + " " + network.subnets()
            + " has no free address");
      }
      assignment = next.get();
    }
    agents.add(request.agentId(), assignment.ips());
    AddressEntry entry = new AddressEntry(assignment.mac(), assignment.ips());
    Map<String, String> ids = marks(request, network, Optional.of(entry.ovn()));
    Map<String, String> named = PortMarks.withNameMarks(request.name(), ids);
    TaskPort port = TaskPort.placed(request.name(), network, assignment.mac(), pool.placed(assignment),
        named.getOrDefault(PortMarks.TASK_ID, ""), named.getOrDefault(PortMarks.FRAMEWORK_ID, ""));
    return new PortPlan.Create(network, request.name(), entry, ids, request.options(), port);
  }

  /** The marks a port for {@code request} on {@code network} carries, with the address it was given if known. */
  private static Map<String, String> marks(PortRequest request, Network network, Optional<String> entry) {
    Map<String, String> ids = new HashMap<>(networkMarks(network));
    ids.putAll(request.marks());
    entry.ifPresent(e -> ids.put(PortMarks.ADDRESS, e));
    return ids;
  }

  /** The marks every port of {@code network} carries: ownership, tenant, network. */
  private static Map<String, String> networkMarks(Network network) {
    Map<String, String> ids = Ownership.marks(Ownership.Kind.PORT, network.tenant());
    ids.put(Ownership.NETWORK, network.name());
    return ids;
  }

  /**
   * What to write on {@code actual}, the existing port of {@code request}, so that every column this
   * planner sets is again what the request asks for: addresses and port security (the one entry the
   * port was given), marks, options, and an empty type. Empty if nothing drifted, or if the request's
   * network is unknown (that is a refusal, not drift). The entry kept is the one the task's interface
   * was configured with: the {@link PortMarks#ADDRESS} mark, else the port security, else the
   * addresses, the first that fits the network and the labels; if none fits, the addresses are left
   * as they are and "address" is reported drifted. Where the mark, the addresses and the port
   * security are one entry and no label fixes it, that entry stands as it is. Marks and options the planner does not set (the
   * container id, who made it) are kept.
   */
  public Optional<PortRepair> repair(PortRequest request, LogicalSwitchPort actual) {
    Optional<Network> found = request.network() == null ? Optional.empty() : network(request.network());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Network network = found.get();
    Map<String, String> ids = actual.externalIds();
    String mark = ids.get(PortMarks.ADDRESS);
    Optional<String> kept;
    if (mark != null && only(actual.addresses(), mark) && only(actual.portSecurity(), mark)
        && !request.labels().containsKey(PortLabels.IP_ADDRESS) && !request.labels().containsKey(PortLabels.MAC_ADDRESS)) {
      // The three agree, as the planner writes them: the path of almost every port a reconciliation checks.
      kept = Optional.of(mark);
    } else {
      kept = Stream.concat(Stream.ofNullable(mark), Stream.concat(actual.portSecurity().stream(), actual.addresses().stream()))
          .map(AddressEntry::parse).flatMap(Optional::stream).filter(e -> fits(e, subnetsOf(network), request)).findFirst()
          .map(AddressEntry::ovn);
    }
    boolean addressesDrift = kept.isPresent() && !only(actual.addresses(), kept.get());
    boolean securityDrift = kept.isPresent() && !only(actual.portSecurity(), kept.get());
    boolean marksDrift = !holds(ids, marksOf.computeIfAbsent(network.name(), k -> networkMarks(network)))
        || !holds(ids, request.marks()) || (kept.isPresent() && !kept.get().equals(mark));
    boolean optionsDrift = !holds(actual.options(), request.options());
    boolean typeDrift = !actual.type().isEmpty();
    if (kept.isPresent() && !addressesDrift && !securityDrift && !marksDrift && !optionsDrift && !typeDrift) {
      return Optional.empty();
    }
    Map<String, Object> columns = new LinkedHashMap<>();
    List<String> drifted = new ArrayList<>();
    if (kept.isEmpty()) {
      drifted.add("address");
    }
    if (addressesDrift) {
      columns.put(LogicalSwitchPort.ADDRESSES, List.of(kept.get()));
    }
    if (securityDrift) {
      columns.put(LogicalSwitchPort.PORT_SECURITY, List.of(kept.get()));
    }
    if (marksDrift) {
      Map<String, String> repaired = new HashMap<>(ids);
      repaired.putAll(marks(request, network, kept));
      columns.put(LogicalSwitchPort.EXTERNAL_IDS, Map.copyOf(repaired));
    }
    if (optionsDrift) {
      Map<String, String> repaired = new HashMap<>(actual.options());
      repaired.putAll(request.options());
      columns.put(LogicalSwitchPort.OPTIONS, Map.copyOf(repaired));
    }
    if (typeDrift) {
      columns.put(LogicalSwitchPort.TYPE, "");
    }
    drifted.addAll(columns.keySet());
    return Optional.of(new PortRepair(actual.name(), actual.uuid(), columns, drifted));
  }

  /** True if {@code set} is exactly {@code entry}. */
  private static boolean only(Set<String> set, String entry) {
    return set.size() == 1 && set.contains(entry);
  }

  /** True if {@code map} has every entry of {@code wanted}. */
  private static boolean holds(Map<String, String> map, Map<String, String> wanted) {
    for (Map.Entry<String, String> e : wanted.entrySet()) {
      if (!e.getValue().equals(map.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private Optional<Network> network(String name) {
    return known.computeIfAbsent(name, context::network);
  }

  private List<Subnet> subnetsOf(Network network) {
    return subnets.computeIfAbsent(network.name(),
        k -> network.subnets().stream().map(s -> Subnet.parse("subnet", s)).toList());
  }

  /** True if {@code e} can be the address of {@code request}'s port: one usable address per subnet, and the labels' MAC and IP. */
  private static boolean fits(AddressEntry e, List<Subnet> subnets, PortRequest request) {
    String macLabel = request.labels().get(PortLabels.MAC_ADDRESS);
    if (!Macs.isUnicast(e.mac()) || (macLabel != null && !macLabel.equalsIgnoreCase(e.mac()))
        || e.ips().size() != subnets.size()) {
      return false;
    }
    Set<Integer> covered = new HashSet<>();
    List<IPAddress> ips = new ArrayList<>();
    try {
      for (String text : e.ips()) {
        IPAddress ip = Subnet.host("address", text);
        ips.add(ip.withoutPrefixLength());
        int in = -1;
        for (int s = 0; s < subnets.size() && in < 0; s++) {
          if (subnets.get(s).isUsableHost(ip)) {
            in = s;
          }
        }
        if (in < 0 || !covered.add(in)) {
          return false;
        }
      }
      String ipLabel = request.labels().get(PortLabels.IP_ADDRESS);
      return ipLabel == null || ips.contains(Subnet.host(PortLabels.IP_ADDRESS, ipLabel).withoutPrefixLength());
    } catch (TopologyException x) {
      return false;
    }
  }

  /**
   * The tenant rules for a task on {@code network}: every role of the task, or its framework's
   * principal, must be granted the network's tenant. Without rules everything is allowed; with rules,
   * a task whose identity is unknown is refused (fail closed).
   */
  public Optional<PortRefusal> authorize(PortRequest request, Network network) {
    if (access.isOpen()) {
      return Optional.empty();
    }
    if (request.identity().isEmpty() || request.identity().get().roles().isEmpty()) {
      return Optional.of(new PortRefusal(PortRefusal.Reason.NOT_AUTHORIZED, "tenant access rules are set, and ovn-mesos "
          + "cannot read this task's role (Mesos checkpoints it only for frameworks that set FrameworkInfo.checkpoint)"));
    }
    PortRequest.Identity who = request.identity().get();
    for (String role : who.roles()) {
      if (!access.allows(role, who.principal(), network.tenant())) {
        return Optional.of(new PortRefusal(PortRefusal.Reason.NOT_AUTHORIZED,
            TenantAccess.denial(role, who.principal(), network.name(), network.tenant())));
      }
    }
    return Optional.empty();
  }

  /** The networks this planner has given addresses on. */
  public Collection<Network> networks() {
    return pools.values().stream().map(AddressPool::network).toList();
  }

  private static PortPlan refuse(PortRefusal.Reason reason, String message) {
    return new PortPlan.Refused(new PortRefusal(reason, message));
  }
}
