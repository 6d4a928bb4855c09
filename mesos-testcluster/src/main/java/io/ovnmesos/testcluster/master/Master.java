package io.ovnmesos.testcluster.master;

import io.ovnmesos.testcluster.agent.Agent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Event;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * A Mesos master's state and operator events, as Mesos 1.11 keeps them: agents, frameworks, tasks
 * (active and completed); TASK_ADDED is published to subscribers before the agent is even handed
 * the task (Master::_accept adds the task, then sends RunTaskMessage); TASK_UPDATED carries the
 * status received and the task's latest state. Subscribers get a consistent snapshot: events are
 * published under the same lock that the snapshot is taken with.
 */
public final class Master {
  private static final Set<Protos.TaskState> TERMINAL = Set.of(Protos.TaskState.TASK_FINISHED,
      Protos.TaskState.TASK_FAILED, Protos.TaskState.TASK_KILLED, Protos.TaskState.TASK_LOST, Protos.TaskState.TASK_ERROR,
      Protos.TaskState.TASK_DROPPED, Protos.TaskState.TASK_GONE, Protos.TaskState.TASK_GONE_BY_OPERATOR);

  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private final Map<String, Protos.AgentInfo> agentInfos = new LinkedHashMap<>();
  private final Map<String, Protos.FrameworkInfo> frameworks = new LinkedHashMap<>();
  private final Map<String, Protos.Task> tasks = new LinkedHashMap<>();
  private final List<Protos.Task> completed = new ArrayList<>();
  private final Map<String, Protos.Task> unreachable = new LinkedHashMap<>();
  private final List<Response.GetExecutors.Executor> executors = new ArrayList<>();
  private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
  // The agent runs tasks after the master's turn ends, as RunTaskMessage is handled by another actor.
  private final ExecutorService agentSide = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "agent-runner");
    t.setDaemon(true);
    return t;
  });
  private int frameworkCount;

  /** Registers an agent (AGENT_ADDED). */
  public synchronized void addAgent(Agent agent, String hostname) {
    agents.put(agent.id().getValue(), agent);
    Protos.AgentInfo info = Protos.AgentInfo.newBuilder().setId(agent.id()).setHostname(hostname).build();
    agentInfos.put(agent.id().getValue(), info);
    publish(Event.newBuilder().setType(Event.Type.AGENT_ADDED).setAgentAdded(Event.AgentAdded.newBuilder()
        .setAgent(agentOf(info))).build());
  }

  /**
   * Registers an agent that runs nothing (AGENT_ADDED): its tasks stay STAGING until killed. For
   * benchmarks and tests of what the master announces, at a scale real containers cannot reach.
   */
  public synchronized void addIdleAgent(Protos.AgentID id, String hostname) {
    Protos.AgentInfo info = Protos.AgentInfo.newBuilder().setId(id).setHostname(hostname).build();
    agentInfos.put(id.getValue(), info);
    publish(Event.newBuilder().setType(Event.Type.AGENT_ADDED).setAgentAdded(Event.AgentAdded.newBuilder()
        .setAgent(agentOf(info))).build());
  }

  /** Registers a framework and returns its id (FRAMEWORK_ADDED). */
  public synchronized Protos.FrameworkID addFramework(Protos.FrameworkInfo info) {
    Protos.FrameworkID id = Protos.FrameworkID.newBuilder().setValue("test-master-" + String.format("%04d", frameworkCount++)).build();
    Protos.FrameworkInfo withId = info.toBuilder().setId(id).build();
    frameworks.put(id.getValue(), withId);
    publish(Event.newBuilder().setType(Event.Type.FRAMEWORK_ADDED).setFrameworkAdded(Event.FrameworkAdded.newBuilder()
        .setFramework(frameworkOf(withId))).build());
    return id;
  }

  /**
   * Launches {@code task} of {@code framework} on its agent, as an ACCEPT with a LAUNCH operation does:
   * the task is added (TASK_STAGING, TASK_ADDED to subscribers) before the agent gets it.
   */
  public void launch(Protos.FrameworkID framework, Protos.TaskInfo task) {
    Agent agent;
    synchronized (this) {
      agent = agents.get(task.getAgentId().getValue());
      if (!agentInfos.containsKey(task.getAgentId().getValue())) {
        throw new IllegalArgumentException("unknown agent " + task.getAgentId().getValue());
      }
      Protos.Task.Builder t = Protos.Task.newBuilder().setName(task.getName()).setTaskId(task.getTaskId())
          .setFrameworkId(framework).setAgentId(task.getAgentId()).setState(Protos.TaskState.TASK_STAGING)
          .addAllResources(task.getResourcesList());
      if (task.hasExecutor()) {
        t.setExecutorId(task.getExecutor().getExecutorId());
      }
      if (task.hasContainer()) {
        t.setContainer(task.getContainer());
      }
      if (task.hasLabels()) {
        t.setLabels(task.getLabels());
      }
      Protos.Task added = t.build();
      tasks.put(task.getTaskId().getValue(), added);
      publish(Event.newBuilder().setType(Event.Type.TASK_ADDED).setTaskAdded(Event.TaskAdded.newBuilder().setTask(added)).build());
    }
    if (agent != null) {
      agentSide.execute(() -> agent.launch(framework, task, status -> update(framework, status)));
    }
  }

  /**
   * Launches a task group (a pod) with its executor, as ACCEPT with LAUNCH_GROUP does: the executor
   * is added (visible in GET_EXECUTORS and snapshots, never in events), then each task is added
   * (TASK_ADDED) with only its own container, not the executor's networks. The pod is not run: an
   * agent of this cluster runs command tasks only.
   */
  public synchronized void launchGroup(Protos.FrameworkID framework, Protos.ExecutorInfo executor, List<Protos.TaskInfo> group) {
    Protos.ExecutorInfo withFramework = executor.toBuilder().setFrameworkId(framework).build();
    executors.add(Response.GetExecutors.Executor.newBuilder().setExecutorInfo(withFramework)
        .setAgentId(group.get(0).getAgentId()).build());
    for (Protos.TaskInfo task : group) {
      Protos.Task.Builder t = Protos.Task.newBuilder().setName(task.getName()).setTaskId(task.getTaskId())
          .setFrameworkId(framework).setAgentId(task.getAgentId()).setState(Protos.TaskState.TASK_STAGING)
          .setExecutorId(executor.getExecutorId()).addAllResources(task.getResourcesList());
      if (task.hasContainer()) {
        t.setContainer(task.getContainer());
      }
      Protos.Task added = t.build();
      tasks.put(task.getTaskId().getValue(), added);
      publish(Event.newBuilder().setType(Event.Type.TASK_ADDED).setTaskAdded(Event.TaskAdded.newBuilder().setTask(added)).build());
    }
  }

  /** GET_EXECUTORS. */
  public synchronized Response.GetExecutors getExecutors() {
    return Response.GetExecutors.newBuilder().addAllExecutors(executors).build();
  }

  /** True if the framework is registered (subscribed now, or within its failover timeout). */
  public synchronized boolean hasFramework(Protos.FrameworkID id) {
    return frameworks.containsKey(id.getValue());
  }

  /** Re-registers a known framework (FRAMEWORK_UPDATED), keeping its id. */
  public synchronized void updateFramework(Protos.FrameworkInfo info) {
    frameworks.put(info.getId().getValue(), info);
    publish(Event.newBuilder().setType(Event.Type.FRAMEWORK_UPDATED).setFrameworkUpdated(Event.FrameworkUpdated.newBuilder()
        .setFramework(frameworkOf(info))).build());
  }

  /**
   * Removes a framework (TEARDOWN, or its failover timeout passed): its tasks are killed and
   * FRAMEWORK_REMOVED is published.
   */
  public void removeFramework(Protos.FrameworkID id) {
    List<Protos.TaskID> toKill = new ArrayList<>();
    Protos.FrameworkInfo info;
    synchronized (this) {
      info = frameworks.remove(id.getValue());
      if (info == null) {
        return;
      }
      tasks.values().stream().filter(t -> t.getFrameworkId().equals(id)).forEach(t -> toKill.add(t.getTaskId()));
      publish(Event.newBuilder().setType(Event.Type.FRAMEWORK_REMOVED).setFrameworkRemoved(Event.FrameworkRemoved.newBuilder()
          .setFrameworkInfo(info)).build());
    }
    toKill.forEach(this::kill);
  }

  /** Asks the task's agent to kill it; an idle agent's task is killed at once (TASK_KILLED). */
  public void kill(Protos.TaskID taskId) {
    Agent agent;
    Protos.Task t;
    synchronized (this) {
      t = tasks.get(taskId.getValue());
      if (t == null) {
        return;
      }
      agent = agents.get(t.getAgentId().getValue());
      if (agent == null) {
        update(t.getFrameworkId(), Protos.TaskStatus.newBuilder().setTaskId(taskId).setState(Protos.TaskState.TASK_KILLED)
            .setSource(Protos.TaskStatus.Source.SOURCE_AGENT).setAgentId(t.getAgentId())
            .setTimestamp(System.currentTimeMillis() / 1000.0).build());
        return;
      }
    }
    agent.kill(taskId);
  }

  /**
   * The agent stops answering and is marked unreachable: its tasks become TASK_UNREACHABLE (the
   * master's update, for partition-aware frameworks such as Marathon). As in Mesos, there is no
   * AGENT_REMOVED for an unreachable agent.
   */
  public void agentUnreachable(Protos.AgentID agent) {
    fromMaster(agent, Protos.TaskState.TASK_UNREACHABLE, Protos.TaskStatus.Reason.REASON_AGENT_REMOVED, "Agent unreachable",
        tasks);
  }

  /** The operator marks an unreachable agent gone (MARK_AGENT_GONE): its tasks become TASK_GONE_BY_OPERATOR. */
  public void agentGone(Protos.AgentID agent) {
    fromMaster(agent, Protos.TaskState.TASK_GONE_BY_OPERATOR, Protos.TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR,
        "Agent marked gone by operator", unreachable);
  }

  private synchronized void fromMaster(Protos.AgentID agent, Protos.TaskState state, Protos.TaskStatus.Reason reason,
      String message, Map<String, Protos.Task> from) {
    for (Protos.Task t : List.copyOf(from.values())) {
      if (t.getAgentId().equals(agent)) {
        update(t.getFrameworkId(), Protos.TaskStatus.newBuilder().setTaskId(t.getTaskId()).setState(state).setAgentId(agent)
            .setSource(Protos.TaskStatus.Source.SOURCE_MASTER).setReason(reason).setMessage(message)
            .setTimestamp(System.currentTimeMillis() / 1000.0).build());
      }
    }
  }

  /** A status update from an agent: the task's state moves, subscribers get TASK_UPDATED. */
  synchronized void update(Protos.FrameworkID framework, Protos.TaskStatus status) {
    String id = status.getTaskId().getValue();
    Protos.Task t = tasks.containsKey(id) ? tasks.get(id) : unreachable.get(id);
    if (t == null) {
      return;
    }
    Protos.Task updated = t.toBuilder().setState(status.getState()).addStatuses(status).build();
    tasks.remove(id);
    unreachable.remove(id);
    if (TERMINAL.contains(status.getState())) {
      completed.add(updated);
    } else if (status.getState() == Protos.TaskState.TASK_UNREACHABLE) {
      unreachable.put(id, updated);
    } else {
      tasks.put(id, updated);
    }
    publish(Event.newBuilder().setType(Event.Type.TASK_UPDATED).setTaskUpdated(Event.TaskUpdated.newBuilder()
        .setFrameworkId(framework).setStatus(status).setState(updated.getState())).build());
  }

  /** GET_TASKS. */
  public synchronized Response.GetTasks getTasks() {
    return Response.GetTasks.newBuilder().addAllTasks(tasks.values()).addAllUnreachableTasks(unreachable.values())
        .addAllCompletedTasks(completed).build();
  }

  /** GET_STATE. */
  public synchronized Response.GetState getState() {
    Response.GetAgents.Builder a = Response.GetAgents.newBuilder();
    agentInfos.values().forEach(i -> a.addAgents(agentOf(i)));
    Response.GetFrameworks.Builder f = Response.GetFrameworks.newBuilder();
    frameworks.values().forEach(i -> f.addFrameworks(frameworkOf(i)));
    return Response.GetState.newBuilder().setGetTasks(getTasks()).setGetExecutors(getExecutors())
        .setGetFrameworks(f).setGetAgents(a).build();
  }

  /**
   * Subscribes to operator events: {@code sink} first receives SUBSCRIBED with the snapshot, then
   * every event, with nothing missed in between. Returns a handle that unsubscribes.
   */
  public synchronized Runnable subscribe(Consumer<Event> sink, double heartbeatSeconds) {
    sink.accept(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setGetState(getState()).setHeartbeatIntervalSeconds(heartbeatSeconds)).build());
    subscribers.add(sink);
    return () -> subscribers.remove(sink);
  }

  private void publish(Event e) {
    for (Consumer<Event> s : subscribers) {
      s.accept(e);
    }
  }

  private static Response.GetAgents.Agent agentOf(Protos.AgentInfo info) {
    return Response.GetAgents.Agent.newBuilder().setAgentInfo(info).setActive(true).setVersion("1.11.0").build();
  }

  private static Response.GetFrameworks.Framework frameworkOf(Protos.FrameworkInfo info) {
    return Response.GetFrameworks.Framework.newBuilder().setFrameworkInfo(info).setActive(true).setConnected(true)
        .setRecovered(false).build();
  }
}
