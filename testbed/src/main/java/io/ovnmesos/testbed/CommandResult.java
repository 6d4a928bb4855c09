package io.ovnmesos.testbed;

import java.util.List;

/** What a finished command printed and how it exited. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {

  /** True when the command exited 0. */
  public boolean ok() {
    return exitCode == 0;
  }

  /** Returns this result, or throws {@link CommandFailedException} if the command did not exit 0. */
  public CommandResult check() {
    if (!ok()) {
      throw new CommandFailedException(this);
    }
    return this;
  }

  /** Standard output without the trailing newline. */
  public String out() {
    return stdout.strip();
  }
}
