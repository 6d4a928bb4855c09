package io.ovnmesos.executorhook;

import io.ovnmesos.topology.port.PortRefusal;
import java.util.Optional;

/**
 * Why a container's interface could not be attached, as the parts below the CNI edge say it: a port
 * refused (with its typed reason), a framework or OVN not answering, plumbing that failed, or flows
 * not installed in time. Only the CNI edge turns it into a spec error code.
 */
public final class AttachFailure extends RuntimeException {
  /** What kind of failure, which decides the CNI code at the edge. */
  public enum Kind {
    /** No port for the interface: {@link #refusal()} says why. */
    REFUSED,
    /** Nothing answered in time (the framework, OVN); asking again later may succeed. */
    TRY_LATER,
    /** Creating or configuring the interfaces failed. */
    PLUMBING,
    /** ovn-controller did not install the port's flows in time. */
    NOT_INSTALLED
  }

  private final Kind kind;
  private final String details;
  private final transient Optional<PortRefusal> refusal;

  private AttachFailure(Kind kind, String message, String details, Optional<PortRefusal> refusal) {
    super(message);
    this.kind = kind;
    this.details = details == null ? "" : details;
    this.refusal = refusal;
  }

  public static AttachFailure refused(PortRefusal refusal, String details) {
    return new AttachFailure(Kind.REFUSED, refusal.message(), details, Optional.of(refusal));
  }

  public static AttachFailure tryLater(String message, String details) {
    return new AttachFailure(Kind.TRY_LATER, message, details, Optional.empty());
  }

  public static AttachFailure plumbing(String message, String details) {
    return new AttachFailure(Kind.PLUMBING, message, details, Optional.empty());
  }

  public static AttachFailure notInstalled(String message, String details) {
    return new AttachFailure(Kind.NOT_INSTALLED, message, details, Optional.empty());
  }

  public Kind kind() {
    return kind;
  }

  public String details() {
    return details;
  }

  /** Why the port was refused, for {@link Kind#REFUSED}. */
  public Optional<PortRefusal> refusal() {
    return refusal;
  }
}
