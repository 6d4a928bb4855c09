package io.ovnmesos.testcluster.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Runs a program as the agent runs CNI plugins and mount helpers: argv only, no time limit. */
final class Subprocess {
  record Result(int exit, String stdout, String stderr) {
    Result orThrow(String what) {
      if (exit != 0) {
        throw new CniIsolator.CniFailure("Failed to " + what + ": " + stderr.strip());
      }
      return this;
    }
  }

  private Subprocess() {}

  static Result run(List<String> argv, Path stdin) {
    return run(argv, null, stdin);
  }

  /** With {@code env} not null, the child gets exactly that environment and nothing inherited. */
  static Result run(List<String> argv, Map<String, String> env, Path stdin) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (env != null) {
      pb.environment().clear();
      pb.environment().putAll(env);
    }
    pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())
        : ProcessBuilder.Redirect.from(stdin.toFile()));
    try {
      java.lang.Process p = pb.start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      int exit = p.waitFor();
      return new Result(exit, out.join(), err.join());
    } catch (IOException e) {
      return new Result(127, "", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(130, "", "interrupted");
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
