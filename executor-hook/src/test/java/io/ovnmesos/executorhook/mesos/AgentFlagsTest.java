package io.ovnmesos.executorhook.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testcluster.agent.Agent;
import io.ovnmesos.testcluster.agent.AgentApi;
import io.ovnmesos.testcluster.agent.AgentEndpoint;
import io.ovnmesos.testcluster.agent.CniIsolator;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook asks an agent's operator API for its flags, as it asks a real one (GET_FLAGS, JSON). */
class AgentFlagsTest {

  @Test
  void theAgentSaysWhetherItsCommandExecutorUsesHttp(@TempDir Path dir) throws Exception {
    for (boolean http : new boolean[] {false, true}) {
      CniIsolator isolator = new CniIsolator(Files.createDirectories(dir.resolve("conf" + http)), dir.toString(),
          Files.createDirectories(dir.resolve("root" + http)), "/usr/bin:/bin");
      try (Agent agent = new Agent(Protos.AgentID.newBuilder().setValue("S0").build(), isolator, null,
          AgentEndpoint.parse("127.0.0.1:5051").withHttpCommandExecutor(http));
          AgentApi api = AgentApi.start(agent, new InetSocketAddress("127.0.0.1", 0))) {
        ExecutorApi auto = new ExecutorApi(ExecutorApi.Setting.AUTO,
            () -> new AgentFlags(api.address()).get(ExecutorApi.HTTP_COMMAND_EXECUTOR));
        assertThat(new AgentFlags(api.address()).get(ExecutorApi.HTTP_COMMAND_EXECUTOR)).contains(Boolean.toString(http));
        assertThat(auto.agentConnectsToExecutors()).isEqualTo(!http);
      }
    }
    assertThat(new AgentFlags("127.0.0.1:1").get(ExecutorApi.HTTP_COMMAND_EXECUTOR)).as("nobody there").isEmpty();
  }
}
