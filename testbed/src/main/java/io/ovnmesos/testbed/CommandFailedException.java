package io.ovnmesos.testbed;

/** A command exited non-zero or did not finish in time; the message carries its argv and output. */
public final class CommandFailedException extends RuntimeException {
  private final transient CommandResult result;

  CommandFailedException(CommandResult result) {
    super("command " + result.argv() + " exited " + result.exitCode()
        + (result.stdout().isBlank() ? "" : "\nstdout: " + result.stdout().strip())
        + (result.stderr().isBlank() ? "" : "\nstderr: " + result.stderr().strip()));
    this.result = result;
  }

  /** The failed command's result. */
  public CommandResult result() {
    return result;
  }
}
