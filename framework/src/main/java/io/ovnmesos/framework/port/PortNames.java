package io.ovnmesos.framework.port;

/**
 * Names of the ports the framework makes: {@code <framework id>/<executor id>/<interface>}. Mesos
 * forbids '/' in ids, so the name is unambiguous, and it is known on both sides before the container
 * exists: the agent side reads framework and executor from the executor's sandbox path.
 */
public final class PortNames {
  private PortNames() {}

  public static String of(String frameworkId, String executorId, String ifName) {
    return frameworkId + "/" + executorId + "/" + ifName;
  }
}
