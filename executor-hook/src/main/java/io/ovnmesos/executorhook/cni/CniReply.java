package io.ovnmesos.executorhook.cni;

/** What the plugin prints and the exit code it returns; {@code errorCode} is the CNI code of a failure, else 0. */
public record CniReply(int exit, String stdout, int errorCode) {
  public static CniReply ok(String stdout) {
    return new CniReply(0, stdout, 0);
  }

  /** A failure: the spec's error object in {@code version}, exit 1. */
  public static CniReply error(CniException e, String version) {
    return new CniReply(1, CniResultWriter.error(e, version), e.code());
  }
}
