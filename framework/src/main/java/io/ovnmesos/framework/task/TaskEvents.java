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
  private final Runnable onSubscribed;
  private final Map<String, String> principals = new HashMap<>();
  private final Map<String, Protos.ExecutorInfo> executors = new HashMap<>();
  /** Live tasks' ports, by framework/task. */
  private final Map<String, List<WantedPort>> tasks = new ConcurrentHashMap<>();
  private final Set<String> wantedNames = ConcurrentHashMap.newKeySet();
  private final Map<String, ScheduledFuture<?>> unreachable = new ConcurrentHashMap<>();
  private volatile Subscriber<Event> subscriber;

  public TaskEvents(TaskNetworks networks, PortWriter writer, Reconciler reconciler, ScheduledExecutorService timers,
      Duration unreachableGrace, Runnable onSubscribed) {
    this.networks = networks;
    this.writer = writer;
    this.reconciler = reconciler;
    this.timers = timers;
    this.unreachableGrace = unreachableGrace;
    this.onSubscribed = onSubscribed;
  }

  /** The subscriber this handler serves, to pass the heartbeat interval on. */
  public void attach(Subscriber<Event> s) {
    this.subscriber = s;
  }

  /** True if a live task still wants the port named {@code name}. */
  public boolean wants(String name) {
    return wantedNames.contains(name);
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
        onSubscribed.run();
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

  private void snapshot(Response.GetState state, long now) {
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
    wantedNames.clear();
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

  private List<WantedPort> track(Protos.Task task) {
    Protos.ExecutorInfo executor = task.hasExecutorId()
        ? executors.get(task.getFrameworkId().getValue() + "/" + task.getExecutorId().getValue()) : null;
    List<WantedPort> ports = networks.of(task, executor, principals.getOrDefault(task.getFrameworkId().getValue(), ""));
    if (!ports.isEmpty()) {
      tasks.put(key(task.getFrameworkId(), task.getTaskId()), ports);
      ports.forEach(p -> wantedNames.add(p.name()));
    }
    return ports;
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

  private void release(String key, String why) {
    List<WantedPort> ports = tasks.remove(key);
    if (ports == null) {
      return;
    }
    for (WantedPort p : ports) {
      wantedNames.remove(p.name());
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

  private void agentRemoved(String agentId) {
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
}
