package io.ovnmesos.proto.v1;

import io.grpc.Metadata;
import io.grpc.protobuf.ProtoUtils;

/** Trailers a PortClaims answer may carry beside its status, part of the contract in ports.proto. */
public final class ClaimTrailers {
  /** On a refused Claim (PERMISSION_DENIED or FAILED_PRECONDITION): why. The agent picks its CNI error code from it. */
  public static final Metadata.Key<ClaimRefusal> REFUSAL = ProtoUtils.keyForProto(ClaimRefusal.getDefaultInstance());

  private ClaimTrailers() {}
}
