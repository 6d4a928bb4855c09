package io.ovnmesos.bench;

import java.util.List;

/** The framework's sections of docs/benchmarks.md: bursts of task events, and reconciliation at scale. */
final class FrameworkReport {
  private FrameworkReport() {}

  private static StringBuilder head(String title, String section, String machine, String date, boolean quick) {
    StringBuilder md = new StringBuilder("## " + title + "\n\n");
    if (quick) {
      md.append("**Quick run: sizes too small for the figures to mean anything.**\n\n");
    }
    md.append("Command: `./scripts/bench ").append(section).append("`. Run on ").append(date).append(", ").append(machine)
        .append(".\n\n");
    return md;
  }

  static String bursts(List<FrameworkBenchmark.Burst> bursts, FrameworkBenchmark.Scale scale, String machine, String date,
      boolean quick) {
    StringBuilder md = head("The framework: ports from task events", "framework", machine, date, quick);
    md.append("""
        The test cluster's master announces %,d tasks as fast as it can, on agents that run nothing. Each
        gets the master's work of one LAUNCH: TASK_ADDED on the real operator API stream, which the
        framework reads in protobuf. The framework creates one port per task. A separate Northbound
        monitor notes when each port appears. Latency runs from the master announcing the task to the
        port being visible in the Northbound database. The rate runs from the first announcement to the
        last port. Then every task is killed, and the ports are deleted.

        The framework runs as in production: `ovn-mesos-framework` in a JVM of its own, with default
        JVM options. The test master and the monitor share the benchmark's JVM. Everything, OVN
        included, shares the machine's cores. The framework is warm, as a long-running one is: bursts
        of the same size run first, unmeasured, until during one its JIT compiler threads use under
        200 ms of CPU and the benchmark's JVM compiles for under 200 ms (at most 12 rounds). Each
        measured burst starts once ovn-northd has caught up with the one before (`ovn-nbctl --wait=sb
        sync`). The measured burst runs %d times, and each figure is the median of those runs.

        Beside it is the prototype's way: one `ovn-nbctl` process per port (`lsp-add` with a dynamic
        address, and `lsp-del`), one after another, as one agent's plugin ran them. It runs for %,d
        ports on the same database.

        | Northbound | ports | created/s | p50 | p99 | deleted/s | prototype created/s | prototype deleted/s | speed-up (create) |
        |---|--:|--:|--:|--:|--:|--:|--:|--:|
        """.formatted(scale.burst(), scale.measuredBursts(), scale.prototypePorts()));
    for (FrameworkBenchmark.Burst b : bursts) {
      md.append(String.format("| %s | %,d | %,.0f | %.0f ms | %.0f ms | %,.0f | %,.1f | %,.1f | %,.0f× |%n", b.nb(), b.ports(),
          b.createPerSecond(), b.p50Millis(), b.p99Millis(), b.deletePerSecond(), b.prototypeCreatePerSecond(),
          b.prototypeDeletePerSecond(), b.createPerSecond() / b.prototypeCreatePerSecond()));
    }
    md.append("""

        CPU time each process used while a burst's ports were created (medians, milliseconds; NB is the sum
        over its members):

        | Northbound | framework | NB | ovn-northd | SB |
        |---|--:|--:|--:|--:|
        """);
    for (FrameworkBenchmark.Burst b : bursts) {
      md.append(String.format("| %s | %,.0f | %,.0f | %,.0f | %,.0f |%n", b.nb(), b.cpu().framework(), b.cpu().nb(),
          b.cpu().northd(), b.cpu().sb()));
    }
    md.append("""

        Goal (issue: framework): at least 2,000 ports/s on a standalone Northbound and 1,000 ports/s on a
        3-member RAFT one, with p99 under 1 s.
        """);
    return md.toString();
  }

  static String reconcile(FrameworkBenchmark.Reconcile r, String machine, String date, boolean quick) {
    StringBuilder md = head("The framework: reconciliation at scale", "reconcile", machine, date, quick);
    md.append("""
        A master has %,d tasks, each with one OVN interface, on 10 agents. The Northbound is standalone.

        - **From empty**: the framework starts with no ports in OVN, and the time runs until all of
          them are visible in the Northbound.
        - **Restart**: the framework is then restarted with all ports in place, and the time runs from
          its start to the end of reconciling the snapshot. That covers registration, the operator
          snapshot (in protobuf) and the comparison with OVN: of every port, every column the framework
          writes (addresses, port security, marks, type), as a drifted port would be repaired. Before
          it, `ovn-nbctl --wait=sb sync` waits until ovn-northd has caught up with the ports, as it has
          long before a real restart.
        - **Heap** is what the restarted framework holds after a full collection, beyond what the
          process held before any framework started (the master's tasks). Anything the first
          framework left behind would count too. For this the framework runs inside the benchmark's
          process (unlike the bursts), beside the test cluster's master.

        | tasks | from empty | restart (compare only) | framework heap |
        |--:|--:|--:|--:|
        | %,d | %.1f s | %.1f s | %,d MiB |

        Goal (issue: framework): reconcile under 10 s and under 1 GiB with 100,000 tasks. The prototype
        had no reconciliation.
        """.formatted(r.tasks(), r.tasks(), r.fromEmptySeconds(), r.restartSeconds(), r.heapBytes() >> 20));
    return md.toString();
  }
}
