package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.master.Protos.Event;
import org.apache.mesos.v1.scheduler.Protos;
import org.junit.jupiter.api.Test;

/** The scheduler API as an observing framework uses it. */
class SchedulerApiTest {
  @Test
  void anObservingFrameworkSubscribesResubscribesAndTearsDownAsWithMesos() throws Exception {
    Master master = new Master();
    BlockingQueue<Event> operator = new LinkedBlockingQueue<>();
    master.subscribe(operator::add, 15);
    operator.take();
    try (MasterServer api = MasterServer.start(master, Duration.ofMillis(200))) {
      SchedulerClient sc = new SchedulerClient(api.port());
      SchedulerClient.Subscription first = sc.subscribe("{\"user\":\"root\",\"name\":\"ovn-mesos\",\"failover_timeout\":60}");
      Protos.Event subscribed = first.next();
      assertThat(subscribed.getType()).isEqualTo(Protos.Event.Type.SUBSCRIBED);
      String id = subscribed.getSubscribed().getFrameworkId().getValue();
      assertThat(subscribed.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(0.2);
      assertThat(first.next().getType()).isEqualTo(Protos.Event.Type.HEARTBEAT);
      assertThat(first.streamId()).isNotBlank();
      assertThat(operator.poll(5, TimeUnit.SECONDS).getType()).isEqualTo(Event.Type.FRAMEWORK_ADDED);

      String decline = "{\"type\":\"DECLINE\",\"framework_id\":{\"value\":\"" + id + "\"},\"decline\":{\"offer_ids\":[]}}";
      assertThat(sc.call(decline, first.streamId()))
          .isEqualTo(202);
      assertThat(sc.call(decline, null))
          .as("no stream id").isEqualTo(400);
      assertThat(sc.call(decline.replace(id, "nobody"), first.streamId())).as("not subscribed").isEqualTo(403);
      assertThat(sc.call("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"root\","
          + "\"name\":\"x\"}}}", first.streamId()))
          .as("SUBSCRIBE with a stream id").isEqualTo(400);

      // Re-subscribing with the stored id keeps it and closes the older stream.
      SchedulerClient.Subscription second = sc.subscribe("{\"id\":{\"value\":\"" + id + "\"},\"user\":\"root\",\"name\":\"ovn-mesos\","
          + "\"failover_timeout\":60}");
      assertThat(second.next().getSubscribed().getFrameworkId().getValue()).isEqualTo(id);
      assertThat(second.streamId()).isNotEqualTo(first.streamId());
      Protos.Event end;
      do {
        end = first.next();
      } while (end.getType() == Protos.Event.Type.HEARTBEAT);
      assertThat(end).as("the older stream ended").isEqualTo(Protos.Event.getDefaultInstance());
      assertThat(operator.poll(5, TimeUnit.SECONDS).getType()).isEqualTo(Event.Type.FRAMEWORK_UPDATED);

      String teardown = "{\"type\":\"TEARDOWN\",\"framework_id\":{\"value\":\"" + id + "\"}}";
      assertThat(sc.call(teardown, second.streamId()))
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
      SchedulerClient.Subscription s = new SchedulerClient(api.port()).subscribe("{\"user\":\"root\",\"name\":\"short-lived\",\"failover_timeout\":0.3}");
      s.next();
      assertThat(operator.poll(5, TimeUnit.SECONDS).getType()).isEqualTo(Event.Type.FRAMEWORK_ADDED);

      s.body().close();

      Event removed = operator.poll(10, TimeUnit.SECONDS);
      assertThat(removed).as("FRAMEWORK_REMOVED after the failover timeout").isNotNull();
      assertThat(removed.getType()).isEqualTo(Event.Type.FRAMEWORK_REMOVED);
      assertThat(removed.getFrameworkRemoved().getFrameworkInfo().getName()).isEqualTo("short-lived");
    }
  }
}
