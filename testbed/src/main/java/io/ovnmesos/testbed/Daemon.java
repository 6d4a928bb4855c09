package io.ovnmesos.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived OVS or OVN process (ovsdb-server, ovn-northd, ovs-vswitchd, ovn-controller) run in
 * the foreground as a child of this JVM.
 *
 * <p>Foreground children are reaped by the JVM, so a killed daemon leaves no zombie. Each is started
 * through {@code setpriv --pdeathsig KILL} from one launcher thread that lives as long as the JVM: the
 * kernel delivers the parent-death signal when the spawning thread exits, so daemons die with the JVM
 * even when it is killed with SIGKILL.
 */
public final class Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
  private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "testbed-daemon-launcher");
    t.setDaemon(true);
    return t;
  });

  private final String name;
  private final List<String> argv;
  private final Map<String, String> env;
  private final Path console;
  private Process process;

  /**
   * A daemon that runs {@code program} in network namespace {@code netns} (null: this one), with
   * stdout and stderr appended to {@code console}.
   */
  Daemon(String name, Netns netns, Map<String, String> env, Path console, List<String> program) {
    this.name = name;
    String setpriv = Prerequisites.find("setpriv").map(Path::toString).orElse("setpriv");
    List<String> full = new ArrayList<>(List.of(setpriv, "--pdeathsig", "KILL"));
    if (netns != null) {
      full.addAll(List.of("ip", "netns", "exec", netns.name()));
    }
    full.addAll(program);
    this.argv = List.copyOf(full);
    this.env = Map.copyOf(env);
    this.console = console;
  }

  /** The daemon's short name, e.g. {@code ovn-northd}. */
  public String name() {
    return name;
  }

  /** Starts the process; does nothing if it is already running. Readiness is the caller's to check. */
  public synchronized Daemon start() {
    if (isAlive()) {
      return this;
    }
    ProcessBuilder pb = new ProcessBuilder(argv)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().putAll(env);
    try {
      process = LAUNCHER.submit(pb::start).get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? new UncheckedIOException("cannot start " + name, io)
          : new IllegalStateException("cannot start " + name, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + name, e);
    }
    LOG.debug("started {} (pid {}): {}", name, process.pid(), argv);
    return this;
  }

  /** True while the process runs. */
  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The process id of the current or last run. */
  public synchronized Optional<Long> pid() {
    return process == null ? Optional.empty() : Optional.of(process.pid());
  }

  /** Asks the daemon to exit (SIGTERM) and kills it if it has not exited within 10 s. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    awaitExit(10);
  }

  /** Kills the daemon at once (SIGKILL), as a crash would. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    awaitExit(10);
  }

  /** Stops and starts the daemon with the same arguments. */
  public synchronized Daemon restart() {
    stop();
    return start();
  }

  private void awaitExit(int seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        LOG.warn("{} (pid {}) ignored SIGTERM for {} s; killing it", name, process.pid(), seconds);
        process.destroyForcibly();
        process.waitFor(seconds, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + pid().map(p -> " (pid " + p + ")").orElse("");
  }
}
