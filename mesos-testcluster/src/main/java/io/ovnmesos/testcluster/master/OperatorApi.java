package io.ovnmesos.testcluster.master;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ovnmesos.testcluster.recordio.RecordIo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Event;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * The master's operator HTTP API, {@code POST /api/v1}: GET_TASKS, GET_STATE and SUBSCRIBE (a
 * RecordIO stream: SUBSCRIBED with the snapshot, an immediate HEARTBEAT, then events and a heartbeat
 * every interval), in JSON or protobuf. As Mesos does, it takes only the exact content types
 * {@code application/json} and {@code application/x-protobuf} (415 otherwise, even with a charset),
 * answers 405 to other methods and 406 to an Accept it cannot meet.
 */
public final class OperatorApi implements AutoCloseable {
  static final String JSON = "application/json";
  static final String PROTOBUF = "application/x-protobuf";
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
      .omittingInsignificantWhitespace();

  private final Master master;
  private final Duration heartbeat;
  private final HttpServer http;
  private final java.util.concurrent.ExecutorService handlers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "operator-api");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "operator-api-heartbeat");
    t.setDaemon(true);
    return t;
  });

  public OperatorApi(Master master, InetSocketAddress bind, Duration heartbeat) throws IOException {
    this.master = master;
    this.heartbeat = heartbeat;
    this.http = HttpServer.create(bind, 0);
    http.setExecutor(handlers);
    http.createContext("/api/v1", this::handle);
    http.start();
  }

  /** The port the API listens on. */
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
      if (!JSON.equals(contentType) && !PROTOBUF.equals(contentType)) {
        reply(ex, 415, "Expecting 'Content-Type' of " + JSON + " or " + PROTOBUF);
        return;
      }
      String accept = ex.getRequestHeaders().getFirst("Accept");
      String responseType = accept == null || accept.contains("*/*") || accept.contains(JSON) ? JSON
          : accept.contains(PROTOBUF) ? PROTOBUF : null;
      if (responseType == null) {
        reply(ex, 406, "Expecting 'Accept' to allow '" + JSON + "' or '" + PROTOBUF + "'");
        return;
      }
      byte[] body = ex.getRequestBody().readAllBytes();
      Call call;
      try {
        Call.Builder b = Call.newBuilder();
        if (contentType.equals(JSON)) {
          JsonFormat.parser().ignoringUnknownFields().merge(new String(body, StandardCharsets.UTF_8), b);
        } else {
          b.mergeFrom(body);
        }
        call = b.build();
      } catch (InvalidProtocolBufferException e) {
        reply(ex, 400, "Failed to parse body into Call: " + e.getMessage());
        return;
      }
      switch (call.getType()) {
        case GET_TASKS -> respond(ex, responseType, Response.newBuilder().setType(Response.Type.GET_TASKS)
            .setGetTasks(master.getTasks()).build());
        case GET_STATE -> respond(ex, responseType, Response.newBuilder().setType(Response.Type.GET_STATE)
            .setGetState(master.getState()).build());
        case SUBSCRIBE -> subscribe(ex, responseType);
        default -> reply(ex, 400, "the test cluster does not implement " + call.getType());
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
    try (out) {
      while (true) {
        Event e = queue.take();
        out.write(RecordIo.encode(encode(e, type)));
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the subscriber went away
    } finally {
      beat.cancel(false);
      unsubscribe.run();
      ex.close();
    }
  }

  private static void respond(HttpExchange ex, String type, Message m) throws IOException {
    byte[] body = encode(m, type);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  static byte[] encode(Message m, String type) throws IOException {
    return type.equals(JSON) ? PRINTER.print(m).getBytes(StandardCharsets.UTF_8) : m.toByteArray();
  }

  private static void reply(HttpExchange ex, int code, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(code, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    // Stream writers wait for events; interrupting them ends their streams.
    handlers.shutdownNow();
    timers.shutdownNow();
  }
}
