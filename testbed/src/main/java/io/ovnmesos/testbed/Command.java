package io.ovnmesos.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived program with an argument vector (never through a shell) and a time limit.
 *
 * <p>The testbed uses it for set-up only: {@code ip}, {@code ovsdb-tool} and the OVS/OVN control
 * utilities. Product code talks OVSDB natively instead.
 */
public final class Command {
  /** Exit code reported when the time limit killed the command. */
  public static final int TIMED_OUT = 124;

  private final List<String> argv;
  private final Map<String, String> env;
  private Duration timeout = Duration.ofSeconds(60);
  private byte[] stdin = new byte[0];
  private java.nio.file.Path workingDir;

  private Command(List<String> argv, Map<String, String> env) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must name a program");
    }
    this.argv = List.copyOf(argv);
    this.env = Map.copyOf(env);
  }

  /** A command with the JVM's environment. */
  public static Command of(String... argv) {
    return new Command(List.of(argv), Map.of());
  }

  /** A command with the JVM's environment plus {@code env}. */
  public static Command of(Map<String, String> env, List<String> argv) {
    return new Command(argv, env);
  }

  /** Sets the time limit; past it the command is killed and reported as exit {@link #TIMED_OUT}. */
  public Command timeout(Duration limit) {
    this.timeout = limit;
    return this;
  }

  /** Runs the command in {@code dir} instead of the JVM's working directory. */
  public Command in(java.nio.file.Path dir) {
    this.workingDir = dir;
    return this;
  }

  /** Sets what the command reads on standard input. */
  public Command stdin(String input) {
    this.stdin = input.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** Runs the command and returns its result whatever the exit code. */
  public CommandResult run() {
    List<String> resolved = new ArrayList<>(argv);
    Prerequisites.find(argv.get(0)).ifPresent(path -> resolved.set(0, path.toString()));
    ProcessBuilder pb = new ProcessBuilder(resolved);
    pb.environment().putAll(env);
    if (workingDir != null) {
      pb.directory(workingDir.toFile());
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new CommandResult(argv, 127, "", "cannot start " + argv.get(0) + ": " + e.getMessage());
    }
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    try {
      try (var in = p.getOutputStream()) {
        in.write(stdin);
      } catch (IOException ignored) {
        // A command that does not read its input closes the pipe early; that is not an error here.
      }
      boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
        return new CommandResult(argv, TIMED_OUT, out.join(),
            err.join() + "\n(killed after " + timeout.toMillis() + " ms)");
      }
      return new CommandResult(argv, p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new CommandResult(argv, TIMED_OUT, "", "interrupted");
    }
  }

  /** Runs the command and throws {@link CommandFailedException} unless it exits 0. */
  public CommandResult check() {
    return run().check();
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Joins argv parts, flattening nested lists; handy for building argv from fixed and variable parts. */
  public static List<String> argv(Object... parts) {
    List<String> out = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof List<?> list) {
        list.forEach(x -> out.add(String.valueOf(x)));
      } else if (part instanceof String[] arr) {
        out.addAll(List.of(arr));
      } else {
        out.add(String.valueOf(part));
      }
    }
    return out;
  }
}
