package io.ovnmesos.testcluster.agent;

import java.util.Optional;

/**
 * Where a test agent is reached and how its executors talk to it: its advertised {@code ip:port}
 * ({@code MESOS_AGENT_ENDPOINT}), the network namespace it runs in (empty: this process' own), and
 * its {@code --http_command_executor} flag, false by default as in Mesos.
 */
public record AgentEndpoint(String ip, int port, Optional<String> netns, boolean httpCommandExecutor) {

  /** {@code ip:port}, in this process' namespace, with Mesos' default driver-based command executor. */
  public static AgentEndpoint parse(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected ip:port, got \"" + endpoint + "\"");
    }
    return new AgentEndpoint(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)), Optional.empty(),
        false);
  }

  /** This endpoint, with the agent in the network namespace {@code path} (such as {@code /var/run/netns/x}). */
  public AgentEndpoint inNamespace(String path) {
    return new AgentEndpoint(ip, port, Optional.of(path), httpCommandExecutor);
  }

  /** This endpoint, with the agent's {@code --http_command_executor} set to {@code http}. */
  public AgentEndpoint withHttpCommandExecutor(boolean http) {
    return new AgentEndpoint(ip, port, netns, http);
  }

  @Override
  public String toString() {
    return ip + ":" + port;
  }
}
