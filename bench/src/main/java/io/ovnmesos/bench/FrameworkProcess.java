package io.ovnmesos.bench;

import io.ovnmesos.testbed.Waiter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The framework as it runs in production: {@code ovn-mesos-framework} in a JVM of its own, started
 * with its command-line flags and ready once its {@code /ready} says so. Its JIT compiler then warms
 * up on the framework's code alone, and its CPU time can be told apart from the test master's.
 */
final class FrameworkProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private FrameworkProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts a framework for {@code master} and {@code nb}, its output in {@code log}, and waits until it is ready. */
  static FrameworkProcess start(String master, String nb, Path log) throws IOException {
    int statusPort;
    try (ServerSocket s = new ServerSocket(0)) {
      statusPort = s.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ovnmesos.framework.OvnMesosFramework",
        "--master", master, "--nb", nb, "--grpc-address", "127.0.0.1:0", "--status-address", "127.0.0.1:" + statusPort));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    FrameworkProcess f = new FrameworkProcess(p, log);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + "/ready")).build();
    try {
      Waiter.until("the framework process ready (its log: " + log + ")", Duration.ofSeconds(120), () -> {
        if (!p.isAlive()) {
          throw new IllegalStateException("the framework process exited with " + p.exitValue() + "; its log: " + log);
        }
        try {
          return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
          return false; // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      });
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
    return f;
  }

  /** CPU time the process has used, in milliseconds. */
  long cpuMillis() {
    return ProcessCpu.millis(process.pid());
  }

  /** CPU time its JIT compiler threads have used, in milliseconds. */
  long compilerMillis() {
    return ProcessCpu.threadMillis(process.pid(), name -> name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "framework process " + process.pid() + " (log " + log + ")";
  }
}
