package io.ovnmesos.executorhook.cni;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * One CNI call as the plugin received it, checked: the command, the container, its namespace and
 * interface, and the network configuration (with Mesos' NetworkInfo when the agent injected it).
 *
 * @param netns the container's network namespace path; absent on a DEL after a reboot (MESOS-9518)
 * @param labels NetworkInfo labels (Mesos) or CNI args labels, e.g. {@code logical_switch} (see PortLabels)
 * @param fromMesos true when the config carries {@code args["org.apache.mesos"]}: Mesos reads only
 *     the 0.2.0 result form, whatever cniVersion the config names
 */
public record CniRequest(Command command, String containerId, Optional<String> netns, String ifName,
    String cniVersion, String networkName, Map<String, String> labels, boolean fromMesos, JsonNode config) {

  /** The CNI commands. */
  public enum Command { ADD, DEL, CHECK, VERSION }

  /** The version the result must be written in. */
  public String resultVersion() {
    return fromMesos ? "0.2.0" : cniVersion;
  }
}
