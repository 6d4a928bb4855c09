package io.ovnmesos.testcluster.master;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ovnmesos.testcluster.recordio.RecordIo;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The master's scheduler HTTP API, {@code POST /api/v1/scheduler}, the part a framework that only
 * observes needs: SUBSCRIBE (a new framework, or re-subscription with its id) answered with a
 * RecordIO stream and a {@code Mesos-Stream-Id} header, SUBSCRIBED then a HEARTBEAT per interval;
 * other calls carrying that stream id (400 without it or with another, 403 for a framework not
 * subscribed); TEARDOWN; DECLINE, SUPPRESS, REVIVE and ACKNOWLEDGE accepted (202). A framework whose
 * connection breaks is removed, with its tasks, once its {@code failover_timeout} passes.
 */
public final class SchedulerApi implements AutoCloseable {

  private final Master master;
  private final com.sun.net.httpserver.HttpContext context;
  private final Duration heartbeat;
  private final HttpServer http;
  private final ScheduledExecutorService timers = MesosHttp.timer("scheduler-api-timers");
  /** The current stream of each subscribed framework: its id, and the queue its writer drains. */
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> failovers = new ConcurrentHashMap<>();
  private final java.util.List<Call.Decline> declines = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean offerDespiteSuppression;
  private final java.util.concurrent.atomic.AtomicInteger offerCount = new java.util.concurrent.atomic.AtomicInteger();
  private final Map<String, java.util.List<String>> suppressedRoles = new ConcurrentHashMap<>();

  /** Sends offers even to a framework that suppressed all its roles, as v1 SUBSCRIBE did before Mesos 1.5 (MESOS-8200). */
  public void offerDespiteSuppression() {
    offerDespiteSuppression = true;
  }

  /** The roles a framework suppressed when it last subscribed. */
  public java.util.List<String> suppressedRoles(Protos.FrameworkID framework) {
    return suppressedRoles.getOrDefault(framework.getValue(), java.util.List.of());
  }

  /** The DECLINE calls received, in order. */
  public java.util.List<Call.Decline> declines() {
    return java.util.List.copyOf(declines);
  }

  private record Stream(String id, BlockingQueue<Event> queue) {}

  /** Serves the API on {@code http}, which the caller starts and stops. */
  public SchedulerApi(Master master, HttpServer http, Duration heartbeat) {
    this.master = master;
    this.heartbeat = heartbeat;
    this.http = http;
    this.context = http.createContext("/api/v1/scheduler", this::handle);
  }

  private int port() {
    return http.getAddress().getPort();
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
      Stream stream = streams.get(call.getFrameworkId().getValue());
      if (stream == null) {
        MesosHttp.reply(ex, 403, "Framework is not subscribed");
        return;
      }
      if (!stream.id().equals(streamId)) {
        MesosHttp.reply(ex, 400, "The stream ID '" + streamId + "' included in this request didn't match the stream ID currently "
            + "associated with framework ID " + call.getFrameworkId().getValue());
        return;
      }
      switch (call.getType()) {
        case TEARDOWN -> {
          MesosHttp.reply(ex, 202, "");
          streams.remove(call.getFrameworkId().getValue());
          master.removeFramework(call.getFrameworkId());
        }
        case DECLINE -> {
          declines.add(call.getDecline());
          MesosHttp.reply(ex, 202, "");
        }
        case SUPPRESS, REVIVE, ACKNOWLEDGE -> MesosHttp.reply(ex, 202, "");
        default -> MesosHttp.reply(ex, 400, "the test cluster does not implement " + call.getType());
      }
    } catch (IOException | RuntimeException e) {
      ex.close();
      throw e;
    }
  }

  private void subscribe(HttpExchange ex, Protos.FrameworkInfo info, java.util.List<String> suppressed) throws IOException {
    Protos.FrameworkID id;
    if (info.hasId() && master.hasFramework(info.getId())) {
      id = info.getId();
      master.updateFramework(info);
      ScheduledFuture<?> pending = failovers.remove(id.getValue());
      if (pending != null) {
        pending.cancel(false);
      }
    } else {
      id = master.addFramework(info);
    }
    // Only one subscription per framework: a new one closes the old (its writer ends on the poison pill).
    Stream stream = new Stream(UUID.randomUUID().toString(), new LinkedBlockingQueue<>());
    Stream previous = streams.put(id.getValue(), stream);
    if (previous != null) {
      previous.queue().add(Event.getDefaultInstance());
    }
    ex.getResponseHeaders().set("Content-Type", MesosHttp.JSON);
    ex.getResponseHeaders().set("Mesos-Stream-Id", stream.id());
    ex.sendResponseHeaders(200, 0);
    Event hb = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
    stream.queue().add(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setFrameworkId(id).setHeartbeatIntervalSeconds(heartbeat.toMillis() / 1000.0)
        .setMasterInfo(Protos.MasterInfo.newBuilder().setId("test-master").setIp(0x0100007f).setPort(port())
            .setHostname("127.0.0.1"))).build());
    stream.queue().add(hb);
    suppressedRoles.put(id.getValue(), java.util.List.copyOf(suppressed));
    // Offers go to roles not suppressed (or to all, when told to behave as Mesos before 1.5 did).
    if (offerDespiteSuppression || !suppressed.containsAll(info.getRolesList())) {
      Event.Offers.Builder offers = Event.Offers.newBuilder();
      for (var agent : master.getState().getGetAgents().getAgentsList()) {
        offers.addOffers(Protos.Offer.newBuilder().setId(Protos.OfferID.newBuilder().setValue("offer-" + offerCount.getAndIncrement()))
            .setFrameworkId(id).setAgentId(agent.getAgentInfo().getId()).setHostname(agent.getAgentInfo().getHostname())
            .addResources(Protos.Resource.newBuilder().setName("cpus").setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(1))));
      }
      if (offers.getOffersCount() > 0) {
        stream.queue().add(Event.newBuilder().setType(Event.Type.OFFERS).setOffers(offers).build());
      }
    }
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

  /** Ends every framework's stream, as a master that steps down or stops does. */
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
