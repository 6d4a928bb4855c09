package io.ovnmesos.topology.port;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The external_ids on a task's logical switch port, besides the {@link io.ovnmesos.topology.Ownership}
 * marks: who made it, and which Mesos task, container and interface it is for. The framework and
 * the agent side write them; reconciliation and {@code ovn-mesos show} read them.
 */
public final class PortMarks {
  /** Who made the port: {@link #OWNER_FRAMEWORK} or {@link #OWNER_AGENT}. */
  public static final String OWNER = "ovn-mesos/owner";
  public static final String OWNER_FRAMEWORK = "framework";
  public static final String OWNER_AGENT = "agent";
  public static final String TASK_ID = "ovn-mesos/task-id";
  public static final String FRAMEWORK_ID = "ovn-mesos/framework-id";
  public static final String EXECUTOR_ID = "ovn-mesos/executor-id";
  public static final String AGENT_ID = "ovn-mesos/agent-id";
  public static final String CONTAINER_ID = "ovn-mesos/container-id";
  public static final String IF_NAME = "ovn-mesos/ifname";
  /**
   * On a framework-owned port, {@link #OWNER_AGENT} if an agent made it while the framework could not
   * answer; the framework then adopts it like one of its own.
   */
  public static final String MADE_BY = "ovn-mesos/made-by";
  /**
   * The address entry ("mac ip...") the port was given, as its interface was configured: the one
   * record reconciliation restores {@code addresses} and {@code port_security} from when either
   * drifts.
   */
  public static final String ADDRESS = "ovn-mesos/address";
  /** The chassis whose agent made the port, so that only that agent's reconciliation touches it. */
  public static final String CHASSIS = "ovn-mesos/chassis";

  /** True for a port an agent made under the framework's name while no framework answered. */
  public static boolean agentMadeForFramework(Map<String, String> ids) {
    return OWNER_AGENT.equals(ids.get(MADE_BY)) && OWNER_FRAMEWORK.equals(ids.get(OWNER));
  }

  /** The keys that name a port's Mesos task, in the order {@code show} prints them. */
  public static final List<String> TASK_KEYS = List.of(TASK_ID, FRAMEWORK_ID, AGENT_ID, CONTAINER_ID);

  private PortMarks() {}

  /**
   * The name of the port the framework makes for one interface of an executor's container:
   * {@code <framework id>/<executor id>/<interface>}. Mesos forbids '/' in ids, so it is unambiguous;
   * the agent side finds framework and executor in the executor's sandbox path, so both sides know
   * the name before the container exists. For a command task the executor id is the task id.
   */
  public static String frameworkPortName(String frameworkId, String executorId, String ifName) {
    return frameworkId + "/" + executorId + "/" + ifName;
  }

  /**
   * A framework-owned port's marks, with {@link #FRAMEWORK_ID}, {@link #EXECUTOR_ID} and
   * {@link #IF_NAME} read from its name where the marks lack them. The framework does not write
   * these three, as its port names hold them: every mark is copied into each write, each monitor
   * update and ovn-northd's Port_Binding, so a burst of ports is cheaper without them. Other ports'
   * marks are returned as they are.
   */
  public static Map<String, String> withNameMarks(String name, Map<String, String> ids) {
    if (!OWNER_FRAMEWORK.equals(ids.get(OWNER)) || (ids.containsKey(FRAMEWORK_ID) && ids.containsKey(EXECUTOR_ID)
        && ids.containsKey(IF_NAME))) {
      return ids;
    }
    String[] parts = name.split("/", -1);
    if (parts.length != 3 || !isMesosId(parts[0]) || !isMesosId(parts[1]) || !isInterfaceName(parts[2])) {
      return ids;
    }
    Map<String, String> all = new HashMap<>(ids);
    all.putIfAbsent(FRAMEWORK_ID, parts[0]);
    all.putIfAbsent(EXECUTOR_ID, parts[1]);
    all.putIfAbsent(IF_NAME, parts[2]);
    return Map.copyOf(all);
  }

  private static final java.util.regex.Pattern INTERFACE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

  /**
   * True if {@code name} can name a task's interface: 1 to 15 of letters, digits, '_', '.' and '-'
   * (the kernel's IFNAMSIZ), starting with a letter or digit, so that it is never "." or "..", and
   * never read as an option by the tools it is passed to.
   */
  public static boolean isInterfaceName(String name) {
    return name != null && INTERFACE_NAME.matcher(name).matches();
  }

  /** The longest id Mesos allows (NAME_MAX). */
  public static final int MESOS_ID_MAX = 255;

  /**
   * True if Mesos would allow {@code id} (validateID): not empty, at most 255 characters, no '/',
   * '\\' or control character, not "." or "..". Port names are made of such ids, so only these
   * keep them unambiguous.
   */
  public static boolean isMesosId(String id) {
    return id != null && !id.isEmpty() && id.length() <= MESOS_ID_MAX && !id.equals(".") && !id.equals("..")
        && id.chars().noneMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c));
  }
}
