package io.ovnmesos.executorhook.plumbing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host tool (ip, nsenter, ethtool) with an argument vector, never a shell, and a time limit.
 * Values that reach it (interface names, namespace paths, addresses) are checked before.
 */
final class Exec {
  record Result(int exit, String out, String err) {
    boolean ok() {
      return exit == 0;
    }
  }

  private Exec() {}

  static Result run(List<String> argv, String stdin, Duration limit) {
    Process p;
    try {
      p = new ProcessBuilder(argv).start();
    } catch (IOException e) {
      return new Result(127, "", "cannot run " + argv.get(0) + ": " + e.getMessage());
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException ignored) {
      // the tool did not read its input; its exit code tells
    }
    try {
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(124, out.join(), "timed out after " + limit.toMillis() + " ms");
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(124, "", "interrupted");
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
