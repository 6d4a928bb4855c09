package io.ovnmesos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.Datapath;
import io.ovnmesos.testbed.Prerequisites;
import io.ovnmesos.testbed.junit.HostRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Keeps the suite from rotting: a quick run must produce the report. Figures are not checked. */
@ExtendWith(BenchTest.NeedsOvn.class)
class BenchTest {

  @Test
  void aQuickRunWritesItsSectionAndKeepsTheOthers(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("benchmarks.md");
    Files.writeString(report, BenchmarkReport.HEADER + "\n<!-- bench:other:begin -->\nkept\n<!-- bench:other:end -->\n");

    int exit = new CommandLine(new Bench()).execute("--quick", "--out", report.toString(), "ovsdb");

    assertThat(exit).isZero();
    String md = Files.readString(report);
    assertThat(md).contains("kept").contains("<!-- bench:ovsdb:begin -->").contains("| standalone | stopped | 0 |")
        .contains("| 3-member RAFT | stopped | 400 |").contains("Quick run");
    new CommandLine(new Bench()).execute("--quick", "--out", report.toString(), "ovsdb");
    assertThat(Files.readString(report).split("bench:ovsdb:begin", -1)).hasSize(2);
  }

  @Test
  void aQuickCniRunMeasuresAllThreeWays(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("benchmarks.md");
    System.setProperty("ovnmesos.plugin", "../cni/target/ovn-mesos-plugin");

    int exit = new CommandLine(new Bench()).execute("--quick", "--out", report.toString(), "cni");

    assertThat(exit).isZero();
    assertThat(Files.readString(report)).contains("| ovn-mesos, port made at ADD |")
        .contains("| ovn-mesos, port made by the framework |").contains("| 2017 prototype");
  }

  @Test
  void aQuickFrameworkRunMeasuresBurstsAndReconciliation(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("benchmarks.md");

    int exit = new CommandLine(new Bench()).execute("--quick", "--out", report.toString(), "framework", "reconcile");

    assertThat(exit).isZero();
    assertThat(Files.readString(report)).contains("| standalone | 50 |").contains("| 3-member RAFT | 50 |")
        .contains("<!-- bench:reconcile:begin -->").contains("| 300 |");
  }

  static final class NeedsOvn implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return HostRequirements.evaluate(Prerequisites.missing(Datapath.NETDEV));
    }
  }
}
