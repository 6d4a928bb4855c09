package io.ovnmesos.executorhook.port;

import io.ovnmesos.executorhook.cni.CniRequest;
import io.ovnmesos.topology.port.TaskPort;
import java.util.Optional;

/** Where a container interface's logical switch port comes from: the framework, or the agent itself. */
public interface PortSource {
  /** The port for the request's interface; an {@link io.ovnmesos.executorhook.AttachFailure} says why there is none. */
  TaskPort ensure(CniRequest req);

  /** Gives up the port of a container interface, if this side made it; true if there was one. */
  boolean release(String containerId, String ifName);

  /** The port of a container interface, if it exists. */
  Optional<TaskPort> find(String containerId, String ifName);
}
