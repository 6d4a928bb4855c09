package io.ovnmesos.testcluster.master;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ovnmesos.testcluster.http.MesosHttp;
import io.ovnmesos.testcluster.recordio.RecordIo;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The master's scheduler HTTP API, {@code POST /api/v1/scheduler}, as Mesos 1.11 serves it.
 *
 * <p>SUBSCRIBE answers with a RecordIO stream and a {@code Mesos-Stream-Id} header: SUBSCRIBED, then
 * a HEARTBEAT per interval, OFFERS for the framework's unsuppressed roles, and UPDATE for its own
 * tasks' status changes; ERROR, and the end of the stream, for a framework that was removed. Other
 * calls must carry that stream id (400 without it or with another; 403 for a framework not
 * subscribed) and are answered 202: ACCEPT (LAUNCH, LAUNCH_GROUP) on outstanding offers, DECLINE
 * with its filter, SUPPRESS and REVIVE, KILL, ACKNOWLEDGE, RECONCILE (implicit and explicit) and
 * TEARDOWN. A framework whose connection breaks is removed, with its tasks, once its
 * {@code failover_timeout} passes; it may subscribe again with its id until then, and also after a
 * master failover.
 */
public final class SchedulerApi implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SchedulerApi.class);
  /** Mesos' default and cap for a filter's {@code refuse_seconds}. */
  static final double DEFAULT_REFUSE_SECONDS = 5.0;
  static final double MAX_REFUSE_SECONDS = 31536000.0;

  private final Master master;
  private final com.sun.net.httpserver.HttpContext context;
  private final Duration heartbeat;
  private final ScheduledExecutorService timers = MesosHttp.timer("scheduler-api-timers");
  /** The current stream of each subscribed framework: its id, and the queue its writer drains. */
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> failovers = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile boolean offerDespiteSuppression;
  private final AtomicInteger offerCount = new AtomicInteger();
  private final Map<String, List<String>> suppressedRoles = new ConcurrentHashMap<>();
  /** Offers made and not yet accepted or declined, by offer id. */
  private final Map<String, Protos.Offer> outstanding = new ConcurrentHashMap<>();
  /** Per framework, per agent: until when (System.nanoTime) no offer is made. */
  private final Map<String, Map<String, Long>> filters = new ConcurrentHashMap<>();
  /** Per framework: updates that carry a uuid and were not acknowledged yet, by uuid. */
  private final Map<String, Map<com.google.protobuf.ByteString, Protos.TaskStatus>> unacknowledged = new ConcurrentHashMap<>();

  /** Sends offers even to a framework that suppressed all its roles, as v1 SUBSCRIBE did before Mesos 1.5 (MESOS-8200). */
  public void offerDespiteSuppression() {
    offerDespiteSuppression = true;
  }

  /** The roles a framework has suppressed (at SUBSCRIBE, then by SUPPRESS and REVIVE). */
  public List<String> suppressedRoles(Protos.FrameworkID framework) {
    return suppressedRoles.getOrDefault(framework.getValue(), List.of());
  }

  /** The DECLINE calls received, in order. */
  public List<Call.Decline> declines() {
    return calls.stream().filter(c -> c.getType() == Call.Type.DECLINE).map(Call::getDecline).toList();
  }

  /** Every call other than SUBSCRIBE that was accepted, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Status updates sent to {@code framework} with a uuid that it has not acknowledged. */
  public List<Protos.TaskStatus> unacknowledged(Protos.FrameworkID framework) {
    return List.copyOf(unacknowledged.getOrDefault(framework.getValue(), Map.of()).values());
  }

  /** Offers made to {@code framework} and still outstanding. */
  public List<Protos.Offer> outstandingOffers(Protos.FrameworkID framework) {
    return outstanding.values().stream().filter(o -> o.getFrameworkId().equals(framework)).toList();
  }

  private record Stream(String id, BlockingQueue<Event> queue, Protos.FrameworkInfo info) {}

  /** Serves the API on {@code http}, which the caller starts and stops. */
  public SchedulerApi(Master master, HttpServer http, Duration heartbeat) {
    this.master = master;
    this.heartbeat = heartbeat;
    this.context = http.createContext("/api/v1/scheduler", this::handle);
    master.onStatus(this::forward);
    master.onFailover(this::endStreams);
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      Optional<MesosHttp.Request<Call.Builder>> request = MesosHttp.read(ex, Call.newBuilder());
      if (request.isEmpty()) {
        return;
      }
      Call call = request.get().call().build();
      String streamId = ex.getRequestHeaders().getFirst("Mesos-Stream-Id");
      if (call.getType() == Call.Type.SUBSCRIBE) {
        if (streamId != null) {
          MesosHttp.reply(ex, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
          return;
        }
        subscribe(ex, call.getSubscribe().getFrameworkInfo(), call.getSubscribe().getSuppressedRolesList());
        return;
      }
      String framework = call.getFrameworkId().getValue();
      Stream stream = streams.get(framework);
      if (stream == null) {
        MesosHttp.reply(ex, 403, "Framework is not subscribed");
        return;
      }
      if (!stream.id().equals(streamId)) {
        MesosHttp.reply(ex, 400, "The stream ID '" + streamId + "' included in this request didn't match the stream ID currently "
            + "associated with framework ID " + framework);
        return;
      }
      switch (call.getType()) {
        case TEARDOWN, ACCEPT, DECLINE, SUPPRESS, REVIVE, KILL, ACKNOWLEDGE, RECONCILE -> {
          calls.add(call);
          MesosHttp.reply(ex, 202, "");
        }
        default -> {
          MesosHttp.reply(ex, 400, "the test cluster does not implement " + call.getType());
          return;
        }
      }
      // As the master actor: the call is answered, then handled.
      try {
        handleAccepted(call, stream);
      } catch (RuntimeException e) {
        LOG.error("{} from framework {} failed after it was accepted", call.getType(), framework, e);
      }
    } catch (IOException | RuntimeException e) {
      ex.close();
      throw e;
    }
  }

  private void handleAccepted(Call call, Stream stream) {
    String framework = call.getFrameworkId().getValue();
    switch (call.getType()) {
      case TEARDOWN -> {
        Stream s = streams.remove(framework);
        if (s != null) {
          s.queue().add(Event.getDefaultInstance());
        }
        master.removeFramework(call.getFrameworkId());
      }
      case ACCEPT -> accept(stream, call.getFrameworkId(), call.getAccept());
      case DECLINE -> {
        for (Protos.OfferID o : call.getDecline().getOfferIdsList()) {
          Protos.Offer offer = outstanding.remove(o.getValue());
          if (offer != null && offer.getFrameworkId().equals(call.getFrameworkId())) {
            filter(framework, offer.getAgentId(), call.getDecline().hasFilters() ? call.getDecline().getFilters() : null);
          }
        }
      }
      case SUPPRESS -> {
        List<String> roles = call.getSuppress().getRolesCount() == 0 ? rolesOf(stream.info()) : call.getSuppress().getRolesList();
        suppressedRoles.compute(framework, (k, old) -> union(old, roles));
      }
      case REVIVE -> {
        // REVIVE lifts the roles' suppression and every filter the framework set (Master::revive).
        List<String> roles = call.getRevive().getRolesCount() == 0 ? rolesOf(stream.info()) : call.getRevive().getRolesList();
        suppressedRoles.computeIfPresent(framework, (k, old) -> old.stream().filter(r -> !roles.contains(r)).toList());
        filters.remove(framework);
        offer(stream, call.getFrameworkId());
      }
      case KILL -> kill(stream, call.getFrameworkId(), call.getKill());
      case ACKNOWLEDGE -> unacknowledged.getOrDefault(framework, Map.of()).remove(call.getAcknowledge().getUuid());
      case RECONCILE -> reconcile(stream, call.getFrameworkId(), call.getReconcile());
      default -> { }
    }
  }

  private static List<String> union(List<String> old, List<String> more) {
    Set<String> all = new java.util.LinkedHashSet<>(old == null ? List.of() : old);
    all.addAll(more);
    return List.copyOf(all);
  }

  private static List<String> rolesOf(Protos.FrameworkInfo info) {
    return info.getRolesCount() > 0 ? info.getRolesList() : List.of(info.hasRole() ? info.getRole() : "*");
  }

  private static boolean partitionAware(Protos.FrameworkInfo info) {
    return info.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE);
  }

  private void filter(String framework, Protos.AgentID agent, Protos.Filters f) {
    double seconds = f == null || !f.hasRefuseSeconds() ? DEFAULT_REFUSE_SECONDS : f.getRefuseSeconds();
    seconds = Math.max(0, Math.min(seconds, MAX_REFUSE_SECONDS));
    long until = System.nanoTime() + (long) (seconds * 1e9);
    filters.computeIfAbsent(framework, k -> new ConcurrentHashMap<>()).put(agent.getValue(), until);
    if (seconds < MAX_REFUSE_SECONDS) {
      // When the filter expires, the agent is offered again (the allocator's next cycle).
      schedule(() -> {
        Stream s = streams.get(framework);
        if (s != null) {
          offer(s, Protos.FrameworkID.newBuilder().setValue(framework).build());
        }
      }, (long) (seconds * 1000) + 1);
    }
  }

  private void schedule(Runnable r, long millis) {
    try {
      timers.schedule(r, millis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // this master is stopping
    }
  }

  /** Offers each registered agent not already offered to nor filtered by the framework, if it has an unsuppressed role. */
  private synchronized void offer(Stream stream, Protos.FrameworkID framework) {
    List<String> suppressed = suppressedRoles(framework);
    if (!offerDespiteSuppression && suppressed.containsAll(rolesOf(stream.info()))) {
      return;
    }
    Set<String> offered = new HashSet<>();
    outstanding.values().stream().filter(o -> o.getFrameworkId().equals(framework)).forEach(o -> offered.add(o.getAgentId().getValue()));
    Map<String, Long> filtered = filters.getOrDefault(framework.getValue(), Map.of());
    long now = System.nanoTime();
    Event.Offers.Builder offers = Event.Offers.newBuilder();
    for (var agent : master.getAgents().getAgentsList()) {
      Protos.AgentInfo info = agent.getAgentInfo();
      Long until = filtered.get(info.getId().getValue());
      if (offered.contains(info.getId().getValue()) || (until != null && until - now > 0)) {
        continue;
      }
      Protos.Offer o = Protos.Offer.newBuilder().setId(Protos.OfferID.newBuilder().setValue("offer-" + offerCount.getAndIncrement()))
          .setFrameworkId(framework).setAgentId(info.getId()).setHostname(info.getHostname())
          .addResources(scalar("cpus", 4)).addResources(scalar("mem", 4096)).build();
      outstanding.put(o.getId().getValue(), o);
      offers.addOffers(o);
    }
    if (offers.getOffersCount() > 0) {
      stream.queue().add(Event.newBuilder().setType(Event.Type.OFFERS).setOffers(offers).build());
    }
  }

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
  }

  /**
   * ACCEPT: every offer must be outstanding, this framework's, and on one agent; otherwise each task
   * is dropped (TASK_DROPPED, or TASK_LOST for a framework that is not partition-aware) with
   * REASON_INVALID_OFFERS. Then each LAUNCH and LAUNCH_GROUP runs on the offers' agent.
   */
  private void accept(Stream stream, Protos.FrameworkID framework, Call.Accept accept) {
    List<Protos.Offer> used = new ArrayList<>();
    String invalid = null;
    for (Protos.OfferID id : accept.getOfferIdsList()) {
      Protos.Offer o = outstanding.remove(id.getValue());
      if (o == null || !o.getFrameworkId().equals(framework)) {
        invalid = "Offer " + id.getValue() + " is no longer valid";
      } else {
        used.add(o);
      }
    }
    if (invalid == null && used.isEmpty()) {
      invalid = "No offers specified";
    }
    if (invalid == null && used.stream().map(Protos.Offer::getAgentId).distinct().count() > 1) {
      invalid = "Aggregated offers must belong to one single agent";
    }
    Protos.AgentID agent = used.isEmpty() ? null : used.get(0).getAgentId();
    for (Protos.Offer.Operation op : accept.getOperationsList()) {
      List<Protos.TaskInfo> tasks = switch (op.getType()) {
        case LAUNCH -> op.getLaunch().getTaskInfosList();
        case LAUNCH_GROUP -> op.getLaunchGroup().getTaskGroup().getTasksList();
        default -> List.of();
      };
      if (invalid != null) {
        for (Protos.TaskInfo t : tasks) {
          send(stream, masterStatus(t.getTaskId(), t.getAgentId(), partitionAware(stream.info()) ? Protos.TaskState.TASK_DROPPED
              : Protos.TaskState.TASK_LOST, Protos.TaskStatus.Reason.REASON_INVALID_OFFERS, "Task launched with invalid offers: " + invalid));
        }
        continue;
      }
      List<Protos.TaskInfo> valid = new ArrayList<>();
      for (Protos.TaskInfo t : tasks) {
        if (!t.getAgentId().equals(agent)) {
          send(stream, masterStatus(t.getTaskId(), t.getAgentId(), Protos.TaskState.TASK_ERROR, Protos.TaskStatus.Reason.REASON_TASK_INVALID,
              "Task uses invalid agent: " + t.getAgentId().getValue()));
        } else {
          valid.add(t);
        }
      }
      if (op.getType() == Protos.Offer.Operation.Type.LAUNCH) {
        valid.forEach(t -> master.launch(framework, t));
      } else if (op.getType() == Protos.Offer.Operation.Type.LAUNCH_GROUP && valid.size() == tasks.size() && !valid.isEmpty()) {
        master.launchGroup(framework, op.getLaunchGroup().getExecutor(), valid);
      }
    }
    if (agent != null) {
      filter(framework.getValue(), agent, accept.hasFilters() ? accept.getFilters() : null);
    }
  }

  private void kill(Stream stream, Protos.FrameworkID framework, Call.Kill kill) {
    boolean known = master.getTasks().getTasksList().stream()
        .anyMatch(t -> t.getTaskId().equals(kill.getTaskId()) && t.getFrameworkId().equals(framework));
    if (known) {
      master.kill(kill.getTaskId());
    } else {
      // Mesos answers a kill of a task it does not know by reconciling that task.
      Call.Reconcile.Task.Builder task = Call.Reconcile.Task.newBuilder().setTaskId(kill.getTaskId());
      if (kill.hasAgentId()) {
        task.setAgentId(kill.getAgentId());
      }
      reconcile(stream, framework, Call.Reconcile.newBuilder().addTasks(task).build());
    }
  }

  /**
   * RECONCILE, as Master::_reconcileTasks answers it: with no tasks, the latest state of every task
   * of the framework; otherwise, for each task: its latest state if known; nothing if its agent has
   * not re-registered since a failover; TASK_GONE (TASK_LOST) if its agent is registered; and
   * TASK_UNKNOWN (TASK_LOST) otherwise, for partition-aware frameworks (others). No uuid: these are
   * not to be acknowledged.
   */
  private void reconcile(Stream stream, Protos.FrameworkID framework, Call.Reconcile reconcile) {
    var state = master.getTasks();
    Map<String, Protos.Task> mine = new HashMap<>();
    state.getTasksList().stream().filter(t -> t.getFrameworkId().equals(framework)).forEach(t -> mine.put(t.getTaskId().getValue(), t));
    state.getUnreachableTasksList().stream().filter(t -> t.getFrameworkId().equals(framework))
        .forEach(t -> mine.put(t.getTaskId().getValue(), t));
    if (reconcile.getTasksCount() == 0) {
      mine.values().forEach(t -> send(stream, latest(t)));
      return;
    }
    var agents = master.getAgents();
    boolean pa = partitionAware(stream.info());
    for (Call.Reconcile.Task r : reconcile.getTasksList()) {
      Protos.Task t = mine.get(r.getTaskId().getValue());
      if (t != null) {
        send(stream, latest(t));
        continue;
      }
      String agent = r.getAgentId().getValue();
      if (agents.getRecoveredAgentsList().stream().anyMatch(a -> a.getId().getValue().equals(agent))) {
        continue; // the agent's re-registration will tell
      }
      boolean registered = agents.getAgentsList().stream().anyMatch(a -> a.getAgentInfo().getId().getValue().equals(agent));
      if (registered) {
        send(stream, masterStatus(r.getTaskId(), r.getAgentId(), pa ? Protos.TaskState.TASK_GONE : Protos.TaskState.TASK_LOST,
            Protos.TaskStatus.Reason.REASON_RECONCILIATION, "Reconciliation: Task is unknown to the agent"));
      } else {
        send(stream, masterStatus(r.getTaskId(), r.hasAgentId() && !agent.isEmpty() ? r.getAgentId() : null,
            pa ? Protos.TaskState.TASK_UNKNOWN : Protos.TaskState.TASK_LOST, Protos.TaskStatus.Reason.REASON_RECONCILIATION,
            "Reconciliation: Task is unknown"));
      }
    }
  }

  private static Protos.TaskStatus latest(Protos.Task t) {
    Protos.TaskStatus.Builder s = Protos.TaskStatus.newBuilder().setTaskId(t.getTaskId()).setState(t.getState())
        .setSource(Protos.TaskStatus.Source.SOURCE_MASTER).setReason(Protos.TaskStatus.Reason.REASON_RECONCILIATION)
        .setMessage("Reconciliation: Latest task state").setAgentId(t.getAgentId())
        .setTimestamp(System.currentTimeMillis() / 1000.0);
    if (t.hasExecutorId()) {
      s.setExecutorId(t.getExecutorId());
    }
    if (t.getStatusesCount() > 0) {
      Protos.TaskStatus last = t.getStatuses(t.getStatusesCount() - 1);
      if (last.hasContainerStatus()) {
        s.setContainerStatus(last.getContainerStatus());
      }
    }
    return s.build();
  }

  private static Protos.TaskStatus masterStatus(Protos.TaskID task, Protos.AgentID agent, Protos.TaskState state,
      Protos.TaskStatus.Reason reason, String message) {
    Protos.TaskStatus.Builder s = Protos.TaskStatus.newBuilder().setTaskId(task).setState(state)
        .setSource(Protos.TaskStatus.Source.SOURCE_MASTER).setReason(reason).setMessage(message)
        .setTimestamp(System.currentTimeMillis() / 1000.0);
    if (agent != null && !agent.getValue().isEmpty()) {
      s.setAgentId(agent);
    }
    return s.build();
  }

  private void send(Stream stream, Protos.TaskStatus status) {
    stream.queue().add(Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder().setStatus(status)).build());
  }

  /** An agent's update about one of the framework's tasks: UPDATE on its stream, kept until acknowledged if it has a uuid. */
  private void forward(Protos.FrameworkID framework, Protos.TaskStatus status) {
    Stream stream = streams.get(framework.getValue());
    if (status.hasUuid()) {
      unacknowledged.computeIfAbsent(framework.getValue(), k -> new ConcurrentHashMap<>()).put(status.getUuid(), status);
    }
    if (stream != null) {
      send(stream, status);
    }
  }

  private void subscribe(HttpExchange ex, Protos.FrameworkInfo info, List<String> suppressed) throws IOException {
    Optional<Protos.FrameworkID> subscribed = master.subscribeFramework(info);
    ex.getResponseHeaders().set("Content-Type", MesosHttp.JSON);
    String streamId = UUID.randomUUID().toString();
    ex.getResponseHeaders().set("Mesos-Stream-Id", streamId);
    ex.sendResponseHeaders(200, 0);
    if (subscribed.isEmpty()) {
      // As Master::subscribe: a FrameworkErrorMessage on the new connection, which is then closed.
      try (OutputStream out = ex.getResponseBody()) {
        out.write(RecordIo.encode(MesosHttp.encode(Event.newBuilder().setType(Event.Type.ERROR)
            .setError(Event.Error.newBuilder().setMessage("Framework has been removed")).build(), MesosHttp.JSON)));
      } finally {
        ex.close();
      }
      return;
    }
    Protos.FrameworkID id = subscribed.get();
    Stream stream = new Stream(streamId, new LinkedBlockingQueue<>(), info.toBuilder().setId(id).build());
    ScheduledFuture<?> pending = failovers.remove(id.getValue());
    if (pending != null) {
      pending.cancel(false);
    }
    // Only one subscription per framework: a new one closes the old (its writer ends on the poison pill).
    Stream previous = streams.put(id.getValue(), stream);
    if (previous != null) {
      previous.queue().add(Event.getDefaultInstance());
    }
    Event hb = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
    stream.queue().add(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setFrameworkId(id).setHeartbeatIntervalSeconds(heartbeat.toMillis() / 1000.0).setMasterInfo(master.info())).build());
    stream.queue().add(hb);
    suppressedRoles.put(id.getValue(), List.copyOf(suppressed));
    offer(stream, id);
    var beat = timers.scheduleAtFixedRate(() -> stream.queue().add(hb), heartbeat.toMillis(), heartbeat.toMillis(),
        TimeUnit.MILLISECONDS);
    try (OutputStream out = ex.getResponseBody()) {
      while (true) {
        Event e = stream.queue().take();
        if (e.equals(Event.getDefaultInstance())) {
          break;
        }
        out.write(RecordIo.encode(MesosHttp.encode(e, MesosHttp.JSON)));
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the framework's connection broke
    } finally {
      beat.cancel(false);
      ex.close();
      if (streams.remove(id.getValue(), stream)) {
        // Disconnected: the framework has failover_timeout (default 0) to come back.
        long millis = (long) (info.getFailoverTimeout() * 1000);
        try {
          failovers.put(id.getValue(), timers.schedule(() -> {
            failovers.remove(id.getValue());
            master.removeFramework(id);
          }, millis, TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
          // this master is stopping: whoever leads next keeps the framework's state
        }
      }
    }
  }

  /**
   * The master failed over: every stream ends and every offer is gone. Frameworks keep their failover
   * timeout to come back, as the new master only learns of them when they do.
   */
  private void endStreams() {
    outstanding.clear();
    filters.clear();
    streams.values().forEach(s -> s.queue().add(Event.getDefaultInstance()));
  }

  /** Where the API is served, for filters a master puts in front of it. */
  public com.sun.net.httpserver.HttpContext context() {
    return context;
  }

  @Override
  public void close() {
    streams.values().forEach(s -> s.queue().add(Event.getDefaultInstance()));
    timers.shutdownNow();
  }
}
