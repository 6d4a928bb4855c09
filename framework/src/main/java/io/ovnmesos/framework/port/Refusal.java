package io.ovnmesos.framework.port;

/** Why the framework made no port for an interface; the agent's CNI ADD fails with the message. */
public record Refusal(Reason reason, String message) {
  /** The kinds of refusal, also a metric label. */
  public enum Reason {
    /** The task's role or framework may not use the network's tenant. */
    NOT_AUTHORIZED,
    /** A label is missing or malformed. */
    INVALID_LABEL,
    /** The named network does not exist. */
    UNKNOWN_NETWORK,
    /** The network has no free address (or the fixed one asked for is taken). */
    NO_ADDRESS
  }
}
