package io.ovnmesos.testcluster.master;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ovnmesos.testcluster.http.MesosHttp;
import io.ovnmesos.testcluster.recordio.RecordIo;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Event;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * The master's operator HTTP API, {@code POST /api/v1}: GET_TASKS, GET_STATE, GET_EXECUTORS, GET_AGENTS,
 * GET_FRAMEWORKS, GET_MASTER and SUBSCRIBE (a RecordIO stream: SUBSCRIBED with the snapshot, an
 * immediate HEARTBEAT, then events and a heartbeat every interval, until the master fails over), in
 * JSON or protobuf. As Mesos does, it takes only the exact content types
 * {@code application/json} and {@code application/x-protobuf} (415 otherwise, even with a charset),
 * answers 405 to other methods and 406 to an Accept it cannot meet.
 */
public final class OperatorApi implements AutoCloseable {

  private final Master master;
  private final com.sun.net.httpserver.HttpContext context;
  private final Duration heartbeat;
  private final ScheduledExecutorService timers = MesosHttp.timer("operator-api-heartbeat");
  private final java.util.Set<Thread> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Serves the API on {@code http}, which the caller starts and stops. */
  public OperatorApi(Master master, HttpServer http, Duration heartbeat) {
    this.master = master;
    this.heartbeat = heartbeat;
    this.context = http.createContext("/api/v1", this::handle);
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      Optional<MesosHttp.Request<Call.Builder>> request = MesosHttp.read(ex, Call.newBuilder());
      if (request.isEmpty()) {
        return;
      }
      Optional<String> accepted = MesosHttp.responseType(ex);
      if (accepted.isEmpty()) {
        return;
      }
      String responseType = accepted.get();
      Call call = request.get().call().build();
      switch (call.getType()) {
        case GET_TASKS -> MesosHttp.respond(ex, responseType, Response.newBuilder().setType(Response.Type.GET_TASKS)
            .setGetTasks(master.getTasks()).build());
        case GET_STATE -> MesosHttp.respond(ex, responseType, Response.newBuilder().setType(Response.Type.GET_STATE)
            .setGetState(master.getState()).build());
        case GET_EXECUTORS -> MesosHttp.respond(ex, responseType, Response.newBuilder().setType(Response.Type.GET_EXECUTORS)
            .setGetExecutors(master.getExecutors()).build());
        case GET_AGENTS -> MesosHttp.respond(ex, responseType, Response.newBuilder().setType(Response.Type.GET_AGENTS)
            .setGetAgents(master.getAgents()).build());
        case GET_FRAMEWORKS -> MesosHttp.respond(ex, responseType, Response.newBuilder().setType(Response.Type.GET_FRAMEWORKS)
            .setGetFrameworks(master.getFrameworks()).build());
        case GET_MASTER -> MesosHttp.respond(ex, responseType, Response.newBuilder().setType(Response.Type.GET_MASTER)
            .setGetMaster(master.getMaster()).build());
        case SUBSCRIBE -> subscribe(ex, responseType);
        default -> MesosHttp.reply(ex, 400, "the test cluster does not implement " + call.getType());
      }
    } catch (IOException | RuntimeException e) {
      ex.close();
      throw e;
    }
  }

  private void subscribe(HttpExchange ex, String type) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    Runnable unsubscribe = master.subscribe(queue::add, heartbeat.toMillis() / 1000.0);
    Event hb = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
    queue.add(hb);
    var beat = timers.scheduleAtFixedRate(() -> queue.add(hb), heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    // The stream is written from this request's own thread, so a slow reader never holds the master up.
    streams.add(Thread.currentThread());
    try (out) {
      while (true) {
        Event e = queue.take();
        if (e.equals(Master.END_OF_STREAM)) {
          break; // the master failed over: the subscriber must find the leader and subscribe again
        }
        out.write(RecordIo.encode(MesosHttp.encode(e, type)));
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the subscriber went away
    } finally {
      streams.remove(Thread.currentThread());
      beat.cancel(false);
      unsubscribe.run();
      ex.close();
    }
  }

  /** Where the API is served, for filters a master puts in front of it. */
  public com.sun.net.httpserver.HttpContext context() {
    return context;
  }

  @Override
  public void close() {
    // Stream writers wait for events; interrupting them ends their streams.
    streams.forEach(Thread::interrupt);
    timers.shutdownNow();
  }
}
