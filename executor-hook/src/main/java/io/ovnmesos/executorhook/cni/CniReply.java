package io.ovnmesos.executorhook.cni;

/** What the plugin prints and the exit code it returns. */
public record CniReply(int exit, String stdout) {
  public static CniReply ok(String stdout) {
    return new CniReply(0, stdout);
  }
}
