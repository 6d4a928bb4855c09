package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.ovnmesos.testbed.junit.NeedsNamespaces;
import io.ovnmesos.testcluster.agent.Agent;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import io.ovnmesos.testcluster.recordio.RecordIo;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Event;
import org.junit.jupiter.api.Test;

/** The master's operator API over HTTP, with an agent running a task on a (stub) CNI network. */
@NeedsNamespaces
class MasterTest extends StubCniFixture {

  static HttpRequest call(int port, String body, String contentType, String accept) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
    if (accept != null) {
      b.header("Accept", accept);
    }
    return b.build();
  }

  @Test
  void theEventStreamShowsTaskAddedBeforeTheAgentsCniAddAndTheUpdatesAfter() throws Exception {
    Master master = new Master();
    try (Agent agent = new Agent(Protos.AgentID.newBuilder().setValue("S0").build(), isolator());
        MasterServer api = MasterServer.start(master, Duration.ofMillis(300))) {
      master.addAgent(agent, "agent-1");
      Protos.FrameworkID fw = master.addFramework(Protos.FrameworkInfo.newBuilder().setName("marathon").setUser("root").build());
      HttpClient client = HttpClient.newHttpClient();

      // Mesos takes only the exact content types, not even with a charset.
      assertThat(client.send(call(api.port(), "{\"type\":\"GET_TASKS\"}", "application/json; charset=utf-8", null),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
      assertThat(client.send(call(api.port(), "{\"type\":\"GET_TASKS\"}", "application/json", "text/html"),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(406);
      assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/v1")).GET().build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

      HttpResponse<InputStream> stream = client.send(call(api.port(), "{\"type\":\"SUBSCRIBE\"}", "application/json",
          "application/json"), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(stream.headers().firstValue("Content-Type")).hasValue("application/json");
      BlockingQueue<Event> events = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> {
        try {
          RecordIo.Reader r = new RecordIo.Reader(stream.body());
          for (var rec = r.next(); rec.isPresent(); rec = r.next()) {
            Event.Builder e = Event.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(new String(rec.get(), StandardCharsets.UTF_8), e);
            events.add(e.build());
          }
        } catch (Exception ignored) {
          // the test ended
        }
      });
      reader.setDaemon(true);
      reader.start();

      Event subscribed = events.poll(10, TimeUnit.SECONDS);
      assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
      assertThat(subscribed.getSubscribed().getGetState().getGetAgents().getAgentsList()).hasSize(1);
      assertThat(subscribed.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(0.3);
      assertThat(events.poll(10, TimeUnit.SECONDS).getType()).isEqualTo(Event.Type.HEARTBEAT);

      Protos.TaskInfo task = Protos.TaskInfo.newBuilder().setName("web").setTaskId(Protos.TaskID.newBuilder().setValue("web.1"))
          .setAgentId(agent.id()).setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 60"))
          .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS).addNetworkInfos(coke1()))
          .build();
      long[] addedAtNanos = {0};
      master.subscribe(e -> {
        if (e.getType() == Event.Type.TASK_ADDED) {
          java.time.Instant now = java.time.Instant.now();
          addedAtNanos[0] = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
      }, 15);
      master.launch(fw, task);

      List<Event> seen = new ArrayList<>();
      while (seen.stream().noneMatch(e -> e.getType() == Event.Type.TASK_UPDATED
          && e.getTaskUpdated().getState() == Protos.TaskState.TASK_RUNNING)) {
        Event e = events.poll(30, TimeUnit.SECONDS);
        assertThat(e).as("an event within 30 s").isNotNull();
        if (e.getType() != Event.Type.HEARTBEAT) {
          seen.add(e);
        }
      }
      Event added = seen.get(0);
      assertThat(added.getType()).isEqualTo(Event.Type.TASK_ADDED);
      assertThat(added.getTaskAdded().getTask().getState()).isEqualTo(Protos.TaskState.TASK_STAGING);
      assertThat(added.getTaskAdded().getTask().getContainer().getNetworkInfos(0).getLabels()).isEqualTo(coke1().getLabels());
      // TASK_ADDED was published before the agent's CNI ADD ran (the stub names its log by the time).
      long addRanAtNanos;
      try (var logs = Files.list(plugins.resolve("log"))) {
        addRanAtNanos = logs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ADD-eth0-"))
            .map(n -> Long.parseLong(n.substring("ADD-eth0-".length(), n.indexOf('.')))).findFirst().orElseThrow();
      }
      assertThat(addedAtNanos[0]).isPositive().isLessThan(addRanAtNanos);
      Event starting = seen.get(1);
      assertThat(starting.getTaskUpdated().getStatus().getState()).isEqualTo(Protos.TaskState.TASK_STARTING);
      assertThat(starting.getTaskUpdated().getFrameworkId()).isEqualTo(fw);
      assertThat(starting.getTaskUpdated().getStatus().getContainerStatus().getNetworkInfos(0).getIpAddresses(0).getIpAddress())
          .isEqualTo("10.99.0.92");

      master.kill(task.getTaskId());
      Event last;
      do {
        last = events.poll(30, TimeUnit.SECONDS);
      } while (last != null && !(last.getType() == Event.Type.TASK_UPDATED
          && last.getTaskUpdated().getState() == Protos.TaskState.TASK_KILLED));
      assertThat(last).as("TASK_KILLED on the stream").isNotNull();

      String tasks = client.send(call(api.port(), "{\"type\":\"GET_TASKS\"}", "application/json", "application/json"),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(tasks).contains("\"completed_tasks\"").contains("\"TASK_KILLED\"").contains("\"web.1\"");
    }
  }
}
