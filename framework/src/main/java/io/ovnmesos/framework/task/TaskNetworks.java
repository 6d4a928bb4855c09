package io.ovnmesos.framework.task;

import io.ovnmesos.framework.port.WantedPort;
import io.ovnmesos.topology.access.TaskRole;
import io.ovnmesos.topology.port.PortMarks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the OVN interfaces a task's container will have, as the agent's CNI isolator will attach
 * them: every named network_info is an interface eth0, eth1, ... in order, and those whose name is
 * one of the OVN CNI networks become ports. A command task's container is its executor's (the
 * executor id is the task id); a task with an executor of its own takes the executor's networks.
 */
public final class TaskNetworks {
  private static final Logger LOG = LoggerFactory.getLogger(TaskNetworks.class);
  private final Set<String> ovnNetworks;

  /** @param ovnNetworks the CNI network names (NetworkInfo.name) that are ovn-mesos', e.g. "ovn" */
  public TaskNetworks(Set<String> ovnNetworks) {
    this.ovnNetworks = Set.copyOf(ovnNetworks);
  }

  /**
   * The ports {@code task} needs. {@code executor} is its executor's info when the task has one and
   * it is known (from a snapshot); {@code framework} is its framework's info, null if not known.
   */
  public List<WantedPort> of(Protos.Task task, Protos.ExecutorInfo executor, Protos.FrameworkInfo framework) {
    List<Protos.NetworkInfo> networks;
    String executorId;
    if (task.hasExecutorId()) {
      executorId = task.getExecutorId().getValue();
      networks = executor != null && executor.hasContainer() ? executor.getContainer().getNetworkInfosList() : List.of();
    } else {
      executorId = task.getTaskId().getValue();
      networks = task.hasContainer() ? task.getContainer().getNetworkInfosList() : List.of();
    }
    for (String id : List.of(task.getFrameworkId().getValue(), executorId, task.getTaskId().getValue(),
        task.getAgentId().getValue())) {
      if (!PortMarks.isMesosId(id)) {
        // A master validates ids; one that did not would let a name stand for another task's port.
        LOG.warn("Ignoring task {} of framework {}: an id Mesos would not allow", escape(task.getTaskId().getValue()),
            escape(task.getFrameworkId().getValue()));
        return List.of();
      }
    }
    List<WantedPort> out = new ArrayList<>();
    String role = role(task, framework);
    int index = 0;
    for (Protos.NetworkInfo n : networks) {
      if (!n.hasName()) {
        continue; // unnamed: the host network, no interface
      }
      String ifName = "eth" + index++;
      if (!ovnNetworks.contains(n.getName())) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      n.getLabels().getLabelsList().forEach(l -> labels.put(l.getKey(), l.getValue()));
      out.add(new WantedPort(task.getFrameworkId().getValue(), executorId, task.getTaskId().getValue(),
          task.getAgentId().getValue(), ifName, labels, role, framework == null ? "" : framework.getPrincipal()));
    }
    return out;
  }

  private static String escape(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    StringBuilder b = new StringBuilder();
    cut.codePoints().forEach(c -> b.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
    return b.toString();
  }

  private static String role(Protos.Task task, Protos.FrameworkInfo framework) {
    List<TaskRole.Resource> resources = new ArrayList<>(task.getResourcesCount());
    for (Protos.Resource r : task.getResourcesList()) {
      List<String> reservations = new ArrayList<>(r.getReservationsCount());
      r.getReservationsList().forEach(v -> reservations.add(v.getRole()));
      resources.add(new TaskRole.Resource(r.hasAllocationInfo() ? r.getAllocationInfo().getRole() : "", reservations));
    }
    return TaskRole.of(resources, framework == null ? List.of() : framework.getRolesList(),
        framework == null || !framework.hasRole() ? "" : framework.getRole());
  }
}
