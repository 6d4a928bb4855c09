package io.ovnmesos.executorhook.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.mesos.Protos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roles and principal from the agent's checkpoints, in stout's length-prefixed form. */
class CheckpointedTasksTest {
  private static final ExecutorSandboxes.Owner OWNER = new ExecutorSandboxes.Owner("S0", "F1", "web.1");
  @TempDir
  Path work;

  private Path framework() {
    return work.resolve("meta/slaves/S0/frameworks/F1");
  }

  private static void write(Path file, byte[] body, int claimedLength) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, ByteBuffer.allocate(4 + body.length).order(ByteOrder.LITTLE_ENDIAN).putInt(claimedLength).put(body).array());
  }

  private void task(String id, String role) throws Exception {
    Protos.Task.Builder t = Protos.Task.newBuilder().setName(id).setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("F1")).setSlaveId(Protos.SlaveID.newBuilder().setValue("S0"))
        .setState(Protos.TaskState.TASK_STAGING);
    if (role != null) {
      t.addResources(Protos.Resource.newBuilder().setName("cpus").setType(Protos.Value.Type.SCALAR)
          .setScalar(Protos.Value.Scalar.newBuilder().setValue(0.1))
          .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(role)));
    }
    byte[] body = t.build().toByteArray();
    write(framework().resolve("executors/web.1/runs/c1/tasks/" + id + "/task.info"), body, body.length);
  }

  private void frameworkInfo(Protos.FrameworkInfo.Builder info) throws Exception {
    byte[] body = info.setUser("root").setName("marathon").build().toByteArray();
    write(framework().resolve("framework.info"), body, body.length);
  }

  @Test
  void rolesComeFromEachTasksResourcesAndThePrincipalFromTheFramework() throws Exception {
    frameworkInfo(Protos.FrameworkInfo.newBuilder().setPrincipal("marathon").addRoles("web").addRoles("ops"));
    task("a", "web");
    task("b", "ops");
    assertThat(new CheckpointedTasks(work).find(OWNER, "c1"))
        .contains(new CheckpointedTasks.Identity(Set.of("ops", "web"), "marathon"));
    assertThat(new CheckpointedTasks(work).find(OWNER, "c1.nested")).as("a nested container: its parent's tasks").isPresent();
  }

  @Test
  void aTaskWithoutAllocationTakesItsSingleRoleFrameworksRole() throws Exception {
    frameworkInfo(Protos.FrameworkInfo.newBuilder().addRoles("web"));
    task("a", null);
    assertThat(new CheckpointedTasks(work).find(OWNER, "c1")).contains(new CheckpointedTasks.Identity(Set.of("web"), ""));
  }

  @Test
  void nothingCheckpointedOrCutShortIsNothingKnown() throws Exception {
    assertThat(new CheckpointedTasks(work).find(OWNER, "c1")).isEmpty();
    frameworkInfo(Protos.FrameworkInfo.newBuilder());
    assertThat(new CheckpointedTasks(work).find(OWNER, "c1")).as("no task.info").isEmpty();
    byte[] body = Protos.Task.newBuilder().setName("a").setTaskId(Protos.TaskID.newBuilder().setValue("a"))
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("F1")).setSlaveId(Protos.SlaveID.newBuilder().setValue("S0"))
        .setState(Protos.TaskState.TASK_STAGING).build().toByteArray();
    write(framework().resolve("executors/web.1/runs/c1/tasks/a/task.info"), body, body.length + 10);
    assertThat(new CheckpointedTasks(work).find(OWNER, "c1")).as("a task.info cut short").isEmpty();
  }
}
