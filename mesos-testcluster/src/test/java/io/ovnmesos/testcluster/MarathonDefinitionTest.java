package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ovnmesos.testcluster.marathon.MarathonDefinition;
import io.ovnmesos.testcluster.marathon.MarathonLauncher;
import io.ovnmesos.testcluster.master.Master;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Event;
import org.junit.jupiter.api.Test;

/** Marathon definitions read as Marathon reads them, and launched as the tasks Marathon would make. */
class MarathonDefinitionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static MarathonDefinition parse(String json) throws Exception {
    return MarathonDefinition.parse(JSON.readTree(json));
  }

  @Test
  void badDefinitionsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> parse("{\"id\":\"/Coke/web\",\"cmd\":\"x\"}")).hasMessageStartingWith("id: expected a path");
    assertThatThrownBy(() -> parse("{\"id\":\"/coke/../x\",\"cmd\":\"x\"}")).hasMessageStartingWith("id: expected a path");
    assertThatThrownBy(() -> parse("{\"id\":\"/coke/web\"}")).hasMessage("cmd: required");
    assertThatThrownBy(() -> parse("{\"id\":\"/w\",\"cmd\":\"x\",\"container\":{\"type\":\"DOCKER\"}}"))
        .hasMessageStartingWith("container.type: expected MESOS");
    assertThatThrownBy(() -> parse("{\"id\":\"/w\",\"cmd\":\"x\",\"networks\":[{\"mode\":\"container\"}]}"))
        .hasMessage("networks[0].name: required");
    assertThatThrownBy(() -> parse("{\"id\":\"/w\",\"cmd\":\"x\",\"networks\":[{\"name\":\"ovn\",\"labels\":{\"ip_address\":5}}]}"))
        .hasMessage("networks[0].labels.ip_address: expected a string, got 5");
    assertThatThrownBy(() -> parse("{\"id\":\"/w\",\"cmd\":\"x\",\"networks\":[{\"mode\":\"host\"},{\"name\":\"ovn\"}]}"))
        .hasMessage("networks: host mode cannot be combined with other networks");
    assertThatThrownBy(() -> parse("{\"id\":\"/w\",\"cmd\":\"x\",\"instances\":-1}")).hasMessageStartingWith("instances:");
    assertThatThrownBy(() -> parse("{\"id\":\"/p\",\"containers\":[{\"name\":\"a\"}]}"))
        .hasMessage("containers[0].exec.command.shell: expected the command to run");
  }

  @Test
  void appsAndPodsBecomeTheTasksMarathonWouldLaunch() throws Exception {
    Master master = new Master();
    master.addIdleAgent(Protos.AgentID.newBuilder().setValue("S0").build(), "a0");
    master.addIdleAgent(Protos.AgentID.newBuilder().setValue("S1").build(), "a1");
    Protos.FrameworkID marathon = master.addFramework(Protos.FrameworkInfo.newBuilder().setUser("root").setName("marathon").build());
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    master.subscribe(events::add, 15);
    events.take();
    MarathonLauncher launcher = new MarathonLauncher(master, marathon,
        List.of(Protos.AgentID.newBuilder().setValue("S0").build(), Protos.AgentID.newBuilder().setValue("S1").build()));

    var apps = launcher.launch(parse("{\"id\":\"/coke/web\",\"cmd\":\"sleep 1\",\"instances\":2,\"networks\":[{\"mode\":\"container\","
        + "\"name\":\"ovn\",\"labels\":{\"logical_switch\":\"coke1\"}}]}"));
    assertThat(apps).extracting(i -> i.agent().getValue()).containsExactly("S0", "S1");
    Protos.Task web = events.take().getTaskAdded().getTask();
    assertThat(web.getTaskId().getValue()).matches("coke_web\\.instance-[0-9a-f-]{36}\\._app\\.1");
    assertThat(web.getName()).isEqualTo("web.coke");
    assertThat(web.getContainer().getNetworkInfos(0).getName()).isEqualTo("ovn");
    assertThat(web.getContainer().getNetworkInfos(0).getLabels().getLabels(0).getValue()).isEqualTo("coke1");

    var pods = launcher.launch(parse("{\"id\":\"/coke/pod\",\"containers\":[{\"name\":\"web\",\"exec\":{\"command\":{\"shell\":\"x\"}}}],"
        + "\"networks\":[{\"name\":\"ovn\",\"labels\":{\"logical_switch\":\"coke1\"}}]}"));
    assertThat(pods.get(0).tasks()).extracting(Protos.TaskID::getValue).allMatch(t -> t.matches("coke_pod\\.instance-[0-9a-f-]{36}\\.web"));
    var executors = master.getExecutors().getExecutorsList();
    assertThat(executors).hasSize(1);
    assertThat(executors.get(0).getExecutorInfo().getExecutorId().getValue()).startsWith("instance-coke_pod.");
    assertThat(executors.get(0).getExecutorInfo().getContainer().getNetworkInfos(0).getName()).isEqualTo("ovn");
  }
}
