package io.ovnmesos.framework.task;

import com.google.protobuf.Message;
import io.ovnmesos.framework.dns.DesiredNames;
import io.ovnmesos.framework.mesos.MasterClient;
import io.ovnmesos.framework.mesos.Subscriber;
import io.ovnmesos.framework.port.PortWriter;
import io.ovnmesos.framework.port.WantedPort;
import io.ovnmesos.framework.reconcile.GracePeriods;
import io.ovnmesos.framework.reconcile.Reconciler;
import io.ovnmesos.topology.dns.DnsNames;
import java.io.InputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Event;
import org.apache.mesos.v1.master.Protos.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the master's operator event stream and keeps the {@link DesiredPorts} from it: every
 * SUBSCRIBED snapshot replaces the desired state and is reconciled against OVN; TASK_ADDED asks for
 * the task's ports; a terminal TASK_UPDATED deletes them; TASK_UNREACHABLE keeps them for a grace
 * period (the agent may come back) unless the task becomes LOST or GONE first; AGENT_REMOVED (an
 * agent that left for good) deletes its tasks'. Between snapshots, a resync reconciles again, so
 * that drift is repaired. Events are handled in order on an event thread of its own, never on the
 * stream's: reconciling and asking the master for executors may take seconds.
 */
public final class TaskEvents implements Subscriber.Handler<Event>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskEvents.class);

  /** Timing: how long unreachable tasks keep their ports, and how often the desired state is reconciled again. */
  public record Timing(Duration unreachableGrace, Duration resync) {}

  private final TaskNetworks networks;
  private final PortWriter writer;
  private final Reconciler reconciler;
  private final Timing timing;
  /** Told true on each SUBSCRIBED handled, false when the stream ends or breaks. */
  private final Consumer<Boolean> subscribed;
  private final Supplier<Response.GetExecutors> executorsOfMaster;
  private final ScheduledExecutorService thread;
  private final GracePeriods grace;
  private final DesiredPorts desired = new DesiredPorts();
  private final DesiredNames names = new DesiredNames();
  /** Tasks whose framework is not known yet, by framework: their Mesos task names, to name them once it is. */
  private final Map<String, Map<String, String>> unnamed = new HashMap<>();
  /** The domain tasks are named under; empty: tasks get no names. */
  private final Optional<String> domain;
  private final Map<String, Protos.FrameworkInfo> frameworks = new HashMap<>();
  private final Map<String, Protos.ExecutorInfo> executors = new HashMap<>();
  private final Set<String> activeAgents = new HashSet<>();
  private boolean snapshotSeen;
  private boolean inSnapshot;
  /** When the event being handled was received; -1 outside one. */
  private long eventNanos = -1;
  private volatile Subscriber<Event> subscriber;

  /**
   * @param thread the event thread (one thread): events, grace periods and resyncs all run there
   * @param grace grace periods on {@code thread}, shared with the reconciler
   * @param executorsOfMaster asks the master for GET_EXECUTORS
   */
  public TaskEvents(TaskNetworks networks, PortWriter writer, Reconciler reconciler, ScheduledExecutorService thread,
      GracePeriods grace, Timing timing, Consumer<Boolean> subscribed, Supplier<Response.GetExecutors> executorsOfMaster,
      Optional<String> domain) {
    this.networks = networks;
    this.domain = domain;
    this.writer = writer;
    this.reconciler = reconciler;
    this.thread = thread;
    this.grace = grace;
    this.timing = timing;
    this.subscribed = subscribed;
    this.executorsOfMaster = executorsOfMaster;
    if (!timing.resync().isZero()) {
      long every = timing.resync().toMillis();
      thread.scheduleWithFixedDelay(this::resync, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** A single-thread executor to pass as the event thread. */
  public static ScheduledExecutorService eventThread() {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "task-events");
      t.setDaemon(true);
      return t;
    });
  }

  /** The subscriber this handler serves, to pass the heartbeat interval on. */
  public void attach(Subscriber<Event> s) {
    this.subscriber = s;
  }

  /** True if a live task still wants the port named {@code name}; on the event thread only. */
  public boolean wants(String name) {
    return desired.wants(name);
  }

  @Override
  public Message subscribeCall() {
    return Call.newBuilder().setType(Call.Type.SUBSCRIBE).build();
  }

  @Override
  public void onEvent(Event e, MasterClient.Answer<InputStream> subscription) {
    long now = System.nanoTime();
    if (e.getType() == Event.Type.SUBSCRIBED && subscriber != null && e.getSubscribed().hasHeartbeatIntervalSeconds()) {
      subscriber.heartbeatInterval(Duration.ofMillis((long) (e.getSubscribed().getHeartbeatIntervalSeconds() * 1000)));
    }
    if (e.getType() != Event.Type.HEARTBEAT) {
      submit(() -> handle(e, now));
    }
  }

  private void submit(Runnable r) {
    try {
      thread.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      // this replica stopped leading: the next leader starts from a snapshot
    }
  }

  private void handle(Event e, long now) {
    eventNanos = now;
    try {
      switch (e.getType()) {
        case SUBSCRIBED -> {
          snapshot(e.getSubscribed().getGetState(), now);
          subscribed.accept(true);
        }
        case TASK_ADDED -> added(e.getTaskAdded().getTask(), now);
        case TASK_UPDATED -> updated(e.getTaskUpdated());
        case FRAMEWORK_ADDED -> framework(e.getFrameworkAdded().getFramework().getFrameworkInfo());
        case FRAMEWORK_UPDATED -> framework(e.getFrameworkUpdated().getFramework().getFrameworkInfo());
        case AGENT_ADDED -> activeAgents.add(e.getAgentAdded().getAgent().getAgentInfo().getId().getValue());
        case AGENT_REMOVED -> agentRemoved(e.getAgentRemoved().getAgentId().getValue());
        default -> {
          // FRAMEWORK_REMOVED: its tasks' updates follow
        }
      }
    } catch (RuntimeException x) {
      LOG.error("Handling a {} event failed", e.getType(), x);
    } finally {
      eventNanos = -1;
    }
  }

  private void framework(Protos.FrameworkInfo info) {
    frameworks.put(info.getId().getValue(), info);
    Map<String, String> waiting = unnamed.remove(info.getId().getValue());
    if (waiting != null && domain.isPresent()) {
      waiting.forEach((task, taskName) -> DnsNames.task(taskName, info.getName(), domain.get())
          .ifPresent(name -> publish(names.rename(task, name))));
    }
  }

  private void snapshot(Response.GetState state, long now) {
    inSnapshot = true;
    try {
      readSnapshot(state, now);
    } finally {
      inSnapshot = false;
    }
  }

  private void readSnapshot(Response.GetState state, long now) {
    // Grace periods start again from what this snapshot says is unreachable.
    grace.cancelAll();
    frameworks.clear();
    executors.clear();
    state.getGetFrameworks().getFrameworksList().forEach(f -> framework(f.getFrameworkInfo()));
    state.getGetFrameworks().getCompletedFrameworksList().forEach(f -> framework(f.getFrameworkInfo()));
    for (var x : state.getGetExecutors().getExecutorsList()) {
      executors.put(executorKey(x.getExecutorInfo().getFrameworkId(), x.getExecutorInfo().getExecutorId()),
          x.getExecutorInfo());
    }
    desired.clear();
    names.clear();
    unnamed.clear();
    Response.GetTasks t = state.getGetTasks();
    t.getTasksList().forEach(this::track);
    // Unreachable tasks may come back with their agent: keep their ports for the grace period.
    for (Protos.Task task : t.getUnreachableTasksList()) {
      track(task);
      unreachable(key(task.getFrameworkId(), task.getTaskId()));
    }
    activeAgents.clear();
    state.getGetAgents().getAgentsList().forEach(a -> activeAgents.add(a.getAgentInfo().getId().getValue()));
    snapshotSeen = true;
    Map<String, WantedPort> wanted = desired.all();
    LOG.info("Snapshot: {} tasks, {} with OVN interfaces ({} ports), {} agents", t.getTasksCount(), desired.tasks(),
        wanted.size(), activeAgents.size());
    reconciler.reconcile(wanted, Set.copyOf(activeAgents), now, desired::wants);
    domain.ifPresent(d -> reconciler.reconcileNames(names.all()));
  }

  /** Reconciles the desired state as the events left it, so that ports changed by hand are repaired. */
  private void resync() {
    if (!snapshotSeen) {
      return;
    }
    try {
      reconciler.reconcile(desired.all(), Set.copyOf(activeAgents), System.nanoTime(), desired::wants);
      domain.ifPresent(d -> reconciler.reconcileNames(names.all()));
    } catch (RuntimeException e) {
      LOG.warn("Resync failed; the next one tries again: {}", e.getMessage());
    }
  }

  /** Records the task's ports in the desired state; deletes those it no longer has. */
  private List<WantedPort> track(Protos.Task task) {
    Protos.ExecutorInfo executor = null;
    if (task.hasExecutorId()) {
      String key = executorKey(task.getFrameworkId(), task.getExecutorId());
      executor = executors.get(key);
      if (executor == null) {
        // Executors (a pod's networks) appear in snapshots only, never in events: ask the master.
        refreshExecutors();
        executor = executors.get(key);
      }
    }
    Protos.FrameworkInfo framework = frameworks.get(task.getFrameworkId().getValue());
    List<WantedPort> ports = networks.of(task, executor, framework);
    String key = key(task.getFrameworkId(), task.getTaskId());
    desired.track(key, ports).forEach(p -> writer.delete(p.name(), "its task no longer asks for it"));
    if (domain.isPresent() && !ports.isEmpty()) {
      boolean checked = task.hasHealthCheck();
      Optional<Boolean> healthy = task.getStatusesCount() == 0 ? Optional.empty()
          : lastHealth(task.getStatuses(task.getStatusesCount() - 1));
      // After a master fails over, tasks come back before their framework re-registers: such a task
      // is named once FRAMEWORK_ADDED tells its framework's name.
      String name = null;
      if (framework != null) {
        name = DnsNames.task(task.getName(), framework.getName(), domain.get()).orElse(null);
      } else {
        unnamed.computeIfAbsent(task.getFrameworkId().getValue(), k -> new HashMap<>()).put(key, task.getName());
      }
      publish(names.track(key, name, ports.stream().map(WantedPort::name).toList(), checked,
          TaskStates.serving(task.getState(), checked, healthy)));
    }
    return ports;
  }

  private static Optional<Boolean> lastHealth(Protos.TaskStatus s) {
    return s.hasHealthy() ? Optional.of(s.getHealthy()) : Optional.empty();
  }

  /** Writes the names whose ports changed; during a snapshot, reconciliation writes them all instead. */
  private void publish(Collection<String> changed) {
    if (!inSnapshot) {
      // From the event that changed them, or now when a grace period ended.
      long since = eventNanos >= 0 ? eventNanos : System.nanoTime();
      changed.forEach(n -> writer.names(n, names.ports(n), since));
    }
  }

  private void refreshExecutors() {
    try {
      for (var x : executorsOfMaster.get().getExecutorsList()) {
        executors.put(executorKey(x.getExecutorInfo().getFrameworkId(), x.getExecutorInfo().getExecutorId()),
            x.getExecutorInfo());
      }
    } catch (RuntimeException e) {
      LOG.warn("GET_EXECUTORS failed; a pod's networks stay unknown until the next snapshot: {}", e.getMessage());
    }
  }

  private void added(Protos.Task task, long now) {
    activeAgents.add(task.getAgentId().getValue());
    for (WantedPort p : track(task)) {
      writer.create(p, now);
    }
  }

  private void updated(Event.TaskUpdated u) {
    String key = key(u.getFrameworkId(), u.getStatus().getTaskId());
    Protos.TaskState state = u.getState();
    if (TaskStates.TERMINAL.contains(state)) {
      grace.cancel(taskGrace(key));
      release(key, state.name());
      return;
    }
    if (state == Protos.TaskState.TASK_UNREACHABLE) {
      unreachable(key);
    } else {
      grace.cancel(taskGrace(key));
    }
    publish(names.serves(key, TaskStates.serving(state, names.healthChecked(key), lastHealth(u.getStatus()))).stream().toList());
  }

  private void release(String key, String why) {
    // The name first: no one is sent to an address whose port is going.
    publish(names.forget(key).stream().toList());
    Optional.ofNullable(unnamed.get(key.substring(0, key.indexOf('/')))).ifPresent(m -> m.remove(key));
    desired.release(key).forEach(p -> writer.delete(p.name(), why));
  }

  private void unreachable(String key) {
    publish(names.serves(key, false).stream().toList());
    grace.start(taskGrace(key), timing.unreachableGrace(), () -> {
      LOG.info("Task {} stayed unreachable for {}; deleting its ports", key, timing.unreachableGrace());
      release(key, "unreachable for " + timing.unreachableGrace());
    });
  }

  private void agentRemoved(String agentId) {
    activeAgents.remove(agentId);
    for (String task : desired.tasksOn(agentId)) {
      release(task, "agent " + agentId + " removed");
    }
  }

  private static String taskGrace(String key) {
    return "task " + key;
  }

  private static String key(Protos.FrameworkID f, Protos.TaskID t) {
    return f.getValue() + "/" + t.getValue();
  }

  private static String executorKey(Protos.FrameworkID f, Protos.ExecutorID e) {
    return f.getValue() + "/" + e.getValue();
  }

  @Override
  public void onDisconnected(String why) {
    submit(() -> subscribed.accept(false));
  }

  /** Stops the event thread: grace periods and resyncs end with it (this replica stops leading). */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
