package io.ovnmesos.framework.port;

/** The external_ids the framework writes on its ports, and reads back when reconciling. */
public final class PortMarks {
  /** Who made the port: "framework" here (the agent side writes "agent" on ports it makes itself). */
  public static final String OWNER = "ovn-mesos/owner";
  public static final String OWNER_FRAMEWORK = "framework";
  public static final String TASK_ID = "ovn-mesos/task-id";
  public static final String FRAMEWORK_ID = "ovn-mesos/framework-id";
  public static final String EXECUTOR_ID = "ovn-mesos/executor-id";
  public static final String AGENT_ID = "ovn-mesos/agent-id";
  public static final String CONTAINER_ID = "ovn-mesos/container-id";
  public static final String IF_NAME = "ovn-mesos/ifname";

  private PortMarks() {}
}
