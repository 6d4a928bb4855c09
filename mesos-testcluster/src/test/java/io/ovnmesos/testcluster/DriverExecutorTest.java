package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.Container;
import io.ovnmesos.testbed.Daemon;
import io.ovnmesos.testbed.Echo;
import io.ovnmesos.testbed.Netns;
import io.ovnmesos.testcluster.agent.Agent;
import io.ovnmesos.testcluster.agent.AgentEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's two executor modes, as Mesos has them. Under the default {@code
 * --http_command_executor=false} a command task's executor registers from inside the container and
 * the agent then connects to it at the container's first IPv4 address, from the agent's namespace:
 * if it cannot, the task stays in TASK_STAGING (capture r050). With {@code --http_command_executor},
 * and for a task group's default executor, connections only go from the executor to the agent. The
 * stub plugin joins each container to an "agent host" namespace with a veth pair: the container has
 * 10.99.0.92, the host 10.99.0.1, where the agent's endpoint listens.
 */
class DriverExecutorTest extends StubCniFixture {
  private static final String REACHABLE = "{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.99.0.92/24\",\"gateway\":\"10.99.0.1\"}}";
  /** An address that nobody in the container's network has: the agent cannot reach the executor there. */
  private static final String UNREACHABLE = "{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.99.0.200/24\",\"gateway\":\"10.99.0.1\"}}";
  private static final Protos.FrameworkID FRAMEWORK = Protos.FrameworkID.newBuilder().setValue("F0").build();
  private Netns agentHost;
  private Daemon endpoint;
  private Agent agent;

  @BeforeEach
  void agentHost() throws Exception {
    agentHost = Netns.create("tc-agent-" + UUID.randomUUID().toString().substring(0, 8));
    Files.writeString(plugins.resolve("agent-host"), agentHost.name());
    Path stub = plugins.resolve("capture-cni");
    Files.writeString(stub, """
        #!/bin/bash
        # Joins the container to the agent host namespace with a veth pair, then answers as told.
        d=$(dirname "$0")
        cat > /dev/null
        if [ "$CNI_COMMAND" = ADD ]; then
          host=$(cat "$d/agent-host")
          h=vh$(printf %s "$CNI_CONTAINERID" | md5sum | cut -c1-8)
          ip link add "$h" type veth peer name "$CNI_IFNAME" netns "$CNI_NETNS" || exit 1
          ip link set "$h" netns "$host" || exit 1
          ip -n "$host" addr add 10.99.0.1/24 dev "$h" && ip -n "$host" link set "$h" up || exit 1
          nsenter --net="$CNI_NETNS" ip addr add 10.99.0.92/24 dev "$CNI_IFNAME" || exit 1
          nsenter --net="$CNI_NETNS" ip link set "$CNI_IFNAME" up || exit 1
          cat "$d/result"
        fi
        echo "$CNI_COMMAND" >> "$d/log/calls"
        exit 0
        """);
    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    endpoint = Echo.serve(agentHost, base, Container.Protocol.TCP, 5051);
  }

  @AfterEach
  void stopAgentHost() {
    if (agent != null) {
      agent.close();
    }
    endpoint.stop();
    agentHost.close();
  }

  private Agent agent(boolean httpCommandExecutor) {
    agent = new Agent(Protos.AgentID.newBuilder().setValue("S0").build(), isolator(), null,
        AgentEndpoint.parse("10.99.0.1:5051").inNamespace("/var/run/netns/" + agentHost.name())
            .withHttpCommandExecutor(httpCommandExecutor));
    return agent;
  }

  private long calls(String command) throws Exception {
    Path log = plugins.resolve("log/calls");
    return Files.exists(log) ? Files.readAllLines(log).stream().filter(command::equals).count() : 0;
  }

  @Test
  void byDefaultTheAgentConnectsToTheExecutorAtTheTasksAddressFromItsOwnNamespace() throws Exception {
    answer(REACHABLE, 0);
    List<Protos.TaskStatus> updates = new CopyOnWriteArrayList<>();
    Agent a = agent(false);
    assertThat(a.flags()).containsEntry("http_command_executor", "false");
    a.launch(FRAMEWORK, task("t1", "sleep 600"), updates::add);
    assertThat(updates).extracting(Protos.TaskStatus::getState)
        .containsExactly(Protos.TaskState.TASK_STARTING, Protos.TaskState.TASK_RUNNING);
    assertThat(a.executorPeer(Protos.TaskID.newBuilder().setValue("t1").build()))
        .as("the executor saw the agent's connection come from the agent host").contains("10.99.0.1");
  }

  @Test
  void whenTheAgentCannotReachTheExecutorTheTaskStaysStaging() throws Exception {
    answer(UNREACHABLE, 0);
    List<Protos.TaskStatus> updates = new CopyOnWriteArrayList<>();
    Agent a = agent(false);
    Optional<Protos.ContainerID> cid = a.launch(FRAMEWORK, task("t1", "sleep 600"), updates::add);
    assertThat(cid).as("the container runs").isPresent();
    assertThat(a.strandedTasks()).extracting(Protos.TaskID::getValue).containsExactly("t1");
    assertThat(updates).as("no status: the task stays in TASK_STAGING").isEmpty();
    a.kill(Protos.TaskID.newBuilder().setValue("t1").build());
    assertThat(updates).as("the kill goes to an executor that cannot receive it").isEmpty();
    a.close();
    agent = null;
    assertThat(calls("DEL")).as("the container is destroyed with the agent").isEqualTo(1);
  }

  @Test
  void withTheHttpCommandExecutorOnlyTheExecutorConnects() throws Exception {
    answer(UNREACHABLE, 0);
    List<Protos.TaskStatus> updates = new CopyOnWriteArrayList<>();
    Agent a = agent(true);
    assertThat(a.flags()).containsEntry("http_command_executor", "true");
    a.launch(FRAMEWORK, task("t1", "sleep 600"), updates::add);
    assertThat(updates).extracting(Protos.TaskStatus::getState)
        .containsExactly(Protos.TaskState.TASK_STARTING, Protos.TaskState.TASK_RUNNING);
    assertThat(a.executorPeer(Protos.TaskID.newBuilder().setValue("t1").build())).isEmpty();
  }

  @Test
  void aTaskGroupsDefaultExecutorAlwaysUsesHttp() throws Exception {
    answer(UNREACHABLE, 0);
    List<Protos.TaskStatus> updates = new CopyOnWriteArrayList<>();
    Agent a = agent(false);
    Protos.ExecutorInfo executor = Protos.ExecutorInfo.newBuilder().setType(Protos.ExecutorInfo.Type.DEFAULT)
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue("pod-1"))
        .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS).addNetworkInfos(coke1()))
        .build();
    a.launchGroup(FRAMEWORK, executor, List.of(task("t1", "sleep 600")), updates::add);
    assertThat(updates).extracting(Protos.TaskStatus::getState)
        .containsExactly(Protos.TaskState.TASK_STARTING, Protos.TaskState.TASK_RUNNING);
  }
}
