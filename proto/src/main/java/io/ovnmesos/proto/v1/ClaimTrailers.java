package io.ovnmesos.proto.v1;

import io.grpc.Metadata;

/** Trailers a PortClaims answer may carry beside its status, part of the contract in ports.proto. */
public final class ClaimTrailers {
  /**
   * On a refused Claim (PERMISSION_DENIED or FAILED_PRECONDITION): why, as one of NOT_AUTHORIZED,
   * INVALID_LABEL, UNKNOWN_NETWORK, NO_ADDRESS. The agent picks its CNI error code from it.
   */
  public static final Metadata.Key<String> REFUSAL = Metadata.Key.of("ovn-mesos-refusal", Metadata.ASCII_STRING_MARSHALLER);

  private ClaimTrailers() {}
}
