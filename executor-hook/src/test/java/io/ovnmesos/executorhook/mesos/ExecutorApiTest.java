package io.ovnmesos.executorhook.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Whether the agent connects to its executors: the operator's word, or the agent's flag. */
class ExecutorApiTest {

  @Test
  void theOperatorsWordWinsWithoutAskingTheAgent() {
    ExecutorApi driver = new ExecutorApi(ExecutorApi.Setting.DRIVER, () -> {
      throw new AssertionError("asked");
    });
    ExecutorApi http = new ExecutorApi(ExecutorApi.Setting.HTTP, () -> {
      throw new AssertionError("asked");
    });
    assertThat(driver.agentConnectsToExecutors()).isTrue();
    assertThat(http.agentConnectsToExecutors()).isFalse();
  }

  @Test
  void autoAsksTheAgentOnceAndAssumesMesosDefaultWhileItCannotAnswer() {
    Queue<Optional<String>> answers = new ArrayDeque<>(List.of(Optional.empty(), Optional.of("true"), Optional.of("false")));
    ExecutorApi auto = new ExecutorApi(ExecutorApi.Setting.AUTO, answers::remove);
    assertThat(auto.agentConnectsToExecutors()).as("no answer: driver-based, Mesos' default").isTrue();
    assertThat(auto.agentConnectsToExecutors()).as("--http_command_executor=true").isFalse();
    assertThat(auto.agentConnectsToExecutors()).as("kept, not asked again").isFalse();
    assertThat(answers).hasSize(1);
  }

  @Test
  void settingsParseInAnyCaseAndNameWhatIsExpected() {
    assertThat(ExecutorApi.Setting.parse(" HTTP ")).isEqualTo(ExecutorApi.Setting.HTTP);
    assertThatThrownBy(() -> ExecutorApi.Setting.parse("v1")).hasMessageContaining("auto, driver or http");
  }

  @Test
  void aGetFlagsResponseGivesTheFlagsValue() throws Exception {
    var response = new ObjectMapper().readTree("{\"type\":\"GET_FLAGS\",\"get_flags\":{\"flags\":["
        + "{\"name\":\"work_dir\",\"value\":\"/var/lib/mesos\"},{\"name\":\"http_command_executor\",\"value\":\"false\"}]}}");
    assertThat(AgentFlags.find(response, "http_command_executor")).contains("false");
    assertThat(AgentFlags.find(response, "absent")).isEmpty();
    assertThat(AgentFlags.find(new ObjectMapper().readTree("{}"), "http_command_executor")).isEmpty();
  }
}
