package io.ovnmesos.bench;

import io.ovnmesos.testbed.Command;
import java.lang.management.ManagementFactory;

/** A one-line description of where a benchmark ran, for its report. */
final class Machine {
  private Machine() {}

  static String describe() {
    long memBytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    return String.format("%d cores, %.0f GiB memory, Java %s (%s), %s, %s", Runtime.getRuntime().availableProcessors(),
        memBytes / (1024.0 * 1024 * 1024), System.getProperty("java.version"), collector(),
        firstLine("ovsdb-server", "--version"), firstLine("ovn-northd", "--version"));
  }

  /** The garbage collector in use: the framework's heap behaviour depends on it. */
  private static String collector() {
    String names = ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName())
        .reduce((a, b) -> a + ", " + b).orElse("");
    if (names.startsWith("PS ")) {
      return "parallel collector";
    }
    if (names.startsWith("G1 ")) {
      return "G1 collector";
    }
    return names;
  }

  private static String firstLine(String... argv) {
    var r = Command.of(argv).run();
    return r.ok() ? r.stdout().lines().findFirst().orElse(argv[0]).strip() : argv[0] + " (not found)";
  }
}
