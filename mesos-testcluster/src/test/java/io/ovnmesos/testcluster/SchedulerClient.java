package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.ovnmesos.testcluster.recordio.RecordIo;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.scheduler.Protos;

/** A framework's side of the scheduler API, and plain operator calls, for tests: JSON, as a scheduler sends it. */
final class SchedulerClient {
  private final HttpClient client = HttpClient.newHttpClient();
  private final int port;

  SchedulerClient(int port) {
    this.port = port;
  }

  HttpRequest post(String path, String json, String streamId) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json")
        .header("Accept", "application/json");
    if (streamId != null) {
      b.header("Mesos-Stream-Id", streamId);
    }
    return b.build();
  }

  /** POSTs a scheduler call and returns the status code. */
  int call(String json, String streamId) throws Exception {
    return client.send(post("/api/v1/scheduler", json, streamId), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** An operator call, parsed into {@code into}. */
  <B extends Message.Builder> B operator(String json, B into) throws Exception {
    HttpResponse<String> r = client.send(post("/api/v1", json, null), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonFormat.parser().ignoringUnknownFields().merge(r.body(), into);
    return into;
  }

  /** A subscription: its stream id and the events read from it (an empty event marks its end). */
  record Subscription(String streamId, BlockingQueue<Protos.Event> events, InputStream body) {
    /** The next event, within 10 s. */
    Protos.Event next() throws InterruptedException {
      Protos.Event e = events.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("an event within 10 s").isNotNull();
      return e;
    }

    /** The next event that is not a HEARTBEAT. */
    Protos.Event nextNotHeartbeat() throws InterruptedException {
      return nextMatching(e -> e.getType() != Protos.Event.Type.HEARTBEAT);
    }

    /** The next event of {@code type}, skipping others. */
    Protos.Event next(Protos.Event.Type type) throws InterruptedException {
      return nextMatching(e -> e.getType() == type || e.equals(Protos.Event.getDefaultInstance()));
    }

    private Protos.Event nextMatching(Predicate<Protos.Event> p) throws InterruptedException {
      Protos.Event e;
      do {
        e = next();
      } while (!p.test(e));
      return e;
    }

    /** True once the master ended the stream (skipping what came before). */
    boolean ended() throws InterruptedException {
      return nextMatching(e -> e.equals(Protos.Event.getDefaultInstance())) != null;
    }
  }

  Subscription subscribe(String frameworkInfo) throws Exception {
    return subscribe(frameworkInfo, "");
  }

  /** SUBSCRIBE with {@code frameworkInfo} (JSON) and, if not empty, {@code extra} fields of {@code subscribe}. */
  Subscription subscribe(String frameworkInfo, String extra) throws Exception {
    HttpResponse<InputStream> r = client.send(post("/api/v1/scheduler", "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":"
        + frameworkInfo + (extra.isEmpty() ? "" : "," + extra) + "}}", null), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    BlockingQueue<Protos.Event> events = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try {
        RecordIo.Reader in = new RecordIo.Reader(r.body());
        for (var rec = in.next(); rec.isPresent(); rec = in.next()) {
          Protos.Event.Builder e = Protos.Event.newBuilder();
          JsonFormat.parser().ignoringUnknownFields().merge(new String(rec.get(), StandardCharsets.UTF_8), e);
          events.add(e.build());
        }
      } catch (Exception ignored) {
        // closed
      }
      events.add(Protos.Event.getDefaultInstance());
    });
    reader.setDaemon(true);
    reader.start();
    return new Subscription(r.headers().firstValue("Mesos-Stream-Id").orElseThrow(), events, r.body());
  }
}
