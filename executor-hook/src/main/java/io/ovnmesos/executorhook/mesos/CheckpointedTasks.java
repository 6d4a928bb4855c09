package io.ovnmesos.executorhook.mesos;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import io.ovnmesos.topology.access.TaskRole;
import org.apache.mesos.Protos;

/**
 * Whom a container's tasks run as, read from what the Mesos agent checkpoints for frameworks that ask
 * for it ({@code FrameworkInfo.checkpoint}, which Marathon sets):
 * {@code <work_dir>/meta/slaves/<agent>/frameworks/<framework>/framework.info} and, per task,
 * {@code .../executors/<executor>/runs/<container>/tasks/<task>/task.info}. Each file is one message
 * after its length, a native (little-endian) uint32, as stout's {@code protobuf::write} puts it.
 */
public final class CheckpointedTasks {
  private final Path metaDir;

  /** The roles of a container's tasks and its framework's principal ("" if none). */
  public record Identity(Set<String> roles, String principal) {}

  public CheckpointedTasks(Path workDir) {
    this.metaDir = workDir.resolve("meta");
  }

  /**
   * Whom the tasks of {@code containerId} (or, for a nested container, of its top-level one) run as;
   * empty if the agent checkpointed nothing for them.
   */
  public Optional<Identity> find(ExecutorSandboxes.Owner owner, String containerId) {
    String top = containerId.contains(".") ? containerId.substring(0, containerId.indexOf('.')) : containerId;
    Path framework = metaDir.resolve("slaves").resolve(owner.agentId()).resolve("frameworks").resolve(owner.frameworkId());
    Optional<Protos.FrameworkInfo> info = read(framework.resolve("framework.info"), Protos.FrameworkInfo.parser());
    if (info.isEmpty()) {
      return Optional.empty();
    }
    Set<String> roles = new TreeSet<>();
    Path tasks = framework.resolve("executors").resolve(owner.executorId()).resolve("runs").resolve(top).resolve("tasks");
    int found = 0;
    if (Files.isDirectory(tasks)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks)) {
        for (Path dir : dirs) {
          Optional<Protos.Task> task = read(dir.resolve("task.info"), Protos.Task.parser());
          if (task.isPresent()) {
            found++;
            roles.add(role(task.get(), info.get()));
          }
        }
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    if (found == 0) {
      return Optional.empty();
    }
    return Optional.of(new Identity(roles, info.get().getPrincipal()));
  }

  private static String role(Protos.Task task, Protos.FrameworkInfo info) {
    return TaskRole.of(task.getResourcesList().stream().map(r -> new TaskRole.Resource(
            r.hasAllocationInfo() ? r.getAllocationInfo().getRole() : "",
            r.getReservationsList().stream().map(Protos.Resource.ReservationInfo::getRole).toList())).toList(),
        info.getRolesList(), info.hasRole() ? info.getRole() : "");
  }

  private static <T> Optional<T> read(Path file, Parser<T> parser) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length < 4) {
        return Optional.empty();
      }
      long size = Integer.toUnsignedLong(ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
      if (size > bytes.length - 4) {
        return Optional.empty(); // cut short (a crash mid-write): as if not there
      }
      return Optional.of(parser.parseFrom(bytes, 4, (int) size));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
