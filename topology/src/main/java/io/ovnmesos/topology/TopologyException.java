package io.ovnmesos.topology;

/**
 * A topology request that cannot be carried out; nothing was changed. The message starts with the
 * field or object concerned, e.g. {@code --subnet: 192.168.1.5/24 is not a network address}.
 */
public final class TopologyException extends RuntimeException {
  /** Why the request was refused; the CLI maps each to its own exit code. */
  public enum Reason {
    /** An argument is malformed or out of range. */
    INVALID,
    /** The request contradicts what exists (a name taken, an overlapping subnet, ports still in use). */
    CONFLICT,
    /** Something the request names does not exist. */
    NOT_FOUND
  }

  private final Reason reason;

  public TopologyException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public static TopologyException invalid(String field, String message) {
    return new TopologyException(Reason.INVALID, field + ": " + message);
  }

  public static TopologyException conflict(String message) {
    return new TopologyException(Reason.CONFLICT, message);
  }

  public static TopologyException notFound(String message) {
    return new TopologyException(Reason.NOT_FOUND, message);
  }

  public Reason reason() {
    return reason;
  }
}
