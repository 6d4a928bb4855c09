package io.ovnmesos.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ovnmesos.executorhook.plumbing.AgentPaths;
import io.ovnmesos.executorhook.plumbing.ContainerLink;
import io.ovnmesos.testcluster.agent.Agent;
import io.ovnmesos.testcluster.agent.CniIsolator;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.dns.DnsNames;
import io.ovnmesos.topology.port.PortMarks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos;

/**
 * The one invariant of the fault-injection suite: the ovn-mesos ports in the Northbound are exactly
 * the OVN interfaces of the tasks Mesos has live, no two of them share an address in a network,
 * each tenant's DNS records are exactly the names of its running tasks at the addresses Mesos
 * reports for them (and their PTRs), and on every agent the veths, br-int ports and namespace
 * handles are exactly those of its live containers. Read from outside, with ovn-nbctl, ovs-vsctl,
 * ip and the file system, not from ovn-mesos' own view.
 */
final class Invariant {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What differs; all zero when the invariant holds. */
  record Breaches(Set<String> missingPorts, Set<String> extraPorts, Set<String> sharedAddresses, Set<String> veths,
      Set<String> switchPorts, Set<String> namespaces, Set<String> names) {
    int total() {
      return missingPorts.size() + extraPorts.size() + sharedAddresses.size() + veths.size() + switchPorts.size()
          + namespaces.size() + names.size();
    }

    /** What leaked: what is there and should not be (missing ports and names are failures, not leaks). */
    int leaked() {
      return total() - missingPorts.size() - (int) names.stream().filter(n -> n.contains(" -")).count();
    }

    @Override
    public String toString() {
      return "missing ports " + missingPorts + ", extra ports " + extraPorts + ", shared addresses " + sharedAddresses
          + ", veths " + veths + ", br-int ports " + switchPorts + ", namespace handles " + namespaces + ", DNS records "
          + names;
    }
  }

  private Invariant() {}

  static Breaches check(FaultSite site) {
    Set<String> wanted = new TreeSet<>();
    var tasks = site.master.getTasks();
    Stream.concat(tasks.getTasksList().stream(), tasks.getUnreachableTasksList().stream())
        .filter(t -> t.hasContainer() && t.getContainer().getNetworkInfosCount() > 0)
        .forEach(t -> wanted.add(PortMarks.frameworkPortName(t.getFrameworkId().getValue(),
            t.hasExecutorId() ? t.getExecutorId().getValue() : t.getTaskId().getValue(), "eth0")));

    Set<String> ours = new TreeSet<>();
    Map<String, Integer> addressUses = new HashMap<>();
    JsonNode table = json(site.ovn.nbctl("--format=json", "--columns=name,addresses,dynamic_addresses,external_ids", "list",
        "Logical_Switch_Port").out());
    for (JsonNode row : table.get("data")) {
      Map<String, String> ids = map(row.get(3));
      if (!ids.containsKey(PortMarks.OWNER)) {
        continue;
      }
      ours.add(row.get(0).asText());
      List<String> entries = new ArrayList<>(set(row.get(1)));
      entries.addAll(set(row.get(2)));
      for (String entry : entries) {
        String[] parts = entry.split(" ");
        for (int i = 1; i < parts.length; i++) {
          if (!parts[i].equals("dynamic")) {
            addressUses.merge(ids.get("ovn-mesos/network") + " " + parts[i], 1, Integer::sum);
          }
        }
      }
    }
    Set<String> missing = new TreeSet<>(wanted);
    missing.removeAll(ours);
    Set<String> extra = new TreeSet<>(ours);
    extra.removeAll(wanted);
    Set<String> shared = new TreeSet<>();
    addressUses.forEach((a, n) -> {
      if (n > 1) {
        shared.add(a + " x" + n);
      }
    });

    Set<String> veths = new TreeSet<>();
    Set<String> switchPorts = new TreeSet<>();
    Set<String> namespaces = new TreeSet<>();
    for (int i = 0; i < site.agents.size(); i++) {
      Agent agent = site.agents.get(i);
      Set<String> cids = new TreeSet<>();
      for (Agent.ContainerView c : agent.containers()) {
        cids.add(CniIsolator.stringify(c.status().getContainerId()));
      }
      Set<String> wantedLinks = new TreeSet<>();
      cids.forEach(cid -> {
        wantedLinks.add(ContainerLink.hostInterface(cid, "eth0"));
        wantedLinks.add(AgentPaths.hostInterface(cid));
      });
      var chassis = site.ovn.chassis(i + 1);
      Set<String> links = new TreeSet<>();
      chassis.netns().orElseThrow().ip("-o", "link", "show").out().lines().forEach(l -> {
        String name = l.split(": ")[1].split("@")[0];
        if (name.startsWith("ovm") || name.startsWith(AgentPaths.HOST_PREFIX)) {
          links.add(name);
        }
      });
      veths.addAll(difference("agent " + i + " veth ", links, wantedLinks));
      Set<String> plugged = new TreeSet<>();
      chassis.vsctl("--bare", "--columns=name", "list", "Interface").out().lines().map(String::strip)
          .filter(n -> n.startsWith("ovm")).forEach(plugged::add);
      Set<String> wantedPlugged = new TreeSet<>();
      cids.forEach(cid -> wantedPlugged.add(ContainerLink.hostInterface(cid, "eth0")));
      switchPorts.addAll(difference("agent " + i + " br-int ", plugged, wantedPlugged));
      Set<String> handles = new TreeSet<>();
      try (Stream<Path> dirs = Files.list(site.cniRoots.get(i))) {
        dirs.forEach(d -> handles.add(d.getFileName().toString()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      namespaces.addAll(difference("agent " + i + " ", handles, cids));
    }
    return new Breaches(missing, extra, shared, veths, switchPorts, namespaces, names(site));
  }

  /**
   * Each tenant's DNS records against its running tasks: {@code <task>.marathon.mesos} at the address
   * Mesos reports, and the address's PTR back to it; "+" a record there that should not be, "-" one
   * missing or different.
   */
  private static Set<String> names(FaultSite site) {
    Map<String, String> tenantOf = new HashMap<>();
    JsonNode switches = json(site.ovn.nbctl("--format=json", "--columns=name,external_ids", "list", "Logical_Switch").out());
    for (JsonNode row : switches.get("data")) {
      Optional.ofNullable(map(row.get(1)).get(Ownership.TENANT)).ifPresent(t -> tenantOf.put(row.get(0).asText(), t));
    }
    Map<String, Map<String, String>> wanted = new TreeMap<>();
    for (Protos.Task t : site.master.getTasks().getTasksList()) {
      if (t.getState() != Protos.TaskState.TASK_RUNNING || t.getStatusesCount() == 0) {
        continue;
      }
      var status = t.getStatuses(t.getStatusesCount() - 1).getContainerStatus();
      if (status.getNetworkInfosCount() == 0 || status.getNetworkInfos(0).getIpAddressesCount() == 0) {
        continue;
      }
      String ip = status.getNetworkInfos(0).getIpAddresses(0).getIpAddress();
      String network = t.getContainer().getNetworkInfos(0).getLabels().getLabelsList().stream()
          .filter(l -> l.getKey().equals("logical_switch")).findFirst().orElseThrow().getValue();
      String name = DnsNames.task(t.getName(), "marathon", DnsNames.DEFAULT_DOMAIN).orElseThrow();
      Map<String, String> records = wanted.computeIfAbsent(tenantOf.get(network), k -> new TreeMap<>());
      records.put(name, ip);
      records.put(DnsNames.reverse(ip), name);
    }
    Set<String> out = new TreeSet<>();
    JsonNode rows = json(site.ovn.nbctl("--format=json", "--columns=records,external_ids", "list", "DNS").out());
    Set<String> seen = new TreeSet<>();
    for (JsonNode row : rows.get("data")) {
      Map<String, String> ids = map(row.get(1));
      String tenant = ids.get(Ownership.TENANT);
      if (tenant == null) {
        continue;
      }
      seen.add(tenant);
      Map<String, String> actual = map(row.get(0));
      Map<String, String> expected = wanted.getOrDefault(tenant, Map.of());
      actual.forEach((k, v) -> {
        if (!v.equals(expected.get(k))) {
          out.add(tenant + " +" + k + "=" + v);
        }
      });
      expected.forEach((k, v) -> {
        if (!v.equals(actual.get(k))) {
          out.add(tenant + " -" + k + "=" + v);
        }
      });
    }
    wanted.keySet().stream().filter(t -> !seen.contains(t)).forEach(t -> out.add(t + " -its DNS row"));
    return out;
  }

  /** "+x" for what is there and should not be, "-x" for what should be there and is not. */
  private static Set<String> difference(String label, Set<String> actual, Set<String> wanted) {
    Set<String> out = new TreeSet<>();
    actual.stream().filter(a -> !wanted.contains(a)).forEach(a -> out.add(label + "+" + a));
    wanted.stream().filter(w -> !actual.contains(w)).forEach(w -> out.add(label + "-" + w));
    return out;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("ovn-nbctl printed no JSON: " + text, e);
    }
  }

  /** An OVSDB set in ovn-nbctl's JSON: a bare atom or ["set", [...]]. */
  private static List<String> set(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isArray() && n.size() == 2 && "set".equals(n.get(0).asText())) {
      n.get(1).forEach(e -> out.add(e.asText()));
    } else if (n.isTextual()) {
      out.add(n.asText());
    }
    return out;
  }

  private static Map<String, String> map(JsonNode n) {
    Map<String, String> out = new HashMap<>();
    n.get(1).forEach(pair -> out.put(pair.get(0).asText(), pair.get(1).asText()));
    return out;
  }

}
