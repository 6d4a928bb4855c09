package io.ovnmesos.testcluster.master;

import io.ovnmesos.testcluster.agent.Agent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
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
  /** Updates from agents not yet re-registered after a failover, sent on when they are. */
  private final Map<String, List<Map.Entry<Protos.FrameworkID, Protos.TaskStatus>>> updatesOnRecoveredAgents = new HashMap<>();
  private final Map<String, Protos.Task> tasks = new LinkedHashMap<>();
  private final List<Protos.Task> completed = new ArrayList<>();
  private final Map<String, Protos.Task> unreachable = new LinkedHashMap<>();
  private final List<Response.GetExecutors.Executor> executors = new ArrayList<>();
  private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<Protos.FrameworkID, Protos.TaskStatus>> statusSinks = new CopyOnWriteArrayList<>();
  private final List<Runnable> failoverListeners = new CopyOnWriteArrayList<>();
  /** Frameworks removed (TEARDOWN, failover timeout): they may not subscribe again. */
  private final Set<String> removedFrameworks = new java.util.HashSet<>();
  /** After a failover: agents the registry lists that have not re-registered yet, with what they run. */
  private final Map<String, Protos.AgentInfo> recoveredAgents = new LinkedHashMap<>();
  private final Map<String, List<Protos.Task>> tasksOnRecoveredAgents = new LinkedHashMap<>();
  private final Map<String, List<Response.GetExecutors.Executor>> executorsOnRecoveredAgents = new LinkedHashMap<>();
  private final double startTime = System.currentTimeMillis() / 1000.0;
  private volatile double electedTime = startTime;
  private volatile String masterId = UUID.randomUUID().toString();
  private volatile String hostname = "127.0.0.1";
  private volatile int port = 5050;
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
      addTask(framework, task, task.hasExecutor() ? task.getExecutor().getExecutorId() : null);
      if (agent != null && frameworks.containsKey(framework.getValue())) {
        agent.frameworkAdded(frameworks.get(framework.getValue()));
      }
    }
    if (agent != null) {
      agentSide.execute(() -> agent.launch(framework, task, status -> update(framework, status)));
    }
  }

  /**
   * Launches a task group (a pod) with its executor, as ACCEPT with LAUNCH_GROUP does: the executor
   * is added (visible in GET_EXECUTORS and snapshots, never in events), then each task is added
   * (TASK_ADDED) with only its own container, not the executor's networks; then the agent runs it.
   */
  public void launchGroup(Protos.FrameworkID framework, Protos.ExecutorInfo executor, List<Protos.TaskInfo> group) {
    Protos.ExecutorInfo withFramework = executor.toBuilder().setFrameworkId(framework).build();
    Agent agent;
    synchronized (this) {
      Protos.AgentID agentId = group.get(0).getAgentId();
      if (!agentInfos.containsKey(agentId.getValue())) {
        throw new IllegalArgumentException("unknown agent " + agentId.getValue());
      }
      agent = agents.get(agentId.getValue());
      executors.add(Response.GetExecutors.Executor.newBuilder().setExecutorInfo(withFramework).setAgentId(agentId).build());
      for (Protos.TaskInfo task : group) {
        addTask(framework, task, executor.getExecutorId());
      }
      if (agent != null && frameworks.containsKey(framework.getValue())) {
        agent.frameworkAdded(frameworks.get(framework.getValue()));
      }
    }
    if (agent != null) {
      agentSide.execute(() -> agent.launchGroup(framework, withFramework, group, status -> update(framework, status)));
    }
  }


  /**
   * A framework's SUBSCRIBE: one with the id of a framework this master knows is re-registered
   * (FRAMEWORK_UPDATED); one with an id this master has not seen (it failed over since) is added
   * under that id, as Mesos re-admits it; a new one gets an id (FRAMEWORK_ADDED). A removed
   * framework may not come back: the answer is empty, and the scheduler API sends ERROR.
   */
  public synchronized java.util.Optional<Protos.FrameworkID> subscribeFramework(Protos.FrameworkInfo info) {
    if (!info.hasId()) {
      return java.util.Optional.of(addFramework(info));
    }
    if (removedFrameworks.contains(info.getId().getValue())) {
      return java.util.Optional.empty();
    }
    if (frameworks.containsKey(info.getId().getValue())) {
      updateFramework(info);
    } else {
      frameworks.put(info.getId().getValue(), info);
      publish(Event.newBuilder().setType(Event.Type.FRAMEWORK_ADDED).setFrameworkAdded(Event.FrameworkAdded.newBuilder()
          .setFramework(frameworkOf(info))).build());
    }
    return java.util.Optional.of(info.getId());
  }

  /** The framework's registered info, if this master knows it. */
  public synchronized java.util.Optional<Protos.FrameworkInfo> framework(Protos.FrameworkID id) {
    return java.util.Optional.ofNullable(frameworks.get(id.getValue()));
  }

  /** Where the scheduler API sends a framework its own tasks' status updates (UPDATE events). */
  public void onStatus(BiConsumer<Protos.FrameworkID, Protos.TaskStatus> sink) {
    statusSinks.add(sink);
  }

  /** Called when this master fails over, after its state is reset: every stream must end. */
  public void onFailover(Runnable listener) {
    failoverListeners.add(listener);
  }

  /** Where this master says it is (MasterInfo): set by the server that serves it. */
  public void advertise(String hostname, int port) {
    this.hostname = hostname;
    this.port = port;
  }

  /** MasterInfo, as SUBSCRIBED and GET_MASTER carry it. */
  public Protos.MasterInfo info() {
    int ip = 0;
    try {
      byte[] b = java.net.InetAddress.getByName(hostname).getAddress();
      if (b.length == 4) {
        // MasterInfo.ip is the IPv4 address in network order, read as a little-endian uint32.
        ip = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
      }
    } catch (java.net.UnknownHostException e) {
      // left 0, as for a master without an IPv4 address
    }
    return Protos.MasterInfo.newBuilder().setId(masterId).setIp(ip).setPort(port).setHostname(hostname)
        .setAddress(Protos.Address.newBuilder().setHostname(hostname).setIp(hostname).setPort(port)).setVersion("1.11.0")
        .build();
  }

  /** GET_MASTER. */
  public Response.GetMaster getMaster() {
    return Response.GetMaster.newBuilder().setMasterInfo(info()).setStartTime(startTime).setElectedTime(electedTime).build();
  }

  /** GET_AGENTS: registered agents, and after a failover those the registry lists that have not re-registered. */
  public synchronized Response.GetAgents getAgents() {
    Response.GetAgents.Builder a = Response.GetAgents.newBuilder();
    agentInfos.values().forEach(i -> a.addAgents(agentOf(i)));
    recoveredAgents.values().forEach(a::addRecoveredAgents);
    return a.build();
  }

  /** GET_FRAMEWORKS. */
  public synchronized Response.GetFrameworks getFrameworks() {
    Response.GetFrameworks.Builder f = Response.GetFrameworks.newBuilder();
    frameworks.values().forEach(i -> f.addFrameworks(frameworkOf(i)));
    return f.build();
  }

  /**
   * This master loses leadership and is elected again, as a new master process would be: it keeps
   * only what Mesos keeps in its registry (which agents were admitted). Every event and scheduler
   * stream ends. Frameworks must subscribe again; agents must re-register
   * ({@link #reregisterAgent}), and only then are their tasks known again, each announced anew with
   * TASK_ADDED. Until then the agents are listed as recovered, not as agents.
   */
  public void failover() {
    List<Consumer<Event>> closing;
    synchronized (this) {
      masterId = UUID.randomUUID().toString();
      electedTime = System.currentTimeMillis() / 1000.0;
      for (Protos.AgentInfo info : agentInfos.values()) {
        String id = info.getId().getValue();
        recoveredAgents.put(id, info);
        List<Protos.Task> held = new ArrayList<>();
        tasks.values().stream().filter(t -> t.getAgentId().equals(info.getId())).forEach(held::add);
        unreachable.values().stream().filter(t -> t.getAgentId().equals(info.getId())).forEach(held::add);
        tasksOnRecoveredAgents.put(id, held);
        executorsOnRecoveredAgents.put(id, executors.stream().filter(e -> e.getAgentId().equals(info.getId())).toList());
      }
      agentInfos.clear();
      tasks.clear();
      unreachable.clear();
      completed.clear();
      executors.clear();
      frameworks.clear();
      closing = List.copyOf(subscribers);
      subscribers.clear();
    }
    closing.forEach(s -> s.accept(END_OF_STREAM));
    failoverListeners.forEach(Runnable::run);
  }

  /**
   * An agent re-registers with the master after a failover: AGENT_ADDED, then TASK_ADDED for each of
   * its tasks in its current state (with the statuses it had).
   */
  public synchronized void reregisterAgent(Protos.AgentID agent) {
    Protos.AgentInfo info = recoveredAgents.remove(agent.getValue());
    if (info == null) {
      throw new IllegalArgumentException("agent " + agent.getValue() + " is not waiting to re-register");
    }
    agentInfos.put(agent.getValue(), info);
    publish(Event.newBuilder().setType(Event.Type.AGENT_ADDED).setAgentAdded(Event.AgentAdded.newBuilder()
        .setAgent(agentOf(info))).build());
    executors.addAll(executorsOnRecoveredAgents.remove(agent.getValue()));
    for (Protos.Task t : tasksOnRecoveredAgents.remove(agent.getValue())) {
      if (TERMINAL.contains(t.getState())) {
        completed.add(t);
        continue;
      }
      tasks.put(t.getTaskId().getValue(), t);
      publish(Event.newBuilder().setType(Event.Type.TASK_ADDED).setTaskAdded(Event.TaskAdded.newBuilder().setTask(t)).build());
    }
    // The agent sends again the updates nobody acknowledged while it was away, as a real agent retries them.
    for (Map.Entry<Protos.FrameworkID, Protos.TaskStatus> u : updatesOnRecoveredAgents.getOrDefault(agent.getValue(), List.of())) {
      statusSinks.forEach(sink -> sink.accept(u.getKey(), u.getValue()));
    }
    updatesOnRecoveredAgents.remove(agent.getValue());
  }

  /** Every agent still waiting after a failover re-registers. */
  public synchronized void reregisterAgents() {
    for (String id : List.copyOf(recoveredAgents.keySet())) {
      reregisterAgent(Protos.AgentID.newBuilder().setValue(id).build());
    }
  }

  /** The event a subscriber's stream gets when the master ends it. */
  public static final Event END_OF_STREAM = Event.getDefaultInstance();

  /**
   * Master::addTask: the task as {@code mesos.v1.Task} (with copies of its labels, discovery info,
   * container and health check, not its command or executor), STAGING, announced with TASK_ADDED.
   */
  private void addTask(Protos.FrameworkID framework, Protos.TaskInfo task, Protos.ExecutorID executor) {
    Protos.Task.Builder t = Protos.Task.newBuilder().setName(task.getName()).setTaskId(task.getTaskId())
        .setFrameworkId(framework).setAgentId(task.getAgentId()).setState(Protos.TaskState.TASK_STAGING)
        .addAllResources(task.getResourcesList());
    if (executor != null) {
      t.setExecutorId(executor);
    }
    if (task.hasContainer()) {
      t.setContainer(task.getContainer());
    }
    if (task.hasLabels()) {
      t.setLabels(task.getLabels());
    }
    if (task.hasDiscovery()) {
      t.setDiscovery(task.getDiscovery());
    }
    if (task.hasHealthCheck()) {
      t.setHealthCheck(task.getHealthCheck());
    }
    Protos.Task added = t.build();
    tasks.put(task.getTaskId().getValue(), added);
    publish(Event.newBuilder().setType(Event.Type.TASK_ADDED).setTaskAdded(Event.TaskAdded.newBuilder().setTask(added)).build());
  }

  /** GET_EXECUTORS. */
  public synchronized Response.GetExecutors getExecutors() {
    return Response.GetExecutors.newBuilder().addAllExecutors(executors).build();
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
      removedFrameworks.add(id.getValue());
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

  /**
   * The agent unregisters (a graceful shutdown) and the master removes it (Master::_removeSlave): its
   * tasks end first, TASK_GONE for partition-aware frameworks and TASK_LOST for others, then
   * AGENT_REMOVED is published. This is the only way an agent leaves with AGENT_REMOVED.
   */
  public synchronized void agentRemoved(Protos.AgentID agent) {
    if (agentInfos.remove(agent.getValue()) == null) {
      throw new IllegalArgumentException("unknown agent " + agent.getValue());
    }
    agents.remove(agent.getValue());
    for (Protos.Task t : List.copyOf(tasks.values())) {
      if (t.getAgentId().equals(agent)) {
        boolean partitionAware = java.util.Optional.ofNullable(frameworks.get(t.getFrameworkId().getValue()))
            .map(f -> f.getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE)).orElse(false);
        update(t.getFrameworkId(), Protos.TaskStatus.newBuilder().setTaskId(t.getTaskId()).setAgentId(agent)
            .setState(partitionAware ? Protos.TaskState.TASK_GONE : Protos.TaskState.TASK_LOST)
            .setSource(Protos.TaskStatus.Source.SOURCE_MASTER).setReason(Protos.TaskStatus.Reason.REASON_AGENT_REMOVED)
            .setMessage("Agent " + agent.getValue() + " removed").setTimestamp(System.currentTimeMillis() / 1000.0).build());
      }
    }
    publish(Event.newBuilder().setType(Event.Type.AGENT_REMOVED).setAgentRemoved(Event.AgentRemoved.newBuilder()
        .setAgentId(agent)).build());
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
      // The agent has not re-registered with this master yet: it keeps the update for then, as a real
      // agent retries unacknowledged updates.
      List<Protos.Task> held = tasksOnRecoveredAgents.get(status.getAgentId().getValue());
      if (held != null) {
        held.replaceAll(h -> h.getTaskId().equals(status.getTaskId()) ? h.toBuilder().setState(status.getState())
            .addStatuses(status).build() : h);
        updatesOnRecoveredAgents.computeIfAbsent(status.getAgentId().getValue(), k -> new ArrayList<>())
            .add(Map.entry(framework, status));
      }
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
    statusSinks.forEach(sink -> sink.accept(framework, status));
  }

  /** GET_TASKS. */
  public synchronized Response.GetTasks getTasks() {
    return Response.GetTasks.newBuilder().addAllTasks(tasks.values()).addAllUnreachableTasks(unreachable.values())
        .addAllCompletedTasks(completed).build();
  }

  /** GET_STATE. */
  public synchronized Response.GetState getState() {
    return Response.GetState.newBuilder().setGetTasks(getTasks()).setGetExecutors(getExecutors())
        .setGetFrameworks(getFrameworks()).setGetAgents(getAgents()).build();
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
