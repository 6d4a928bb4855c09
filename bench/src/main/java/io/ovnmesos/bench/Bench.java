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
  enum Section { ovsdb }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    for (Section s : sections) {
      switch (s) {
        case ovsdb -> runOvsdb();
      }
    }
    System.out.println("Wrote " + out);
    return 0;
  }

  private void runOvsdb() throws Exception {
    PortCreationBenchmark.Scale scale = quick ? PortCreationBenchmark.Scale.quick() : PortCreationBenchmark.Scale.full();
    List<PortCreationBenchmark.Result> results = new PortCreationBenchmark(scale, System.out::println).run();
    BenchmarkReport.writeSection(out, "ovsdb", PortCreationReport.render(results, scale, Machine.describe(),
        LocalDate.now().toString(), quick));
  }
}
