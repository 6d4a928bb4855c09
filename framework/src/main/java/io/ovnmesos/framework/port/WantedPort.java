package io.ovnmesos.framework.port;

import io.ovnmesos.topology.port.PortMarks;
import java.util.Map;

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

  /** The label naming the logical switch (the ovn-mesos network). */
  public static final String LOGICAL_SWITCH = "logical_switch";
  /** Labels that ask for a fixed address and MAC. */
  public static final String IP_ADDRESS = "ip_address";
  public static final String MAC_ADDRESS = "mac_address";

  public WantedPort {
    labels = Map.copyOf(labels);
  }

  /** The logical switch port's name. */
  public String name() {
    return PortMarks.frameworkPortName(frameworkId, executorId, ifName);
  }

  /** The network asked for, or null. */
  public String logicalSwitch() {
    return labels.get(LOGICAL_SWITCH);
  }
}
