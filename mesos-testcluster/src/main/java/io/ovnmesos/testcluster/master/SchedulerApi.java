package io.ovnmesos.testcluster.master;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ovnmesos.testcluster.recordio.RecordIo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
      .omittingInsignificantWhitespace();

  private final Master master;
  private final Duration heartbeat;
  private final HttpServer http;
  private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "scheduler-api");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "scheduler-api-timers");
    t.setDaemon(true);
    return t;
  });
  /** The current stream of each subscribed framework: its id, and the queue its writer drains. */
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> failovers = new ConcurrentHashMap<>();

  private record Stream(String id, BlockingQueue<Event> queue) {}

  public SchedulerApi(Master master, InetSocketAddress bind, Duration heartbeat) throws IOException {
    this.master = master;
    this.heartbeat = heartbeat;
    this.http = HttpServer.create(bind, 0);
    http.setExecutor(handlers);
    http.createContext("/api/v1/scheduler", this::handle);
    http.start();
  }

  public int port() {
    return http.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      if (!ex.getRequestMethod().equals("POST")) {
        reply(ex, 405, "Expecting 'POST', received '" + ex.getRequestMethod() + "'");
        return;
      }
      String contentType = ex.getRequestHeaders().getFirst("Content-Type");
      if (!OperatorApi.JSON.equals(contentType) && !OperatorApi.PROTOBUF.equals(contentType)) {
        reply(ex, 415, "Expecting 'Content-Type' of " + OperatorApi.JSON + " or " + OperatorApi.PROTOBUF);
        return;
      }
      byte[] body = ex.getRequestBody().readAllBytes();
      Call call;
      try {
        Call.Builder b = Call.newBuilder();
        if (contentType.equals(OperatorApi.JSON)) {
          JsonFormat.parser().ignoringUnknownFields().merge(new String(body, StandardCharsets.UTF_8), b);
        } else {
          b.mergeFrom(body);
        }
        call = b.build();
      } catch (InvalidProtocolBufferException e) {
        reply(ex, 400, "Failed to parse body into Call: " + e.getMessage());
        return;
      }
      String streamId = ex.getRequestHeaders().getFirst("Mesos-Stream-Id");
      if (call.getType() == Call.Type.SUBSCRIBE) {
        if (streamId != null) {
          reply(ex, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
          return;
        }
        subscribe(ex, call.getSubscribe().getFrameworkInfo());
        return;
      }
      Stream stream = streams.get(call.getFrameworkId().getValue());
      if (stream == null) {
        reply(ex, 403, "Framework is not subscribed");
        return;
      }
      if (!stream.id().equals(streamId)) {
        reply(ex, 400, "The stream ID '" + streamId + "' included in this request didn't match the stream ID currently "
            + "associated with framework ID " + call.getFrameworkId().getValue());
        return;
      }
      switch (call.getType()) {
        case TEARDOWN -> {
          reply(ex, 202, "");
          streams.remove(call.getFrameworkId().getValue());
          master.removeFramework(call.getFrameworkId());
        }
        case DECLINE, SUPPRESS, REVIVE, ACKNOWLEDGE -> reply(ex, 202, "");
        default -> reply(ex, 400, "the test cluster does not implement " + call.getType());
      }
    } catch (IOException | RuntimeException e) {
      ex.close();
      throw e;
    }
  }

  private void subscribe(HttpExchange ex, Protos.FrameworkInfo info) throws IOException {
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
    ex.getResponseHeaders().set("Content-Type", OperatorApi.JSON);
    ex.getResponseHeaders().set("Mesos-Stream-Id", stream.id());
    ex.sendResponseHeaders(200, 0);
    Event hb = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
    stream.queue().add(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setFrameworkId(id).setHeartbeatIntervalSeconds(heartbeat.toMillis() / 1000.0)
        .setMasterInfo(Protos.MasterInfo.newBuilder().setId("test-master").setIp(0x0100007f).setPort(port())
            .setHostname("127.0.0.1"))).build());
    stream.queue().add(hb);
    var beat = timers.scheduleAtFixedRate(() -> stream.queue().add(hb), heartbeat.toMillis(), heartbeat.toMillis(),
        TimeUnit.MILLISECONDS);
    try (OutputStream out = ex.getResponseBody()) {
      while (true) {
        Event e = stream.queue().take();
        if (e.equals(Event.getDefaultInstance())) {
          break;
        }
        out.write(RecordIo.encode(PRINTER.print(e).getBytes(StandardCharsets.UTF_8)));
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
        failovers.put(id.getValue(), timers.schedule(() -> {
          failovers.remove(id.getValue());
          master.removeFramework(id);
        }, millis, TimeUnit.MILLISECONDS));
      }
    }
  }

  private static void reply(HttpExchange ex, int code, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    } else {
      ex.close();
    }
  }

  @Override
  public void close() {
    http.stop(0);
    handlers.shutdownNow();
    timers.shutdownNow();
  }
}
