package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.master.Protos.Event;
import org.apache.mesos.v1.scheduler.Protos;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler calls a framework that launches tasks makes (Marathon's side of the master), answered as Mesos 1.11 does. */
class SchedulerCallsTest {
  private final Master master = new Master();
  private final BlockingQueue<Event> operator = new LinkedBlockingQueue<>();

  @BeforeEach
  void agents() {
    master.addIdleAgent(AgentID.newBuilder().setValue("S0").build(), "agent0");
    master.addIdleAgent(AgentID.newBuilder().setValue("S1").build(), "agent1");
    master.subscribe(operator::add, 15);
  }

  private static String launch(String framework, Offer offer, String taskId) {
    return "{\"type\":\"ACCEPT\",\"framework_id\":{\"value\":\"" + framework + "\"},\"accept\":{\"offer_ids\":[{\"value\":\""
        + offer.getId().getValue() + "\"}],\"operations\":[{\"type\":\"LAUNCH\",\"launch\":{\"task_infos\":[{\"name\":\"" + taskId
        + "\",\"task_id\":{\"value\":\"" + taskId + "\"},\"agent_id\":{\"value\":\"" + offer.getAgentId().getValue()
        + "\"},\"command\":{\"value\":\"sleep 1000\"},\"container\":{\"type\":\"MESOS\",\"network_infos\":[{\"name\":\"ovn\"}]}}]}}]}}";
  }

  private static String call(String type, String framework, String body) {
    return "{\"type\":\"" + type + "\",\"framework_id\":{\"value\":\"" + framework + "\"}" + (body.isEmpty() ? "" : "," + body) + "}";
  }

  private Event nextOperator(Event.Type type) throws InterruptedException {
    Event e;
    do {
      e = operator.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("operator event " + type).isNotNull();
    } while (e.getType() != type);
    return e;
  }

  @Test
  void aFrameworkLaunchesOnItsOffersKillsAndAcknowledgesItsOwnUpdates() throws Exception {
    try (MasterServer api = MasterServer.start(master, Duration.ofSeconds(15))) {
      SchedulerClient sc = new SchedulerClient(api.port());
      SchedulerClient.Subscription s = sc.subscribe("{\"user\":\"root\",\"name\":\"marathon\",\"roles\":[\"*\"],"
          + "\"capabilities\":[{\"type\":\"MULTI_ROLE\"}]}");
      Protos.Event subscribed = s.next();
      String fw = subscribed.getSubscribed().getFrameworkId().getValue();
      assertThat(subscribed.getSubscribed().getMasterInfo().getPort()).isEqualTo(api.port());
      List<Offer> offers = s.next(Protos.Event.Type.OFFERS).getOffers().getOffersList();
      assertThat(offers).extracting(o -> o.getAgentId().getValue()).containsExactlyInAnyOrder("S0", "S1");
      Offer onS0 = offers.stream().filter(o -> o.getAgentId().getValue().equals("S0")).findFirst().orElseThrow();

      assertThat(sc.call(launch(fw, onS0, "web.1"), s.streamId())).isEqualTo(202);
      Event added = nextOperator(Event.Type.TASK_ADDED);
      assertThat(added.getTaskAdded().getTask().getTaskId().getValue()).isEqualTo("web.1");
      assertThat(added.getTaskAdded().getTask().getContainer().getNetworkInfos(0).getName()).isEqualTo("ovn");
      assertThat(api.scheduler().outstandingOffers(subscribed.getSubscribed().getFrameworkId()))
          .as("the accepted offer is used up (TASK_ADDED came after)").noneMatch(o -> o.getId().equals(onS0.getId()));

      // The same offer again: it is no longer valid, and the task is lost (this framework is not partition-aware).
      assertThat(sc.call(launch(fw, onS0, "web.2"), s.streamId())).isEqualTo(202);
      TaskStatus lost = s.next(Protos.Event.Type.UPDATE).getUpdate().getStatus();
      assertThat(lost.getTaskId().getValue()).isEqualTo("web.2");
      assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
      assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
      assertThat(lost.getMessage()).startsWith("Task launched with invalid offers: Offer " + onS0.getId().getValue());

      assertThat(sc.call(call("KILL", fw, "\"kill\":{\"task_id\":{\"value\":\"web.1\"}}"), s.streamId())).isEqualTo(202);
      TaskStatus killed = s.next(Protos.Event.Type.UPDATE).getUpdate().getStatus();
      assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
      assertThat(nextOperator(Event.Type.TASK_UPDATED).getTaskUpdated().getState()).isEqualTo(TaskState.TASK_KILLED);
    }
  }

  @Test
  void declineFiltersAnAgentUntilRefuseSecondsPassAndReviveLiftsFiltersAndSuppression() throws Exception {
    try (MasterServer api = MasterServer.start(master, Duration.ofSeconds(15))) {
      SchedulerClient sc = new SchedulerClient(api.port());
      SchedulerClient.Subscription s = sc.subscribe("{\"user\":\"root\",\"name\":\"marathon\"}");
      String fw = s.next().getSubscribed().getFrameworkId().getValue();
      List<Offer> offers = s.next(Protos.Event.Type.OFFERS).getOffers().getOffersList();
      Offer s0 = offers.stream().filter(o -> o.getAgentId().getValue().equals("S0")).findFirst().orElseThrow();
      Offer s1 = offers.stream().filter(o -> o.getAgentId().getValue().equals("S1")).findFirst().orElseThrow();

      // S1 for an hour, S0 for a moment: the next offers name S0 only.
      assertThat(sc.call(call("DECLINE", fw, "\"decline\":{\"offer_ids\":[{\"value\":\"" + s1.getId().getValue()
          + "\"}],\"filters\":{\"refuse_seconds\":3600}}"), s.streamId())).isEqualTo(202);
      assertThat(sc.call(call("DECLINE", fw, "\"decline\":{\"offer_ids\":[{\"value\":\"" + s0.getId().getValue()
          + "\"}],\"filters\":{\"refuse_seconds\":0.05}}"), s.streamId())).isEqualTo(202);
      assertThat(s.next(Protos.Event.Type.OFFERS).getOffers().getOffersList()).extracting(o -> o.getAgentId().getValue())
          .containsExactly("S0");
      assertThat(api.scheduler().declines()).hasSize(2);

      // Suppressed, and S1 filtered: REVIVE clears both, and S1 is offered at once.
      assertThat(sc.call(call("SUPPRESS", fw, "\"suppress\":{}"), s.streamId())).isEqualTo(202);
      // Calls are answered (202) before the master handles them, as Mesos does.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.scheduler()
          .suppressedRoles(org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue(fw).build())).containsExactly("*"));
      assertThat(sc.call(call("REVIVE", fw, "\"revive\":{}"), s.streamId())).isEqualTo(202);
      assertThat(s.next(Protos.Event.Type.OFFERS).getOffers().getOffersList()).extracting(o -> o.getAgentId().getValue())
          .containsExactly("S1");
    }
  }

  @Test
  void reconciliationAndKillsOfUnknownTasksAnswerAsTheMasterDoes() throws Exception {
    try (MasterServer api = MasterServer.start(master, Duration.ofSeconds(15))) {
      SchedulerClient sc = new SchedulerClient(api.port());
      SchedulerClient.Subscription s = sc.subscribe("{\"user\":\"root\",\"name\":\"marathon\","
          + "\"capabilities\":[{\"type\":\"PARTITION_AWARE\"}]}");
      String fw = s.next().getSubscribed().getFrameworkId().getValue();
      Offer offer = s.next(Protos.Event.Type.OFFERS).getOffers().getOffers(0);
      sc.call(launch(fw, offer, "db.1"), s.streamId());
      nextOperator(Event.Type.TASK_ADDED);

      // Implicit: every task the framework has, in its latest state, with no uuid to acknowledge.
      assertThat(sc.call(call("RECONCILE", fw, "\"reconcile\":{}"), s.streamId())).isEqualTo(202);
      TaskStatus latest = s.next(Protos.Event.Type.UPDATE).getUpdate().getStatus();
      assertThat(latest.getTaskId().getValue()).isEqualTo("db.1");
      assertThat(latest.getState()).isEqualTo(TaskState.TASK_STAGING);
      assertThat(latest.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
      assertThat(latest.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      assertThat(latest.hasUuid()).isFalse();

      // Explicit: a task unknown on a registered agent is gone; on an agent never seen, unknown.
      sc.call(call("RECONCILE", fw, "\"reconcile\":{\"tasks\":[{\"task_id\":{\"value\":\"ghost\"},\"agent_id\":{\"value\":\"S1\"}},"
          + "{\"task_id\":{\"value\":\"stray\"},\"agent_id\":{\"value\":\"S9\"}}]}"), s.streamId());
      TaskStatus ghost = s.next(Protos.Event.Type.UPDATE).getUpdate().getStatus();
      TaskStatus stray = s.next(Protos.Event.Type.UPDATE).getUpdate().getStatus();
      assertThat(ghost.getState()).isEqualTo(TaskState.TASK_GONE);
      assertThat(ghost.getMessage()).isEqualTo("Reconciliation: Task is unknown to the agent");
      assertThat(stray.getState()).isEqualTo(TaskState.TASK_UNKNOWN);

      // Killing a task the master does not know reconciles it.
      sc.call(call("KILL", fw, "\"kill\":{\"task_id\":{\"value\":\"nobody\"}}"), s.streamId());
      TaskStatus nobody = s.next(Protos.Event.Type.UPDATE).getUpdate().getStatus();
      assertThat(nobody.getTaskId().getValue()).isEqualTo("nobody");
      assertThat(nobody.getState()).isEqualTo(TaskState.TASK_UNKNOWN);
    }
  }

  @Test
  void aFrameworkThatWasTornDownGetsAnErrorWhenItSubscribesAgain() throws Exception {
    try (MasterServer api = MasterServer.start(master, Duration.ofSeconds(15))) {
      SchedulerClient sc = new SchedulerClient(api.port());
      SchedulerClient.Subscription s = sc.subscribe("{\"user\":\"root\",\"name\":\"gone\",\"roles\":[\"web\"]}",
          "\"suppressed_roles\":[\"web\"]");
      String fw = s.next().getSubscribed().getFrameworkId().getValue();
      assertThat(sc.call(call("TEARDOWN", fw, ""), s.streamId())).isEqualTo(202);
      assertThat(s.ended()).isTrue();

      SchedulerClient.Subscription again = sc.subscribe("{\"id\":{\"value\":\"" + fw + "\"},\"user\":\"root\",\"name\":\"gone\"}");
      Protos.Event error = again.next();
      assertThat(error.getType()).isEqualTo(Protos.Event.Type.ERROR);
      assertThat(error.getError().getMessage()).isEqualTo("Framework has been removed");
      assertThat(again.ended()).isTrue();
    }
  }
}
