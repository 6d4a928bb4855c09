package io.ovnmesos.demo;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/** Prints the demo's progress: one line per step with its time, and the failing step if any. */
final class StepPrinter {
  private final PrintStream out;
  private int step;

  StepPrinter(PrintStream out) {
    this.out = out;
  }

  /** Runs one step; on failure prints which one and why, and throws {@link StepFailedException}. */
  <T> T step(String title, Callable<T> body) {
    step++;
    out.printf("==> [%d] %s%n", step, title);
    long start = System.nanoTime();
    try {
      T result = body.call();
      out.printf("    ok (%d ms)%n", (System.nanoTime() - start) / 1_000_000);
      return result;
    } catch (Exception e) {
      out.printf("FAILED at step %d (%s): %s%n", step, title, e.getMessage());
      throw new StepFailedException(e);
    }
  }

  void detail(Object text) {
    if (text instanceof List<?> lines) {
      lines.forEach(l -> out.println("    " + l));
    } else {
      out.println("    " + text);
    }
  }

  void block(String text) {
    text.lines().forEach(l -> out.println("    | " + l));
  }

  void done() {
    out.printf("Demo complete: %d steps passed.%n", step);
  }

  /** A step failed; its message has been printed. */
  static final class StepFailedException extends RuntimeException {
    StepFailedException(Throwable cause) {
      super(cause);
    }
  }
}
