package io.ovnmesos.framework.task;

import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos.TaskState;

/** How the framework treats each task state. */
final class TaskStates {
  /** States after which the task's container is gone for good: its ports go. */
  static final Set<TaskState> TERMINAL = Set.of(TaskState.TASK_FINISHED, TaskState.TASK_FAILED, TaskState.TASK_KILLED,
      TaskState.TASK_ERROR, TaskState.TASK_DROPPED, TaskState.TASK_LOST, TaskState.TASK_GONE,
      TaskState.TASK_GONE_BY_OPERATOR, TaskState.TASK_UNKNOWN);

  private TaskStates() {}

  /**
   * Whether a task serves (its names resolve to it): it is running and, if it has a Mesos health
   * check, its last status said healthy. So it stops serving when it is being killed (a rolling
   * restart drains), ends, becomes unreachable or fails its check.
   */
  static boolean serving(TaskState state, boolean healthChecked, Optional<Boolean> healthy) {
    return state == TaskState.TASK_RUNNING && (!healthChecked || healthy.orElse(false));
  }
}
