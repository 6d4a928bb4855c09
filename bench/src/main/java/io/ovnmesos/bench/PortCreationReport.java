package io.ovnmesos.bench;

import java.util.List;

/** Renders the port creation figures as the Markdown section of the report. */
final class PortCreationReport {
  private PortCreationReport() {}

  static String render(List<PortCreationBenchmark.Result> results, PortCreationBenchmark.Scale scale,
      String machine, String date, boolean quick) {
    StringBuilder md = new StringBuilder();
    md.append("## Logical switch ports created per second (OVSDB client)\n\n");
    if (quick) {
      md.append("**Quick run: sizes too small for the figures to mean anything.**\n\n");
    }
    md.append("Command: `./scripts/bench ovsdb`. Run on ").append(date).append(", ").append(machine).append(".\n\n");
    md.append(String.format("""
        Each port gets `addresses: ["dynamic"]` on a switch with a subnet, as the prototype's ports
        did. ovn-mesos creates ports on one persistent TCP connection: %,d ports one per transaction,
        each waiting for its reply; the same with %d transactions in flight; and %,d ports %d per
        transaction. Its figures are the median of %d runs, after a warm-up, each run on a fresh switch
        deleted afterwards. The baseline is the 2017 prototype's way, measured first in the same run on
        the same database: one `ovn-nbctl` process per port (`lsp-add` and `lsp-set-addresses`
        chained), %d ports on an empty NB and %d with ports present. The RAFT rows go to the cluster
        leader. Rows with `ovn-northd` stopped measure what the client and `ovsdb-server` can do, which
        is what the goals below describe. Rows with it running are production-like, but on this
        2-core machine `ovn-northd` competes with the database for the CPU while it allocates an
        address for every port. On 2 shared cores, differences under about 2× between runs are
        noise. The rows with ports present run after a 20,000-port prefill, which also warms the JVM
        further; that is why they can come out faster than the empty rows.

        """, scale.singlePorts(), scale.pipelineDepth(), scale.batchedPorts(), scale.batchSize(), scale.repeats(),
        scale.nbctlPortsEmpty(), scale.nbctlPortsLoaded()));
    md.append(String.format("| NB | ovn-northd | ports already in NB | ovn-mesos, 1 port/txn | 1 port/txn, %d in flight | %d ports/txn | ovn-nbctl, 1 process/port | 1 port/txn vs ovn-nbctl | %d/txn vs ovn-nbctl |%n",
        scale.pipelineDepth(), scale.batchSize(), scale.batchSize()));
    md.append("|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
    for (PortCreationBenchmark.Result r : results) {
      md.append(String.format("| %s | %s | %,d | %,.0f /s | %,.0f /s | %,.0f /s | %,.1f /s | %,.0f× | %,.0f× |%n", r.nb(),
          r.northd() ? "running" : "stopped", r.existingPorts(), r.singleRate(), r.pipelinedRate(), r.batchedRate(),
          r.nbctlRate(), r.singleRate() / r.nbctlRate(), r.batchedRate() / r.nbctlRate()));
    }
    int retries = results.stream().mapToInt(PortCreationBenchmark.Result::retries).sum();
    md.append(String.format("%nTransactions retried after a lost connection (guarded, so none applied twice): %d.%n", retries));
    md.append("""

        Goals (issue: OVSDB client): at least 3,000 ports/s at 1 port per transaction and 10,000 ports/s
        batched on a standalone NB; at least 5,000 ports/s batched on RAFT; at least 100 times the
        `ovn-nbctl` baseline with 20,000 ports present.
        """);
    return md.toString();
  }
}
