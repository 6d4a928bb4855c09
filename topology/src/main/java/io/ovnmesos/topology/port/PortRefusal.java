package io.ovnmesos.topology.port;

/**
 * Why no port is made for a task's interface, with a message that names the label or rule at fault.
 * The framework sends the reason to the agent as the {@code RefusalReason} enum of ports.proto (same
 * names); the agent maps it to a CNI error code in one place.
 */
public record PortRefusal(Reason reason, String message) {
  /** The kinds of refusal, also a metric label. */
  public enum Reason {
    /** The task's role or framework may not use the network's tenant. */
    NOT_AUTHORIZED,
    /** A label is missing or malformed, or asks for an address the network can never give. */
    INVALID_LABEL,
    /** The named network does not exist. */
    UNKNOWN_NETWORK,
    /** The network has no free address, or the fixed one asked for is held by another port. */
    NO_ADDRESS
  }
}
