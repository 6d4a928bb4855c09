package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Event;
import org.junit.jupiter.api.Test;

/** Pins that Mesos 1.11's generated classes (protoc 3.5) work on the project's protobuf runtime. */
class MesosProtobufCompatibilityTest {

  private static Event taskAdded() {
    return Event.newBuilder()
        .setType(Event.Type.TASK_ADDED)
        .setTaskAdded(Event.TaskAdded.newBuilder().setTask(Protos.Task.newBuilder()
            .setName("task1")
            .setTaskId(Protos.TaskID.newBuilder().setValue("1234"))
            .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("f-0001"))
            .setAgentId(Protos.AgentID.newBuilder().setValue("a-S0"))
            .setState(Protos.TaskState.TASK_STAGING)
            .setContainer(Protos.ContainerInfo.newBuilder()
                .setType(Protos.ContainerInfo.Type.MESOS)
                .addNetworkInfos(Protos.NetworkInfo.newBuilder()
                    .setName("ovn")
                    .setLabels(Protos.Labels.newBuilder().addLabels(
                        Protos.Label.newBuilder().setKey("logical_switch").setValue("coke1")))))))
        .build();
  }

  @Test
  void aTaskAddedEventSurvivesBinaryAndMesosJsonRoundTrips() throws Exception {
    Event event = taskAdded();

    assertThat(Event.parseFrom(event.toByteArray())).isEqualTo(event);

    String json = JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace().print(event);
    assertThat(json).contains("\"task_added\"").contains("\"network_infos\"")
        .contains("{\"key\":\"logical_switch\",\"value\":\"coke1\"}");
    Event.Builder parsed = Event.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(json.replace("{\"type\"", "{\"unknown_field\":1,\"type\""), parsed);
    assertThat(parsed.build()).isEqualTo(event);
  }
}
