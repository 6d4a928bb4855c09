package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testcluster.agent.Agent;
import io.ovnmesos.testcluster.agent.AgentApi;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.agent.Protos.Response;
import org.junit.jupiter.api.Test;

/** An agent restart as the Mesos containerizer recovers from it, and the agent's own operator API. */
class AgentRestartTest extends StubCniFixture {
  private static final Protos.FrameworkID F0 = Protos.FrameworkID.newBuilder().setValue("F0").build();

  private static Protos.TaskStatus next(BlockingQueue<Protos.TaskStatus> q) throws InterruptedException {
    Protos.TaskStatus s = q.poll(30, TimeUnit.SECONDS);
    assertThat(s).as("a status update within 30 s").isNotNull();
    return s;
  }

  @Test
  void liveContainersAreNotAddedAgainAndOnesThatEndedMeanwhileGetTheirDelOnRecovery() throws Exception {
    Path stop = base.resolve("stop-t2");
    BlockingQueue<Protos.TaskStatus> updates = new LinkedBlockingQueue<>();
    try (Agent agent = new Agent(Protos.AgentID.newBuilder().setValue("S0").build(), isolator());
        AgentApi api = AgentApi.start(agent, new InetSocketAddress("127.0.0.1", 0))) {
      agent.launch(F0, task("t1", "sleep 600"), updates::add);
      agent.launch(F0, task("t2", "while [ ! -e '" + stop + "' ]; do sleep 0.05; done"), updates::add);
      for (int i = 0; i < 4; i++) {
        next(updates); // STARTING and RUNNING for each
      }
      SchedulerClient client = new SchedulerClient(Integer.parseInt(api.address().split(":")[1]));
      Response.GetContainers before = client.operator("{\"type\":\"GET_CONTAINERS\",\"get_containers\":{\"show_nested\":true}}",
          Response.newBuilder()).getGetContainers();
      assertThat(before.getContainersList()).extracting(c -> c.getExecutorId().getValue()).containsExactlyInAnyOrder("t1", "t2");
      Response.GetContainers.Container t2 = before.getContainersList().stream()
          .filter(c -> c.getExecutorId().getValue().equals("t2")).findFirst().orElseThrow();
      assertThat(t2.getExecutorName()).as("Mesos cuts a longer command to 12 characters")
          .isEqualTo("Command Executor (Task: t2) (Command: sh -c 'while [ ! -e...')");
      assertThat(t2.getContainerStatus().getNetworkInfos(0).getIpAddresses(0).getIpAddress()).isEqualTo("10.99.0.92");
      assertThat(t2.getContainerId()).isEqualTo(t2.getContainerStatus().getContainerId());
      assertThat(invocations("ADD")).isEqualTo(2);

      agent.stop();
      Files.createFile(stop);
      Waiter.until("t2 ended while its agent was down", Duration.ofSeconds(30),
          () -> agent.endedWhileDown().stream().anyMatch(t -> t.getValue().equals("t2")));
      assertThat(invocations("DEL")).as("nobody cleans up while the agent is down").isZero();
      assertThat(updates).as("nor reports the end").isEmpty();

      agent.recover();
      Protos.TaskStatus finished = next(updates);
      assertThat(finished.getTaskId().getValue()).isEqualTo("t2");
      assertThat(finished.getState()).isEqualTo(Protos.TaskState.TASK_FINISHED);
      assertThat(invocations("DEL")).isEqualTo(1);
      assertThat(recorded("DEL-eth0", "env")).containsEntry("CNI_CONTAINERID", t2.getContainerId().getValue());
      assertThat(invocations("ADD")).as("the live container is not attached again").isEqualTo(2);

      Response.GetState state = client.operator("{\"type\":\"GET_STATE\"}", Response.newBuilder()).getGetState();
      assertThat(state.getGetTasks().getLaunchedTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("t1");
      assertThat(state.getGetFrameworks().getFrameworksList()).extracting(f -> f.getFrameworkInfo().getId()).containsExactly(F0);
    }
  }
}
