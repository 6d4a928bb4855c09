package io.ovnmesos.topology.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A port asked for one interface of a task's container, whoever asks (the framework for a task the
 * master announced, an agent for a container the framework could not answer for).
 *
 * @param name the logical switch port's name
 * @param labels the interface's NetworkInfo labels ({@link PortLabels})
 * @param marks external_ids to write besides the ownership marks ({@link PortMarks})
 * @param options options to write on the port (empty for none)
 * @param agentId the Mesos agent the task runs on, "" if not known: tasks on one agent get distinct IPv4 addresses
 * @param identity who the task runs as, for tenant rules; empty if it cannot be known (then rules, if any, refuse)
 */
public record PortRequest(String name, Map<String, String> labels, Map<String, String> marks, Map<String, String> options,
    String agentId, Optional<Identity> identity) {

  public PortRequest {
    labels = Map.copyOf(labels);
    marks = Map.copyOf(marks);
    options = Map.copyOf(options);
  }

  /** The roles of a task's resources and its framework's principal ("" if none). */
  public record Identity(List<String> roles, String principal) {
    public Identity {
      roles = List.copyOf(roles);
    }
  }

  /** The network the labels name, or null. */
  public String network() {
    return labels.get(PortLabels.LOGICAL_SWITCH);
  }
}
