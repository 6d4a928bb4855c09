package io.ovnmesos.executorhook.cni;

import io.ovnmesos.executorhook.AttachFailure;

/**
 * A CNI call that failed, with the spec's error code: it becomes the error object the plugin prints
 * ({@code code}, {@code msg}, {@code details}) and a non-zero exit.
 */
public final class CniException extends RuntimeException {
  /** The CNI spec's well-known error codes, and ovn-mesos' own from 100 up. */
  public static final int INCOMPATIBLE_VERSION = 1;
  public static final int UNSUPPORTED_FIELD = 2;
  public static final int UNKNOWN_CONTAINER = 3;
  public static final int INVALID_ENVIRONMENT = 4;
  public static final int IO_FAILURE = 5;
  public static final int DECODE_FAILURE = 6;
  public static final int INVALID_CONFIG = 7;
  public static final int TRY_AGAIN_LATER = 11;
  /** The network named by the task does not exist in OVN. */
  public static final int UNKNOWN_NETWORK = 100;
  /** A label is missing or malformed, or asks for something the network can never give (an address outside it). */
  public static final int INVALID_LABEL = 101;
  /** Plumbing the container failed. */
  public static final int PLUMBING_FAILED = 102;
  /** ovn-controller did not install the port's flows in time. */
  public static final int NOT_INSTALLED = 103;
  /** The task's role or framework may not use the network's tenant. */
  public static final int NOT_AUTHORIZED = 104;
  /**
   * A task address is already another container's on this agent, whose agent connects to executors
   * by address (driver-based executors) and so could not tell the two apart.
   */
  public static final int ADDRESS_SHARED_ON_AGENT = 105;
  /** The network has no free address, or the fixed one a label asks for is held by another port. */
  public static final int NO_FREE_ADDRESS = 106;

  private final int code;
  private final String details;

  public CniException(int code, String msg, String details) {
    super(msg);
    this.code = code;
    this.details = details == null ? "" : details;
  }

  /** The error for a failure below the edge: the one map from a failure, and a refusal's reason, to a code. */
  public static CniException of(AttachFailure failure) {
    int code = switch (failure.kind()) {
      case REFUSED -> switch (failure.refusal().orElseThrow().reason()) {
        case NOT_AUTHORIZED -> NOT_AUTHORIZED;
        case INVALID_LABEL -> INVALID_LABEL;
        case UNKNOWN_NETWORK -> UNKNOWN_NETWORK;
        case NO_ADDRESS -> NO_FREE_ADDRESS;
      };
      case TRY_LATER -> TRY_AGAIN_LATER;
      case PLUMBING -> PLUMBING_FAILED;
      case NOT_INSTALLED -> NOT_INSTALLED;
    };
    return new CniException(code, failure.getMessage(), failure.details());
  }

  public int code() {
    return code;
  }

  public String details() {
    return details;
  }
}
