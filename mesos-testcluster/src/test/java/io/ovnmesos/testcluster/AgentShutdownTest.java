package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testcluster.agent.Agent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * An agent shut down while a container's ADD is still running (a removed agent, in the fault suite):
 * as Mesos' destroy waits for isolation to finish, the shutdown waits for the launch, then destroys
 * the container, so its DEL is not lost.
 */
class AgentShutdownTest extends StubCniFixture {

  @Test
  void aContainerStillBeingAttachedIsDestroyedOnceItsAddReturns() throws Exception {
    Path gate = base.resolve("gate");
    Path stub = plugins.resolve("capture-cni");
    // The same stub, whose ADD waits for the gate.
    Files.writeString(stub, Files.readString(stub).replace("if [ \"$CNI_COMMAND\" = ADD ]; then",
        "if [ \"$CNI_COMMAND\" = ADD ]; then while [ ! -e '" + gate + "' ]; do sleep 0.05; done;"));
    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<Protos.TaskStatus> updates = new CopyOnWriteArrayList<>();
    Agent agent = new Agent(Protos.AgentID.newBuilder().setValue("S0").build(), isolator());
    CompletableFuture<?> launch = CompletableFuture.runAsync(() -> agent.launch(Protos.FrameworkID.newBuilder().setValue("F0")
        .build(), task("t1", "sleep 600"), updates::add));
    Waiter.until("the ADD under way", Duration.ofSeconds(30), () -> invocations("ADD") == 1);

    CompletableFuture<?> close = CompletableFuture.runAsync(agent::close);
    Files.createFile(gate);
    close.get(60, TimeUnit.SECONDS);
    launch.get(10, TimeUnit.SECONDS);

    assertThat(invocations("DEL")).as("the container launched during the shutdown was destroyed").isEqualTo(1);
    assertThat(agent.containers()).isEmpty();
    assertThat(updates).extracting(Protos.TaskStatus::getState).last().isEqualTo(Protos.TaskState.TASK_KILLED);
  }
}
