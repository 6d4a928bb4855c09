package io.ovnmesos.executorhook.mesos;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds which framework and executor a container belongs to, from the agent's work directory: before
 * it launches an executor's container, the agent makes its sandbox at
 * {@code <work_dir>/slaves/<agent>/frameworks/<framework>/executors/<executor>/runs/<container>}. The
 * CNI call carries only the container id, so this is how the agent side names the task's port.
 */
public final class ExecutorSandboxes {
  private final Path workDir;

  /** The container's agent, framework and executor. */
  public record Owner(String agentId, String frameworkId, String executorId) {}

  public ExecutorSandboxes(Path workDir) {
    this.workDir = workDir;
  }

  /**
   * The owner of {@code containerId}; for a nested container ({@code parent.child}) that of its
   * top-level container, whose network namespace it shares.
   */
  public Optional<Owner> find(String containerId) {
    String top = containerId.contains(".") ? containerId.substring(0, containerId.indexOf('.')) : containerId;
    if (top.isEmpty() || top.contains("/")) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> agents = Files.newDirectoryStream(workDir.resolve("slaves"), Files::isDirectory)) {
      for (Path agent : agents) {
        Path frameworks = agent.resolve("frameworks");
        if (!Files.isDirectory(frameworks)) {
          continue;
        }
        try (DirectoryStream<Path> fws = Files.newDirectoryStream(frameworks, Files::isDirectory)) {
          for (Path fw : fws) {
            Path executors = fw.resolve("executors");
            if (!Files.isDirectory(executors)) {
              continue;
            }
            try (DirectoryStream<Path> execs = Files.newDirectoryStream(executors)) {
              for (Path exec : execs) {
                if (Files.isDirectory(exec.resolve("runs").resolve(top))) {
                  return Optional.of(new Owner(agent.getFileName().toString(), fw.getFileName().toString(),
                      exec.getFileName().toString()));
                }
              }
            }
          }
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
