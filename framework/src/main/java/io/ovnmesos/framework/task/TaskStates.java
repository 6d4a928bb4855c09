package io.ovnmesos.framework.task;

import java.util.Set;
import org.apache.mesos.v1.Protos.TaskState;

/** How the framework treats each task state. */
final class TaskStates {
  /** States after which the task's container is gone for good: its ports go. */
  static final Set<TaskState> TERMINAL = Set.of(TaskState.TASK_FINISHED, TaskState.TASK_FAILED, TaskState.TASK_KILLED,
      TaskState.TASK_ERROR, TaskState.TASK_DROPPED, TaskState.TASK_LOST, TaskState.TASK_GONE,
      TaskState.TASK_GONE_BY_OPERATOR, TaskState.TASK_UNKNOWN);

  private TaskStates() {}
}
