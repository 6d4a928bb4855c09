package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Event;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.Test;

/** A master failover and an agent's removal as Mesos 1.11 goes through them, and the operator calls that show a master's view. */
class MasterFailoverTest {
  private static final Protos.AgentID S0 = Protos.AgentID.newBuilder().setValue("S0").build();
  private static final Protos.AgentID S1 = Protos.AgentID.newBuilder().setValue("S1").build();

  private static Protos.TaskInfo task(String id, Protos.AgentID agent) {
    return Protos.TaskInfo.newBuilder().setName(id).setTaskId(Protos.TaskID.newBuilder().setValue(id)).setAgentId(agent)
        .setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 1000")).build();
  }

  private static Event next(BlockingQueue<Event> q, Event.Type type) throws InterruptedException {
    Event e;
    do {
      e = q.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("event " + type).isNotNull();
    } while (e.getType() != type && !e.equals(Master.END_OF_STREAM));
    return e;
  }

  @Test
  void anAgentThatUnregistersLosesItsTasksFirstThenIsRemoved() throws Exception {
    Master master = new Master();
    master.addIdleAgent(S0, "agent0");
    master.addIdleAgent(S1, "agent1");
    Protos.FrameworkID legacy = master.addFramework(Protos.FrameworkInfo.newBuilder().setUser("root").setName("legacy").build());
    Protos.FrameworkID aware = master.addFramework(Protos.FrameworkInfo.newBuilder().setUser("root").setName("aware")
        .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder().setType(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE))
        .build());
    master.launch(legacy, task("l", S0));
    master.launch(aware, task("p", S0));
    master.launch(aware, task("q", S1));
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    master.subscribe(events::add, 15);
    events.take();

    master.agentRemoved(S0);

    Event first = next(events, Event.Type.TASK_UPDATED);
    Event second = next(events, Event.Type.TASK_UPDATED);
    assertThat(java.util.List.of(first, second)).extracting(e -> e.getTaskUpdated().getStatus().getTaskId().getValue() + "="
        + e.getTaskUpdated().getState()).containsExactlyInAnyOrder("l=TASK_LOST", "p=TASK_GONE");
    assertThat(first.getTaskUpdated().getStatus().getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_AGENT_REMOVED);
    assertThat(events.poll(10, TimeUnit.SECONDS).getAgentRemoved().getAgentId()).as("then AGENT_REMOVED").isEqualTo(S0);
    assertThat(master.getAgents().getAgentsList()).extracting(a -> a.getAgentInfo().getId()).containsExactly(S1);
    assertThat(master.getTasks().getTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("q");
  }

  @Test
  void afterAFailoverStreamsEndAndTasksReturnOnlyAsTheirAgentsReregister() throws Exception {
    Master master = new Master();
    master.addIdleAgent(S0, "agent0");
    master.addIdleAgent(S1, "agent1");
    try (MasterServer api = MasterServer.start(master, Duration.ofSeconds(15))) {
      SchedulerClient sc = new SchedulerClient(api.port());
      SchedulerClient.Subscription marathon = sc.subscribe("{\"user\":\"root\",\"name\":\"marathon\",\"failover_timeout\":600}");
      Protos.FrameworkID fw = marathon.next().getSubscribed().getFrameworkId();
      master.launch(fw, task("a", S0));
      master.launch(fw, task("b", S1));
      String electedBefore = sc.operator("{\"type\":\"GET_MASTER\"}", Response.newBuilder()).getGetMaster().getMasterInfo().getId();
      BlockingQueue<Event> observer = new LinkedBlockingQueue<>();
      master.subscribe(observer::add, 15);
      assertThat(observer.take().getSubscribed().getGetState().getGetTasks().getTasksCount()).isEqualTo(2);

      master.failover();

      assertThat(next(observer, Event.Type.HEARTBEAT)).as("the operator stream ended").isEqualTo(Master.END_OF_STREAM);
      assertThat(marathon.ended()).as("the scheduler stream ended").isTrue();
      Response.GetMaster after = sc.operator("{\"type\":\"GET_MASTER\"}", Response.newBuilder()).getGetMaster();
      assertThat(after.getMasterInfo().getId()).as("a newly elected master").isNotEqualTo(electedBefore);
      assertThat(after.getElectedTime()).isGreaterThanOrEqualTo(after.getStartTime());
      Response.GetAgents agents = sc.operator("{\"type\":\"GET_AGENTS\"}", Response.newBuilder()).getGetAgents();
      assertThat(agents.getAgentsList()).isEmpty();
      assertThat(agents.getRecoveredAgentsList()).extracting(a -> a.getId().getValue()).containsExactly("S0", "S1");
      assertThat(master.getTasks().getTasksList()).as("no task is known before its agent re-registers").isEmpty();

      // The framework comes back with its id; the new master admits it.
      SchedulerClient.Subscription again = sc.subscribe("{\"id\":{\"value\":\"" + fw.getValue()
          + "\"},\"user\":\"root\",\"name\":\"marathon\",\"failover_timeout\":600}");
      assertThat(again.next().getSubscribed().getFrameworkId()).isEqualTo(fw);
      assertThat(sc.operator("{\"type\":\"GET_FRAMEWORKS\"}", Response.newBuilder()).getGetFrameworks().getFrameworksList())
          .extracting(f -> f.getFrameworkInfo().getId()).containsExactly(fw);

      BlockingQueue<Event> resubscribed = new LinkedBlockingQueue<>();
      master.subscribe(resubscribed::add, 15);
      assertThat(resubscribed.take().getSubscribed().getGetState().getGetTasks().getTasksCount()).isZero();

      master.reregisterAgent(S0);
      assertThat(next(resubscribed, Event.Type.AGENT_ADDED).getAgentAdded().getAgent().getAgentInfo().getId()).isEqualTo(S0);
      Event a = next(resubscribed, Event.Type.TASK_ADDED);
      assertThat(a.getTaskAdded().getTask().getTaskId().getValue()).isEqualTo("a");
      assertThat(master.getTasks().getTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("a");

      master.reregisterAgent(S1);
      next(resubscribed, Event.Type.AGENT_ADDED);
      assertThat(next(resubscribed, Event.Type.TASK_ADDED).getTaskAdded().getTask().getTaskId().getValue()).isEqualTo("b");
      assertThat(sc.operator("{\"type\":\"GET_AGENTS\"}", Response.newBuilder()).getGetAgents().getRecoveredAgentsCount()).isZero();
    }
  }
}
