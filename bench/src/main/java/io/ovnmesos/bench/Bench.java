package io.ovnmesos.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The benchmark suite's command line: runs the named sections and writes them to the report. */
@Command(name = "ovn-mesos-bench", mixinStandardHelpOptions = true,
    description = "Measures ovn-mesos beside the prototype's way and writes the results to a Markdown report.")
public final class Bench implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "SECTION", description = "Sections to run (default: all): ${COMPLETION-CANDIDATES}")
  List<Section> sections = List.of(Section.values());

  @Option(names = "--out", description = "The report to update (default: ${DEFAULT-VALUE}).", defaultValue = "docs/benchmarks.md")
  Path out;

  @Option(names = "--quick", description = "Tiny sizes, to check that the suite runs; figures are not meaningful.")
  boolean quick;

  /** The sections of the report. */
  enum Section { ovsdb, cni, framework, reconcile }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    for (Section s : sections) {
      switch (s) {
        case ovsdb -> runOvsdb();
        case cni -> runCni();
        case framework -> runFramework();
        case reconcile -> runReconcile();
      }
    }
    System.out.println("Wrote " + out);
    return 0;
  }

  private void runCni() throws Exception {
    int containers = quick ? 5 : 200;
    List<CniAddBenchmark.Stats> stats = new CniAddBenchmark(containers, System.out::println).run();
    StringBuilder md = new StringBuilder("## CNI ADD latency, as the Mesos agent sees it\n\n");
    if (quick) {
      md.append("**Quick run: sizes too small for the figures to mean anything.**\n\n");
    }
    md.append("Command: `./scripts/bench cni`. Run on ").append(LocalDate.now()).append(", ").append(Machine.describe())
        .append(".\n\n");
    md.append("""
        From starting the plugin process (as the agent does: only CNI_* and PATH in its environment, Mesos'
        config on stdin) to its exit with the result, for %d containers one after another, each with its
        own network namespace, on one chassis (netdev datapath). ovn-mesos' figure includes OVN assigning
        the address and ovn-controller installing the port's flows (`ovn-installed`), which it waits for,
        and, as in production, each container's path to its agent and the agent's route back to the
        executor (the hook has `--agent-endpoint`, with Mesos' default, driver-based executors); one
        row leaves that path out, to show its cost.
        "Port made by the framework" is the production path. A test-cluster master announces every
        task first (TASK_ADDED comes before the agent even gets the task). The framework makes the
        ports, and a hook in framework mode claims each one over gRPC when its ADD comes. That switch
        therefore holds all of its ports throughout, while the port-made-at-ADD switch grows from 0.
        ovn-controller installs flows for every port of a switch, which costs this row some of
        what it saves.
        The 2017 prototype's way is run step by step as it ran
        them, each a process: `ovn-nbctl --wait=sb lsp-add` with `dynamic`, a read of `dynamic_addresses`,
        the veth plumbing with `ip`, and `ovs-vsctl add-port`; it never waited for the flows.

        | way | p50 | p90 | p99 | mean |
        |---|--:|--:|--:|--:|
        """.formatted(containers));
    for (CniAddBenchmark.Stats s : stats) {
      md.append(String.format("| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms |%n", s.way(), s.p50(), s.p90(), s.p99(), s.mean()));
    }
    double proto = stats.get(stats.size() - 1).p50();
    double framework = stats.stream().filter(s -> s.way().contains("framework")).findFirst().orElseThrow().p50();
    md.append(String.format("%nAt the median, ovn-mesos is %.1f times faster than the prototype's way with a port made at ADD, "
        + "and %.1f times with the port made by the framework.%n", proto / stats.get(0).p50(), proto / framework));
    md.append("""

        Goal (issue: agent side): p50 at most 150 ms including process start, and at least 3 times faster than
        the prototype's way.
        """);
    BenchmarkReport.writeSection(out, "cni", md.toString());
  }

  private void runFramework() throws Exception {
    FrameworkBenchmark.Scale scale = quick ? FrameworkBenchmark.Scale.quick() : FrameworkBenchmark.Scale.full();
    List<FrameworkBenchmark.Burst> bursts = new FrameworkBenchmark(scale, System.out::println).bursts();
    BenchmarkReport.writeSection(out, "framework", FrameworkReport.bursts(bursts, scale, Machine.describe(),
        LocalDate.now().toString(), quick));
  }

  private void runReconcile() throws Exception {
    FrameworkBenchmark.Scale scale = quick ? FrameworkBenchmark.Scale.quick() : FrameworkBenchmark.Scale.full();
    FrameworkBenchmark.Reconcile r = new FrameworkBenchmark(scale, System.out::println).reconcile();
    BenchmarkReport.writeSection(out, "reconcile", FrameworkReport.reconcile(r, Machine.describe(),
        LocalDate.now().toString(), quick));
  }

  private void runOvsdb() throws Exception {
    PortCreationBenchmark.Scale scale = quick ? PortCreationBenchmark.Scale.quick() : PortCreationBenchmark.Scale.full();
    List<PortCreationBenchmark.Result> results = new PortCreationBenchmark(scale, System.out::println).run();
    BenchmarkReport.writeSection(out, "ovsdb", PortCreationReport.render(results, scale, Machine.describe(),
        LocalDate.now().toString(), quick));
  }
}
