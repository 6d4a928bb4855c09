package io.ovnmesos.framework.dns;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names the master's tasks publish: every task with OVN ports and a name, and which of them
 * serve now. A name stands for the ports of all its serving tasks (every instance of an app shares
 * one name). Confined to the event thread.
 */
public final class DesiredNames {
  /** A task; {@code name} null while its framework's name is not known. */
  private record Task(String name, List<String> ports, boolean healthChecked, boolean serving) {}

  private final Map<String, Task> tasks = new HashMap<>();
  /** Serving tasks by name. */
  private final Map<String, Set<String>> serving = new HashMap<>();

  /**
   * Records {@code task}'s name (null until it can be known) and ports, whether it has a health
   * check and whether it serves; returns the names whose ports changed (empty if none did).
   */
  public Set<String> track(String task, String name, List<String> ports, boolean healthChecked, boolean serves) {
    Task before = tasks.get(task);
    Task now = new Task(name, List.copyOf(ports), healthChecked, serves);
    tasks.put(task, now);
    return changed(task, before, now);
  }

  /** Records whether {@code task} serves now; returns the name whose ports changed, if any. */
  public Optional<String> serves(String task, boolean serves) {
    Task before = tasks.get(task);
    if (before == null || before.serving() == serves) {
      return Optional.empty();
    }
    Task now = new Task(before.name(), before.ports(), before.healthChecked(), serves);
    tasks.put(task, now);
    return changed(task, before, now).stream().findFirst();
  }

  /** Names {@code task} now that its name is known; returns the names whose ports changed. */
  public Set<String> rename(String task, String name) {
    Task before = tasks.get(task);
    if (before == null || name.equals(before.name())) {
      return Set.of();
    }
    Task now = new Task(name, before.ports(), before.healthChecked(), before.serving());
    tasks.put(task, now);
    return changed(task, before, now);
  }

  /** True if {@code task} is known and has a health check. */
  public boolean healthChecked(String task) {
    Task t = tasks.get(task);
    return t != null && t.healthChecked();
  }

  /** Forgets {@code task}; returns the name whose ports changed, if any. */
  public Optional<String> forget(String task) {
    Task before = tasks.remove(task);
    return changed(task, before, null).stream().findFirst();
  }

  private Set<String> changed(String task, Task before, Task now) {
    Set<String> names = new TreeSet<>();
    if (before != null && before.serving() && before.name() != null && (now == null || !now.equals(before))) {
      Set<String> s = serving.get(before.name());
      s.remove(task);
      if (s.isEmpty()) {
        serving.remove(before.name());
      }
      names.add(before.name());
    }
    if (now != null && now.serving() && now.name() != null && (before == null || !before.equals(now))) {
      serving.computeIfAbsent(now.name(), k -> new HashSet<>()).add(task);
      names.add(now.name());
    }
    return names;
  }

  /** The ports {@code name} stands for: those of its serving tasks. */
  public Set<String> ports(String name) {
    Set<String> out = new TreeSet<>();
    serving.getOrDefault(name, Set.of()).forEach(t -> out.addAll(tasks.get(t).ports()));
    return out;
  }

  /** Every name with a serving task, with its ports. */
  public Map<String, Set<String>> all() {
    Map<String, Set<String>> out = new HashMap<>();
    serving.keySet().forEach(n -> out.put(n, ports(n)));
    return out;
  }

  /** Forgets everything (a new snapshot follows). */
  public void clear() {
    tasks.clear();
    serving.clear();
  }
}
