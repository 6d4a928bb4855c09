package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import io.ovnmesos.testcluster.recordio.RecordIo;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.master.Protos.Event;
import org.apache.mesos.v1.scheduler.Protos;
import org.junit.jupiter.api.Test;

/** The scheduler API as an observing framework uses it. */
class SchedulerApiTest {
  private final HttpClient client = HttpClient.newHttpClient();

  private HttpRequest post(int port, String json, String streamId) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/scheduler"))
        .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json")
        .header("Accept", "application/json");
    if (streamId != null) {
      b.header("Mesos-Stream-Id", streamId);
    }
    return b.build();
  }

  /** A subscription: its stream id and the events read from it (an empty event marks its end). */
  private record Subscription(String streamId, BlockingQueue<Protos.Event> events, InputStream body) {}

  private Subscription subscribe(int port, String frameworkInfo) throws Exception {
    HttpResponse<InputStream> r = client.send(post(port, "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":"
        + frameworkInfo + "}}", null), HttpResponse.BodyHandlers.ofInputStream());
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

  private static Protos.Event next(BlockingQueue<Protos.Event> q) throws InterruptedException {
    Protos.Event e = q.poll(10, TimeUnit.SECONDS);
    assertThat(e).as("an event within 10 s").isNotNull();
    return e;
  }

  @Test
  void anObservingFrameworkSubscribesResubscribesAndTearsDownAsWithMesos() throws Exception {
    Master master = new Master();
    BlockingQueue<Event> operator = new LinkedBlockingQueue<>();
    master.subscribe(operator::add, 15);
    operator.take();
    try (MasterServer api = MasterServer.start(master, Duration.ofMillis(200))) {
      Subscription first = subscribe(api.port(), "{\"user\":\"root\",\"name\":\"ovn-mesos\",\"failover_timeout\":60}");
      Protos.Event subscribed = next(first.events());
      assertThat(subscribed.getType()).isEqualTo(Protos.Event.Type.SUBSCRIBED);
      String id = subscribed.getSubscribed().getFrameworkId().getValue();
      assertThat(subscribed.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(0.2);
      assertThat(next(first.events()).getType()).isEqualTo(Protos.Event.Type.HEARTBEAT);
      assertThat(first.streamId()).isNotBlank();
      assertThat(operator.poll(5, TimeUnit.SECONDS).getType()).isEqualTo(Event.Type.FRAMEWORK_ADDED);

      String decline = "{\"type\":\"DECLINE\",\"framework_id\":{\"value\":\"" + id + "\"},\"decline\":{\"offer_ids\":[]}}";
      assertThat(client.send(post(api.port(), decline, first.streamId()), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(202);
      assertThat(client.send(post(api.port(), decline, null), HttpResponse.BodyHandlers.ofString()).statusCode())
          .as("no stream id").isEqualTo(400);
      assertThat(client.send(post(api.port(), decline.replace(id, "nobody"), first.streamId()),
          HttpResponse.BodyHandlers.ofString()).statusCode()).as("not subscribed").isEqualTo(403);
      assertThat(client.send(post(api.port(), "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"root\","
          + "\"name\":\"x\"}}}", first.streamId()), HttpResponse.BodyHandlers.ofString()).statusCode())
          .as("SUBSCRIBE with a stream id").isEqualTo(400);

      // Re-subscribing with the stored id keeps it and closes the older stream.
      Subscription second = subscribe(api.port(), "{\"id\":{\"value\":\"" + id + "\"},\"user\":\"root\",\"name\":\"ovn-mesos\","
          + "\"failover_timeout\":60}");
      assertThat(next(second.events()).getSubscribed().getFrameworkId().getValue()).isEqualTo(id);
      assertThat(second.streamId()).isNotEqualTo(first.streamId());
      Protos.Event end;
      do {
        end = next(first.events());
      } while (end.getType() == Protos.Event.Type.HEARTBEAT);
      assertThat(end).as("the older stream ended").isEqualTo(Protos.Event.getDefaultInstance());
      assertThat(operator.poll(5, TimeUnit.SECONDS).getType()).isEqualTo(Event.Type.FRAMEWORK_UPDATED);

      String teardown = "{\"type\":\"TEARDOWN\",\"framework_id\":{\"value\":\"" + id + "\"}}";
      assertThat(client.send(post(api.port(), teardown, second.streamId()), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(202);
      assertThat(operator.poll(5, TimeUnit.SECONDS).getType()).isEqualTo(Event.Type.FRAMEWORK_REMOVED);
    }
  }

  @Test
  void aDisconnectedFrameworkIsRemovedWhenItsFailoverTimeoutPasses() throws Exception {
    Master master = new Master();
    BlockingQueue<Event> operator = new LinkedBlockingQueue<>();
    master.subscribe(operator::add, 15);
    operator.take();
    try (MasterServer api = MasterServer.start(master, Duration.ofMillis(100))) {
      Subscription s = subscribe(api.port(), "{\"user\":\"root\",\"name\":\"short-lived\",\"failover_timeout\":0.3}");
      next(s.events());
      assertThat(operator.poll(5, TimeUnit.SECONDS).getType()).isEqualTo(Event.Type.FRAMEWORK_ADDED);

      s.body().close();

      Event removed = operator.poll(10, TimeUnit.SECONDS);
      assertThat(removed).as("FRAMEWORK_REMOVED after the failover timeout").isNotNull();
      assertThat(removed.getType()).isEqualTo(Event.Type.FRAMEWORK_REMOVED);
      assertThat(removed.getFrameworkRemoved().getFrameworkInfo().getName()).isEqualTo("short-lived");
    }
  }
}
