package io.ovnmesos.framework.port;

import io.ovnmesos.topology.port.PortMarks;
import io.ovnmesos.topology.port.PortPlanner;
import io.ovnmesos.topology.port.PortRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One OVN interface a task's container is to have, as the master announced it: which task,
 * executor, framework and agent it belongs to, its interface name (eth0, eth1, ... in the order of
 * the container's named networks) and its network's labels.
 *
 * @param executorId the executor whose container the agent attaches; for a command task, the task id
 * @param role the role the task's resources were allocated to, for tenant access rules
 * @param principal the framework's principal, for tenant access rules (empty if none)
 */
public record WantedPort(String frameworkId, String executorId, String taskId, String agentId, String ifName,
    Map<String, String> labels, String role, String principal) {

  public WantedPort {
    labels = Map.copyOf(labels);
  }

  /** The logical switch port's name. */
  public String name() {
    return PortMarks.frameworkPortName(frameworkId, executorId, ifName);
  }

  /**
   * The port asked for, as {@link PortPlanner} reads it: owned by the framework, marked with the
   * task and agent (framework, executor and interface are in the name).
   */
  public PortRequest request() {
    return new PortRequest(name(), labels, Map.of(PortMarks.OWNER, PortMarks.OWNER_FRAMEWORK, PortMarks.TASK_ID, taskId,
        PortMarks.AGENT_ID, agentId), Map.of(), agentId, Optional.of(new PortRequest.Identity(List.of(role), principal)));
  }
}
