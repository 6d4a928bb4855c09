package io.ovnmesos.testcluster.agent;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Mesos agent running command tasks as the Mesos containerizer does, for tests and the demo: each
 * task's container gets a network namespace of its own, the {@link CniIsolator} attaches its named
 * networks before the command runs in it, and the agent reports the states a real agent reports
 * (STARTING and RUNNING with the container status, then FINISHED, FAILED or KILLING/KILLED), with
 * Mesos' messages; the container's networks are detached when it ends.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  /**
   * How long an executor has to reach its agent. Mesos allows a minute (--executor_registration_timeout);
   * a shorter wait keeps tests of unreachable agents quick, and is still ample on a loaded machine.
   */
  static final Duration EXECUTOR_REGISTRATION = Duration.ofSeconds(20);
  /** How long the agent's connection to a driver-based executor may take before it counts as failed. */
  static final Duration AGENT_LINK = Duration.ofSeconds(10);

  private final Protos.AgentID id;
  private final CniIsolator isolator;
  private final java.util.Optional<Path> workDir;
  private final java.util.Optional<AgentEndpoint> endpoint;
  /** Command tasks whose executor the agent could not reach: they stay in TASK_STAGING, as in Mesos. */
  private final Map<String, Stranded> stranded = new ConcurrentHashMap<>();
  /** For each command task whose driver-based executor the agent reached, the address the executor saw it come from. */
  private final Map<String, String> executorPeers = new ConcurrentHashMap<>();
  private final Map<String, Container> containers = new ConcurrentHashMap<>();
  /** Each running container's end: its command exited and its networks were detached. */
  private final Map<String, java.util.concurrent.CompletableFuture<Void>> ends = new ConcurrentHashMap<>();
  /** While the agent process is down: containers whose command ended, to clean up when it recovers. */
  private final List<Container> endedWhileDown = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean down;

  /** One task's container: the process holding its namespace, and the task's command. */
  private record Container(Protos.ContainerID id, Protos.TaskInfo task, Protos.FrameworkID framework,
      Protos.ExecutorID executor, Process holder, Process command, Consumer<Protos.TaskStatus> updates,
      Protos.ContainerStatus status, boolean[] killed, java.util.concurrent.atomic.AtomicInteger liveInContainer) {}

  /** A container whose executor registered but cannot be reached by the agent. */
  private record Stranded(Protos.ContainerID id, Process holder, DriverExecutor executor) {}

  /** The frameworks with tasks here, as the agent holds them (their FrameworkInfo). */
  private final Map<String, Protos.FrameworkInfo> frameworks = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.locks.ReentrantReadWriteLock launches = new java.util.concurrent.locks.ReentrantReadWriteLock();
  private volatile boolean shutDown;

  public Agent(Protos.AgentID id, CniIsolator isolator) {
    this(id, isolator, null);
  }

  /**
   * An agent with a {@code --work_dir}: as a real agent, it makes each executor's sandbox there
   * before it launches the container, which is what maps a container id to its framework and executor.
   */
  public Agent(Protos.AgentID id, CniIsolator isolator, Path workDir) {
    this(id, isolator, workDir, (AgentEndpoint) null);
  }

  /** An agent in this process' namespace at {@code endpoint} (ip:port), with Mesos' default executors; see below. */
  public Agent(Protos.AgentID id, CniIsolator isolator, Path workDir, String endpoint) {
    this(id, isolator, workDir, endpoint == null ? null : AgentEndpoint.parse(endpoint));
  }

  /**
   * An agent that also advertises {@code endpoint} ({@code MESOS_AGENT_ENDPOINT}). As in Mesos, each
   * task's executor runs inside the task's network namespace and must connect there before the task
   * starts; if it cannot, the executor exits and the task fails ("Executor terminated"). Something
   * must listen at the endpoint, as the agent's own HTTP server does. A command task's executor is
   * driver-based unless the endpoint says {@code --http_command_executor}: the agent then also
   * connects to it, from the endpoint's namespace, at the first IPv4 address of the container's
   * networks and the port it listens on; if that fails, the task stays in TASK_STAGING (Mesos marks
   * such an executor registered, so no registration timeout ends it, and what it sends to it is lost).
   * A task group's default executor always uses the HTTP API.
   */
  public Agent(Protos.AgentID id, CniIsolator isolator, Path workDir, AgentEndpoint endpoint) {
    this.id = id;
    this.isolator = isolator;
    this.workDir = java.util.Optional.ofNullable(workDir);
    this.endpoint = java.util.Optional.ofNullable(endpoint);
  }

  /** The agent's flags that an integration may ask for (GET_FLAGS), as Mesos names and prints them. */
  public Map<String, String> flags() {
    return Map.of("http_command_executor", Boolean.toString(endpoint.map(AgentEndpoint::httpCommandExecutor).orElse(false)));
  }

  /**
   * For a command task whose driver-based executor the agent reached: the address the executor saw
   * the agent's connection come from.
   */
  public java.util.Optional<String> executorPeer(Protos.TaskID task) {
    return java.util.Optional.ofNullable(executorPeers.get(task.getValue()));
  }

  /** The executor sandbox of a container, as Mesos lays it out under the work directory. */
  public static Path sandbox(Path workDir, Protos.AgentID agent, Protos.FrameworkID framework, Protos.ExecutorID executor,
      Protos.ContainerID container) {
    return workDir.resolve("slaves").resolve(agent.getValue()).resolve("frameworks").resolve(framework.getValue())
        .resolve("executors").resolve(executor.getValue()).resolve("runs").resolve(container.getValue());
  }

  public Protos.AgentID id() {
    return id;
  }

  /**
   * The master sends a framework's FrameworkInfo with its first task here. If the framework asks for
   * checkpointing, the agent keeps it, and each task's Task, under {@code <work_dir>/meta}, where the
   * executor hook reads roles and principals.
   */
  public void frameworkAdded(Protos.FrameworkInfo info) {
    frameworks.put(info.getId().getValue(), info);
  }

  /**
   * Launches a command task; status updates go to {@code updates} (from other threads). Returns the
   * container's id, or empty if the container failed to launch (a TASK_FAILED was sent).
   */
  public java.util.Optional<Protos.ContainerID> launch(Protos.FrameworkID framework, Protos.TaskInfo task,
      Consumer<Protos.TaskStatus> updates) {
    // A command task's executor id is its task id.
    return start(framework, Protos.ExecutorID.newBuilder().setValue(task.getTaskId().getValue()).build(),
        task.getContainer().getNetworkInfosList(), List.of(task), updates, false);
  }

  /**
   * Launches a task group (a pod) as the default executor runs it: one executor container, attached
   * to the executor's networks, and each task's command in that container's network namespace. Each
   * task's status carries a nested container id whose parent is the executor's container. The
   * networks are detached when the last task ends.
   */
  public java.util.Optional<Protos.ContainerID> launchGroup(Protos.FrameworkID framework, Protos.ExecutorInfo executor,
      List<Protos.TaskInfo> tasks, Consumer<Protos.TaskStatus> updates) {
    return start(framework, executor.getExecutorId(), executor.getContainer().getNetworkInfosList(), tasks, updates, true);
  }

  private java.util.Optional<Protos.ContainerID> start(Protos.FrameworkID framework, Protos.ExecutorID executor,
      List<Protos.NetworkInfo> networks, List<Protos.TaskInfo> tasks, Consumer<Protos.TaskStatus> updates, boolean group) {
    // Held for the whole launch: close() waits for launches under way, as Mesos' destroy waits for
    // isolation (a container's ADD) to finish, and then destroys what they started.
    launches.readLock().lock();
    try {
      if (shutDown) {
        tasks.forEach(t -> updates.accept(status(t, executor, Protos.TaskState.TASK_FAILED, Protos.TaskStatus.Source.SOURCE_AGENT,
            null, "Agent is shutting down", Protos.TaskStatus.Reason.REASON_AGENT_RESTARTED)));
        return java.util.Optional.empty();
      }
      return launch(framework, executor, networks, tasks, updates, group);
    } finally {
      launches.readLock().unlock();
    }
  }

  private java.util.Optional<Protos.ContainerID> launch(Protos.FrameworkID framework, Protos.ExecutorID executor,
      List<Protos.NetworkInfo> networks, List<Protos.TaskInfo> tasks, Consumer<Protos.TaskStatus> updates, boolean group) {
    Protos.ContainerID cid = Protos.ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).build();
    Consumer<String> failAll = message -> tasks.forEach(t -> updates.accept(status(t, executor, Protos.TaskState.TASK_FAILED,
        Protos.TaskStatus.Source.SOURCE_AGENT, null, message, message.equals("Executor terminated")
            ? Protos.TaskStatus.Reason.REASON_EXECUTOR_TERMINATED : Protos.TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED)));
    Process holder;
    try {
      // Framework::addExecutor makes the sandbox before the container is launched.
      if (workDir.isPresent()) {
        Files.createDirectories(sandbox(workDir.get(), id, framework, executor, cid));
        checkpoint(workDir.get(), framework, executor, cid, tasks);
      }
      holder = new ProcessBuilder("unshare", "--net", "--", "sleep", "infinity").start();
      waitForOwnNetns(holder);
    } catch (Exception e) {
      failAll.accept("Failed to launch container: " + e.getMessage());
      return java.util.Optional.empty();
    }
    Protos.ContainerStatus containerStatus;
    try {
      containerStatus = isolator.attach(cid, holder.pid(), networks);
    } catch (CniIsolator.CniFailure e) {
      holder.destroyForcibly();
      failAll.accept("Failed to launch container: Collect failed: " + e.getMessage());
      // The destroy path runs whenever a config was checkpointed: DEL follows a failed ADD.
      detachQuietly(cid);
      return java.util.Optional.empty();
    }
    if (endpoint.isPresent()) {
      AgentEndpoint ep = endpoint.get();
      boolean driver = !group && !ep.httpCommandExecutor();
      ExecutorReach reach = driver ? driverExecutor(cid, holder, containerStatus, ep, tasks.get(0))
          : executorConnects(holder, ep) ? ExecutorReach.REACHED : ExecutorReach.EXITED;
      if (reach == ExecutorReach.EXITED) {
        holder.destroyForcibly();
        detachQuietly(cid);
        // What a real agent reports when the executor exits before registering (capture r031).
        failAll.accept("Executor terminated");
        return java.util.Optional.empty();
      }
      if (reach == ExecutorReach.STRANDED) {
        return java.util.Optional.of(cid);
      }
    }
    java.util.concurrent.atomic.AtomicInteger live = new java.util.concurrent.atomic.AtomicInteger(tasks.size());
    List<Container> started = new java.util.ArrayList<>();
    for (Protos.TaskInfo task : tasks) {
      Process command;
      try {
        command = new ProcessBuilder("nsenter", "--net=/proc/" + holder.pid() + "/ns/net", "sh", "-c",
            task.getCommand().getValue()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        // nsenter joins the namespace before it execs the command: report only once it has.
        waitForNetns(command, Files.readSymbolicLink(Path.of("/proc/" + holder.pid() + "/ns/net")).toString(), true);
      } catch (Exception e) {
        started.forEach(c -> c.command().destroyForcibly());
        holder.destroyForcibly();
        detachQuietly(cid);
        failAll.accept("Failed to launch container: " + e.getMessage());
        return java.util.Optional.empty();
      }
      Protos.ContainerStatus.Builder st = containerStatus.toBuilder().setExecutorPid((int) command.pid());
      if (group) {
        st.setContainerId(Protos.ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).setParent(cid));
      }
      started.add(new Container(cid, task, framework, executor, holder, command, updates, st.build(), new boolean[1], live));
    }
    for (Container c : started) {
      String taskId = c.task().getTaskId().getValue();
      containers.put(taskId, c);
      updates.accept(status(c.task(), executor, Protos.TaskState.TASK_STARTING, Protos.TaskStatus.Source.SOURCE_EXECUTOR,
          c.status(), null, null));
      updates.accept(status(c.task(), executor, Protos.TaskState.TASK_RUNNING, Protos.TaskStatus.Source.SOURCE_EXECUTOR,
          c.status(), null, null));
      var end = c.command().onExit().thenRun(() -> finished(c));
      ends.put(taskId, end);
      if (end.isDone()) {
        ends.remove(taskId, end); // it ended before it was recorded
      }
    }
    return java.util.Optional.of(cid);
  }

  /**
   * The agent process stops (a restart begins): its containers keep running, but one that ends now
   * is neither reported nor cleaned up, and kills do not reach it.
   */
  public synchronized void stop() {
    down = true;
  }

  /**
   * The agent process is back and recovers, as the Mesos containerizer does: live containers keep
   * their networks (no ADD is run again); each container that ended meanwhile is destroyed, so its
   * networks get DEL from their checkpoints, and its task's end is reported.
   */
  public void recover() {
    List<Container> ended;
    synchronized (this) {
      down = false;
      ended = List.copyOf(endedWhileDown);
      endedWhileDown.clear();
    }
    ended.forEach(this::finished);
  }

  /** Tasks whose container ended while the agent was down, not yet recovered. */
  public List<Protos.TaskID> endedWhileDown() {
    return endedWhileDown.stream().map(c -> c.task().getTaskId()).toList();
  }

  /** One running container, as the agent's GET_CONTAINERS lists it. */
  public record ContainerView(Protos.FrameworkID framework, Protos.ExecutorID executor, String executorName,
      Protos.ContainerStatus status, Protos.TaskInfo task) {}

  /** The containers this agent runs. */
  public List<ContainerView> containers() {
    return containers.values().stream().map(c -> new ContainerView(c.framework(), c.executor(), executorName(c.task()),
        c.status(), c.task())).toList();
  }

  /** The name Mesos gives a command task's executor: the command cut to 12 characters when longer than 15. */
  static String executorName(Protos.TaskInfo task) {
    String command = task.getCommand().getValue();
    return "Command Executor (Task: " + task.getTaskId().getValue() + ") (Command: sh -c '"
        + (command.length() > 15 ? command.substring(0, 12) + "..." : command) + "')";
  }

  /** Kills a task: TASK_KILLING, then the command gets SIGTERM and TASK_KILLED follows. */
  public void kill(Protos.TaskID taskId) {
    Container c = containers.get(taskId.getValue());
    if (c == null || down) {
      return;
    }
    c.killed()[0] = true;
    c.updates().accept(status(c.task(), c.executor(), Protos.TaskState.TASK_KILLING, Protos.TaskStatus.Source.SOURCE_EXECUTOR,
        c.status(), null, null));
    c.command().destroy();
  }

  private enum ExecutorReach { REACHED, EXITED, STRANDED }

  /**
   * A command task's driver-based executor: it registers with the agent from inside the container,
   * and the agent connects to it at the container's first IPv4 address (capture r050). A stranded
   * container is kept, with its task in TASK_STAGING, until the agent closes.
   */
  private ExecutorReach driverExecutor(Protos.ContainerID cid, Process holder, Protos.ContainerStatus status, AgentEndpoint ep,
      Protos.TaskInfo task) {
    java.util.Optional<String> ip4 = status.getNetworkInfosList().stream().flatMap(n -> n.getIpAddressesList().stream())
        .filter(a -> a.getProtocol() == Protos.NetworkInfo.Protocol.IPv4).map(Protos.NetworkInfo.IPAddress::getIpAddress)
        .findFirst();
    DriverExecutor executor;
    try {
      executor = DriverExecutor.start(holder, ep, EXECUTOR_REGISTRATION);
    } catch (java.io.IOException e) {
      return ExecutorReach.EXITED;
    }
    java.util.Optional<Integer> port = executor.registered(EXECUTOR_REGISTRATION.plusSeconds(5));
    if (port.isEmpty() || ip4.isEmpty()) {
      // Without an IPv4 address in /etc/hosts the executor cannot name itself, and exits.
      executor.stop();
      return ExecutorReach.EXITED;
    }
    if (!TcpConnect.from(ep.netns(), ip4.get(), port.get(), AGENT_LINK)) {
      LOG.warn("Failed to link to '{}:{}' (executor of task {}): the task stays in TASK_STAGING", ip4.get(), port.get(),
          task.getTaskId().getValue());
      stranded.put(task.getTaskId().getValue(), new Stranded(cid, holder, executor));
      return ExecutorReach.STRANDED;
    }
    java.util.Optional<String> peer = executor.linked(AGENT_LINK);
    executor.stop();
    peer.ifPresent(p -> executorPeers.put(task.getTaskId().getValue(), p));
    return ExecutorReach.REACHED;
  }

  /** Tasks that stay in TASK_STAGING because the agent could not reach their executor. */
  public java.util.Set<Protos.TaskID> strandedTasks() {
    return stranded.keySet().stream().map(t -> Protos.TaskID.newBuilder().setValue(t).build())
        .collect(java.util.stream.Collectors.toSet());
  }

  /**
   * The executor's first act: a TCP connection, from inside the task's network namespace, to the
   * agent's advertised endpoint. Bounded, as the executor's registration is.
   */
  private static boolean executorConnects(Process holder, AgentEndpoint endpoint) {
    return TcpConnect.from(java.util.Optional.of("/proc/" + holder.pid() + "/ns/net"), endpoint.ip(), endpoint.port(),
        EXECUTOR_REGISTRATION);
  }

  private void finished(Container c) {
    synchronized (this) {
      if (down) {
        // Nobody is there to see it: the containerizer learns of it when the agent recovers.
        endedWhileDown.add(c);
        return;
      }
    }
    containers.remove(c.task().getTaskId().getValue());
    ends.remove(c.task().getTaskId().getValue());
    int exit = c.command().exitValue();
    Protos.TaskState state;
    String message;
    if (c.killed()[0]) {
      state = Protos.TaskState.TASK_KILLED;
      message = "Command terminated with signal Terminated";
    } else {
      state = exit == 0 ? Protos.TaskState.TASK_FINISHED : Protos.TaskState.TASK_FAILED;
      message = "Command exited with status " + exit;
    }
    if (c.liveInContainer().decrementAndGet() == 0) {
      detachQuietly(c.id());
      c.holder().destroyForcibly();
    }
    c.updates().accept(status(c.task(), c.executor(), state, Protos.TaskStatus.Source.SOURCE_EXECUTOR, c.status(), message, null));
  }

  private void detachQuietly(Protos.ContainerID cid) {
    try {
      isolator.detach(cid);
    } catch (RuntimeException e) {
      // Mesos too leaves the container's checkpoint when a DEL fails; there is no retry.
      LOG.warn("Failed to clean up an isolator when destroying container {}: {}", cid.getValue(), e.getMessage());
    }
  }

  private Protos.TaskStatus status(Protos.TaskInfo task, Protos.ExecutorID executor, Protos.TaskState state,
      Protos.TaskStatus.Source source, Protos.ContainerStatus container, String message, Protos.TaskStatus.Reason reason) {
    UUID u = UUID.randomUUID();
    ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    Protos.TaskStatus.Builder s = Protos.TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(state)
        .setSource(source).setAgentId(id).setTimestamp(System.currentTimeMillis() / 1000.0)
        .setUuid(ByteString.copyFrom(b.array()));
    if (source == Protos.TaskStatus.Source.SOURCE_EXECUTOR) {
      s.setExecutorId(executor);
    }
    if (container != null) {
      s.setContainerStatus(container);
    }
    if (message != null) {
      s.setMessage(message);
    }
    if (reason != null) {
      s.setReason(reason);
    }
    return s.build();
  }

  private static void waitForOwnNetns(Process p) throws Exception {
    // unshare(1) switches namespace before it execs; its own pid then shows the new one.
    waitForNetns(p, Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), false);
    if (!p.isAlive()) {
      throw new IllegalStateException("the process holding the container's network namespace exited (is unshare allowed?)");
    }
  }

  /** Waits until {@code p}'s network namespace is ({@code same}) or is not {@code ns}; a process wait, not a sleep. */
  private static void waitForNetns(Process p, String ns, boolean same) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Path theirs = Path.of("/proc/" + p.pid() + "/ns/net");
    while (System.nanoTime() < deadline) {
      if (Files.exists(theirs) && Files.readSymbolicLink(theirs).toString().equals(ns) == same) {
        return;
      }
      if (!p.isAlive()) {
        return; // it ran and ended already: its exit is reported as usual
      }
      p.waitFor(2, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException("the container's process did not enter its network namespace in time");
  }

  /**
   * What Mesos checkpoints for a framework that asks for it (slave/paths.cpp, state::checkpoint):
   * {@code meta/slaves/<agent>/frameworks/<framework>/framework.info}, and the Task of each task at
   * {@code .../executors/<executor>/runs/<container>/tasks/<task>/task.info}, each a message after its
   * length as a native uint32. Written before the container is launched (and so before its ADD).
   */
  private void checkpoint(Path workDir, Protos.FrameworkID framework, Protos.ExecutorID executor, Protos.ContainerID cid,
      List<Protos.TaskInfo> tasks) throws java.io.IOException {
    Protos.FrameworkInfo info = frameworks.get(framework.getValue());
    if (info == null || !info.getCheckpoint()) {
      return;
    }
    Path fw = workDir.resolve("meta/slaves").resolve(id.getValue()).resolve("frameworks").resolve(framework.getValue());
    writeCheckpoint(fw.resolve("framework.info"), info);
    for (Protos.TaskInfo t : tasks) {
      Protos.Task task = Protos.Task.newBuilder().setName(t.getName()).setTaskId(t.getTaskId()).setFrameworkId(framework)
          .setExecutorId(executor).setAgentId(id).setState(Protos.TaskState.TASK_STAGING).addAllResources(t.getResourcesList())
          .build();
      writeCheckpoint(fw.resolve("executors").resolve(executor.getValue()).resolve("runs").resolve(cid.getValue())
          .resolve("tasks").resolve(t.getTaskId().getValue()).resolve("task.info"), task);
    }
  }

  private static void writeCheckpoint(Path file, com.google.protobuf.Message message) throws java.io.IOException {
    Files.createDirectories(file.getParent());
    byte[] body = message.toByteArray();
    ByteBuffer out = ByteBuffer.allocate(4 + body.length).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(body.length).put(body);
    // A temporary file of its own: two launches of one framework checkpoint its framework.info at once.
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    Files.write(temp, out.array());
    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Kills every task and detaches every container, including those whose launch was under way. */
  @Override
  public void close() {
    launches.writeLock().lock();
    try {
      shutDown = true;
    } finally {
      launches.writeLock().unlock();
    }
    if (down) {
      recover();
    }
    // Taken before the kills: a container's end leaves the map as its cleanup begins, and close
    // must wait for that cleanup (its DELs) to finish.
    var ending = List.copyOf(ends.entrySet());
    // Stranded containers are destroyed: their executors never got the kill.
    for (String task : List.copyOf(stranded.keySet())) {
      Stranded s = stranded.remove(task);
      if (s != null) {
        s.executor().stop();
        s.holder().destroyForcibly();
        detachQuietly(s.id());
      }
    }
    for (Container c : List.copyOf(containers.values())) {
      kill(c.task().getTaskId());
    }
    for (var entry : ending) {
      try {
        entry.getValue().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        Container c = containers.get(entry.getKey());
        if (c != null) {
          c.command().destroyForcibly();
        }
      }
    }
  }
}
