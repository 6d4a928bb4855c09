package io.ovnmesos.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The suite's results, one row per scenario, written as a Markdown table for docs/reliability.md. */
final class FaultReport {
  /** One scenario's outcome. */
  record Row(String scenario, int launched, int killed, int failed, int retried, int leaked, String traffic, double settleSeconds,
      String breaches) {}

  private final List<Row> rows = new ArrayList<>();
  private final Path file;

  FaultReport(Path file) {
    this.file = file;
  }

  synchronized void add(Row row) {
    rows.add(row);
    write();
  }

  synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  private void write() {
    StringBuilder out = new StringBuilder();
    out.append("| scenario | launched | killed | failed | retried | leaked | cross-agent ping after | settled in |\n");
    out.append("|---|---:|---:|---:|---:|---:|---|---:|\n");
    for (Row r : rows) {
      out.append(String.format("| %s | %d | %d | %d | %d | %d | %s | %.1f s |%n", r.scenario(), r.launched(), r.killed(),
          r.failed(), r.retried(), r.leaked(), r.traffic(), r.settleSeconds()));
    }
    for (Row r : rows) {
      if (!r.breaches().isEmpty()) {
        out.append("\n").append(r.scenario()).append(": ").append(r.breaches()).append("\n");
      }
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
