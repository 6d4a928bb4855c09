package io.ovnmesos.framework.reconcile;

import io.ovnmesos.framework.port.WantedPort;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.topology.port.PortMarks;
import io.ovnmesos.topology.port.PortPlanner;
import io.ovnmesos.topology.port.PortRepair;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What it takes to make OVN hold the desired ports, decided from the desired state and the
 * Northbound's port rows alone (pure): ports to create, the framework's ports no live task wants
 * (deleted now if their agent is active, after a grace period if it may still come back), and
 * every wanted port that drifted from what {@link PortPlanner} says it is, with its repair. A port
 * an agent made while no framework answered is handed to the writer as a create, which adopts it;
 * if no task wants it (yet), it waits out the grace period as an orphan does, since the agent made
 * it because its task had not been announced.
 *
 * @param orphaned the framework's ports no task wants whose agent is not (yet) active, or that an
 *     agent made: port name to agent id
 */
public record ReconcilePlan(int wanted, List<WantedPort> create, List<String> delete, Map<String, String> orphaned,
    List<Drift> repair) {

  /** A wanted port that drifted, and what repairs it as the rows stood. */
  public record Drift(WantedPort port, PortRepair repair) {}

  /** Plans against {@code ports} (every Logical_Switch_Port row), repairing with {@code planner}'s rules. */
  public static ReconcilePlan of(Map<String, WantedPort> wanted, Collection<LogicalSwitchPort> ports,
      Set<String> activeAgents, PortPlanner planner) {
    List<WantedPort> create = new ArrayList<>();
    List<String> delete = new ArrayList<>();
    Map<String, String> orphaned = new LinkedHashMap<>();
    List<Drift> repair = new ArrayList<>();
    int present = 0;
    for (LogicalSwitchPort p : ports) {
      Map<String, String> ids = p.externalIds();
      WantedPort w = wanted.get(p.name());
      if (w != null) {
        present++;
        if (PortMarks.agentMadeForFramework(ids)) {
          create.add(w); // adopted by the writer, under this framework's tenant rules
        } else {
          planner.repair(w.request(), p).ifPresent(r -> repair.add(new Drift(w, r)));
        }
        continue;
      }
      if (!PortMarks.OWNER_FRAMEWORK.equals(ids.get(PortMarks.OWNER))) {
        continue; // never touch what is not ours
      }
      String agent = ids.getOrDefault(PortMarks.AGENT_ID, "");
      // An agent makes a port when its claim found no task yet: the task may be announced later.
      if (activeAgents.contains(agent) && !PortMarks.agentMadeForFramework(ids)) {
        delete.add(p.name());
      } else {
        orphaned.put(p.name(), agent);
      }
    }
    // Port names are unique: if every wanted port was seen (a restart), none is missing.
    if (present < wanted.size()) {
      Set<String> names = new HashSet<>(ports.size() * 2);
      ports.forEach(p -> names.add(p.name()));
      wanted.forEach((name, w) -> {
        if (!names.contains(name)) {
          create.add(w);
        }
      });
    }
    return new ReconcilePlan(wanted.size(), create, delete, orphaned, repair);
  }
}
