package io.ovnmesos.framework.task;

import io.ovnmesos.framework.port.WantedPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one desired state: which ports the master's live tasks want, by task. A pod's tasks share
 * their executor's ports, so a port is wanted while any of them lives. Confined to the event
 * thread; reconciliation reads it from there too.
 */
public final class DesiredPorts {
  /** Live tasks' ports, by framework/task. */
  private final Map<String, List<WantedPort>> tasks = new HashMap<>();
  /** Every port some live task wants, with how many want it. */
  private final Map<String, Wanted> ports = new HashMap<>();

  private static final class Wanted {
    WantedPort port;
    int tasks;
  }

  /** Records {@code task}'s ports, replacing what it had; returns those no live task wants any more. */
  public List<WantedPort> track(String task, List<WantedPort> wanted) {
    List<WantedPort> unwanted = release(task);
    if (!wanted.isEmpty()) {
      tasks.put(task, List.copyOf(wanted));
      for (WantedPort p : wanted) {
        Wanted w = ports.computeIfAbsent(p.name(), k -> new Wanted());
        w.port = p;
        w.tasks++;
      }
      unwanted.removeIf(p -> ports.containsKey(p.name()));
    }
    return unwanted;
  }

  /** Drops {@code task}; returns its ports that no live task wants any more. */
  public List<WantedPort> release(String task) {
    List<WantedPort> unwanted = new ArrayList<>();
    List<WantedPort> had = tasks.remove(task);
    if (had != null) {
      for (WantedPort p : had) {
        Wanted w = ports.get(p.name());
        if (w != null && --w.tasks <= 0) {
          ports.remove(p.name());
          unwanted.add(p);
        }
      }
    }
    return unwanted;
  }

  /** True if a live task wants the port named {@code name}. */
  public boolean wants(String name) {
    return ports.containsKey(name);
  }

  /** The tasks (framework/task) whose ports are on {@code agentId}. */
  public List<String> tasksOn(String agentId) {
    return tasks.entrySet().stream().filter(e -> e.getValue().get(0).agentId().equals(agentId)).map(Map.Entry::getKey)
        .toList();
  }

  /** Every wanted port, by name: what reconciliation makes OVN hold. */
  public Map<String, WantedPort> all() {
    Map<String, WantedPort> all = new HashMap<>(ports.size() * 2);
    ports.forEach((name, w) -> all.put(name, w.port));
    return all;
  }

  /** Tasks with OVN interfaces. */
  public int tasks() {
    return tasks.size();
  }

  /** Forgets everything (a new snapshot follows). */
  public void clear() {
    tasks.clear();
    ports.clear();
  }
}
