package io.ovnmesos.faults;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An ovn-mesos daemon (the framework or an executor hook) run as its own JVM, as systemd runs it, so
 * that a fault can be a real {@code kill -9}; started again with the same arguments, as
 * {@code Restart=always} would. Its output goes to a log file, appended across restarts.
 */
final class Daemons implements AutoCloseable {
  private final String name;
  private final List<String> argv;
  private final Path log;
  private Process process;
  private int starts;

  Daemons(String name, Class<?> main, List<String> args, Path log) {
    this.name = name;
    this.log = log;
    argv = new ArrayList<>();
    // Killed with the test's JVM, even by SIGKILL, as the testbed's daemons are (setpriv execs java).
    argv.add("setpriv");
    argv.add("--pdeathsig");
    argv.add("KILL");
    argv.add("--");
    argv.add(ProcessHandle.current().info().command().orElse("java"));
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add("-Xss512k");
    argv.add("-XX:TieredStopAtLevel=1");
    argv.add("-Dcom.google.protobuf.use_unsafe_pre22_gencode=true");
    // INFO, so that the log shows each call and each restart's clean-up.
    argv.add("-Dlogback.configurationFile=logback-test.xml");
    argv.add(main.getName());
    argv.addAll(args);
  }

  synchronized Daemons start() {
    try {
      process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name, e);
    }
    starts++;
    return this;
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, whatever it was doing is cut off. */
  synchronized void kill9() {
    if (process != null) {
      process.destroyForcibly();
      await();
    }
  }

  /** SIGTERM, as systemd stops it. */
  synchronized void stop() {
    if (process != null) {
      process.destroy();
      await();
    }
  }

  private void await() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  synchronized int starts() {
    return starts;
  }

  String name() {
    return name;
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return name + " (log " + log + ")";
  }
}
