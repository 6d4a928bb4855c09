package io.ovnmesos.framework.task;

import com.google.protobuf.Message;
import io.ovnmesos.framework.mesos.MasterClient;
import io.ovnmesos.framework.mesos.Subscriber;
import io.ovnmesos.framework.port.PortWriter;
import io.ovnmesos.framework.port.WantedPort;
import io.ovnmesos.framework.reconcile.Reconciler;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Event;
import org.apache.mesos.v1.master.Protos.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the master's operator event stream and turns it into port requests: every SUBSCRIBED
 * snapshot is reconciled against OVN; TASK_ADDED asks for the task's ports; a terminal TASK_UPDATED
 * deletes them; TASK_UNREACHABLE keeps them for a grace period (the agent may come back) unless the
 * task becomes LOST or GONE first; AGENT_REMOVED (an agent that left for good) deletes its tasks'.
 */
public final class TaskEvents implements Subscriber.Handler<Event> {
  private static final Logger LOG = LoggerFactory.getLogger(TaskEvents.class);

  private final TaskNetworks networks;
  private final PortWriter writer;
  private final Reconciler reconciler;
  private final ScheduledExecutorService timers;
  private final Duration unreachableGrace;
  /** Told true on each SUBSCRIBED, false when the stream ends or breaks. */
  private final java.util.function.Consumer<Boolean> subscribed;
  private final Map<String, String> principals = new HashMap<>();
  private final Map<String, Protos.ExecutorInfo> executors = new HashMap<>();
  /** Live tasks' ports, by framework/task. */
  private final Map<String, List<WantedPort>> tasks = new ConcurrentHashMap<>();
  /** How many live tasks want each port: a pod's tasks share their executor's ports. */
  private final Map<String, Integer> wanters = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> unreachable = new ConcurrentHashMap<>();
  private volatile Subscriber<Event> subscriber;
  private final java.util.function.Supplier<Response.GetExecutors> executorsOfMaster;

  /** @param executorsOfMaster asks the master for GET_EXECUTORS */
  public TaskEvents(TaskNetworks networks, PortWriter writer, Reconciler reconciler, ScheduledExecutorService timers,
      Duration unreachableGrace, java.util.function.Consumer<Boolean> subscribed, java.util.function.Supplier<Response.GetExecutors> executorsOfMaster) {
    this.executorsOfMaster = executorsOfMaster;
    this.networks = networks;
    this.writer = writer;
    this.reconciler = reconciler;
    this.timers = timers;
    this.unreachableGrace = unreachableGrace;
    this.subscribed = subscribed;
  }

  /** The subscriber this handler serves, to pass the heartbeat interval on. */
  public void attach(Subscriber<Event> s) {
    this.subscriber = s;
  }

  /** True if a live task still wants the port named {@code name}. */
  public boolean wants(String name) {
    return wanters.containsKey(name);
  }

  @Override
  public Message subscribeCall() {
    return Call.newBuilder().setType(Call.Type.SUBSCRIBE).build();
  }

  @Override
  public void onEvent(Event e, MasterClient.Answer<InputStream> subscription) {
    long now = System.nanoTime();
    switch (e.getType()) {
      case SUBSCRIBED -> {
        if (subscriber != null && e.getSubscribed().hasHeartbeatIntervalSeconds()) {
          subscriber.heartbeatInterval(Duration.ofMillis((long) (e.getSubscribed().getHeartbeatIntervalSeconds() * 1000)));
        }
        snapshot(e.getSubscribed().getGetState(), now);
        subscribed.accept(true);
      }
      case TASK_ADDED -> added(e.getTaskAdded().getTask(), now);
      case TASK_UPDATED -> updated(e.getTaskUpdated());
      case FRAMEWORK_ADDED -> framework(e.getFrameworkAdded().getFramework().getFrameworkInfo());
      case FRAMEWORK_UPDATED -> framework(e.getFrameworkUpdated().getFramework().getFrameworkInfo());
      case AGENT_REMOVED -> agentRemoved(e.getAgentRemoved().getAgentId().getValue());
      default -> {
        // HEARTBEAT, AGENT_ADDED, FRAMEWORK_REMOVED (its tasks' updates follow)
      }
    }
  }

  private void framework(Protos.FrameworkInfo info) {
    principals.put(info.getId().getValue(), info.getPrincipal());
  }

  private synchronized void snapshot(Response.GetState state, long now) {
    // Grace periods start again from what this snapshot says is unreachable.
    stop();
    principals.clear();
    executors.clear();
    state.getGetFrameworks().getFrameworksList().forEach(f -> framework(f.getFrameworkInfo()));
    state.getGetFrameworks().getCompletedFrameworksList().forEach(f -> framework(f.getFrameworkInfo()));
    for (var x : state.getGetExecutors().getExecutorsList()) {
      executors.put(x.getExecutorInfo().getFrameworkId().getValue() + "/" + x.getExecutorInfo().getExecutorId().getValue(),
          x.getExecutorInfo());
    }
    tasks.clear();
    wanters.clear();
    Map<String, WantedPort> wanted = new HashMap<>();
    Response.GetTasks t = state.getGetTasks();
    for (Protos.Task task : t.getTasksList()) {
      track(task).forEach(p -> wanted.put(p.name(), p));
    }
    // Unreachable tasks may come back with their agent: keep their ports for the grace period.
    for (Protos.Task task : t.getUnreachableTasksList()) {
      track(task).forEach(p -> wanted.put(p.name(), p));
      scheduleUnreachable(key(task.getFrameworkId(), task.getTaskId()));
    }
    Set<String> activeAgents = new HashSet<>();
    state.getGetAgents().getAgentsList().forEach(a -> activeAgents.add(a.getAgentInfo().getId().getValue()));
    LOG.info("Snapshot: {} tasks, {} with OVN interfaces ({} ports), {} agents", t.getTasksCount(), tasks.size(),
        wanted.size(), activeAgents.size());
    reconciler.reconcile(wanted, activeAgents, now, this::wants);
  }

  private synchronized List<WantedPort> track(Protos.Task task) {
    Protos.ExecutorInfo executor = null;
    if (task.hasExecutorId()) {
      String key = task.getFrameworkId().getValue() + "/" + task.getExecutorId().getValue();
      executor = executors.get(key);
      if (executor == null) {
        // Executors (a pod's networks) appear in snapshots only, never in events: ask the master.
        refreshExecutors();
        executor = executors.get(key);
      }
    }
    List<WantedPort> ports = networks.of(task, executor, principals.getOrDefault(task.getFrameworkId().getValue(), ""));
    String key = key(task.getFrameworkId(), task.getTaskId());
    forget(tasks.remove(key));
    if (!ports.isEmpty()) {
      tasks.put(key, ports);
      ports.forEach(p -> wanters.merge(p.name(), 1, Integer::sum));
    }
    return ports;
  }

  private void refreshExecutors() {
    try {
      for (var x : executorsOfMaster.get().getExecutorsList()) {
        executors.put(x.getExecutorInfo().getFrameworkId().getValue() + "/" + x.getExecutorInfo().getExecutorId().getValue(),
            x.getExecutorInfo());
      }
    } catch (RuntimeException e) {
      LOG.warn("GET_EXECUTORS failed; a pod's networks stay unknown until the next snapshot: {}", e.getMessage());
    }
  }

  /** Drops a task's claim on its ports; returns those no live task wants any more. */
  private List<WantedPort> forget(List<WantedPort> ports) {
    List<WantedPort> unwanted = new java.util.ArrayList<>();
    if (ports != null) {
      for (WantedPort p : ports) {
        if (wanters.merge(p.name(), -1, Integer::sum) <= 0) {
          wanters.remove(p.name());
          unwanted.add(p);
        }
      }
    }
    return unwanted;
  }

  private void added(Protos.Task task, long now) {
    for (WantedPort p : track(task)) {
      writer.create(p, now);
    }
  }

  private void updated(Event.TaskUpdated u) {
    String key = key(u.getFrameworkId(), u.getStatus().getTaskId());
    Protos.TaskState state = u.getState();
    if (TaskStates.TERMINAL.contains(state)) {
      cancelUnreachable(key);
      release(key, state.name());
    } else if (state == Protos.TaskState.TASK_UNREACHABLE) {
      scheduleUnreachable(key);
    } else {
      cancelUnreachable(key);
    }
  }

  private synchronized void release(String key, String why) {
    for (WantedPort p : forget(tasks.remove(key))) {
      writer.delete(p.name(), why);
    }
  }

  private void scheduleUnreachable(String key) {
    unreachable.computeIfAbsent(key, k -> timers.schedule(() -> {
      unreachable.remove(k);
      LOG.info("Task {} stayed unreachable for {}; deleting its ports", k, unreachableGrace);
      release(k, "unreachable for " + unreachableGrace);
    }, unreachableGrace.toMillis(), TimeUnit.MILLISECONDS));
  }

  private void cancelUnreachable(String key) {
    ScheduledFuture<?> f = unreachable.remove(key);
    if (f != null) {
      f.cancel(false);
    }
  }

  private synchronized void agentRemoved(String agentId) {
    for (var entry : List.copyOf(tasks.entrySet())) {
      if (!entry.getValue().isEmpty() && entry.getValue().get(0).agentId().equals(agentId)) {
        release(entry.getKey(), "agent " + agentId + " removed");
      }
    }
  }

  /** Ends pending timers (this replica stops leading). */
  public void stop() {
    unreachable.values().forEach(f -> f.cancel(false));
    unreachable.clear();
  }

  private static String key(Protos.FrameworkID f, Protos.TaskID t) {
    return f.getValue() + "/" + t.getValue();
  }

  @Override
  public void onDisconnected(String why) {
    subscribed.accept(false);
  }
}
