package io.ovnmesos.bench;

import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbConnectionException;
import io.ovnmesos.ovsdb.OvsdbTimeoutException;
import io.ovnmesos.ovsdb.txn.OvsdbTransactionException;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.testbed.Command;
import io.ovnmesos.testbed.Datapath;
import io.ovnmesos.testbed.OvnTestbed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Logical switch ports created per second through ovn-mesos' OVSDB client (one port per transaction,
 * and many per transaction), beside the prototype's way (one {@code ovn-nbctl} process per port), in
 * the same run, against the same real NB, with {@code ovn-northd} running and allocating addresses as
 * in production.
 */
final class PortCreationBenchmark {
  private static final String NB = "OVN_Northbound";
  private static final int PREFILL_PORTS_PER_SWITCH = 200;

  /** How much work each measurement does. */
  record Scale(int existingPorts, int singlePorts, int batchedPorts, int batchSize, int pipelineDepth,
      int nbctlPortsEmpty, int nbctlPortsLoaded, int warmupPorts, int repeats) {
    static Scale full() {
      return new Scale(20_000, 3_000, 10_000, 100, 16, 100, 10, 5_000, 3);
    }

    static Scale quick() {
      return new Scale(400, 100, 400, 100, 16, 3, 2, 100, 1);
    }
  }

  /** One configuration's figures in ports per second (the median of the repeats for ovn-mesos). */
  record Result(String nb, boolean northd, int existingPorts, double singleRate, double pipelinedRate,
      double batchedRate, double nbctlRate, int retries) {}

  private record Config(int clusterSize, int existingPorts, boolean northd) {}

  private final Scale scale;
  private final Consumer<String> progress;

  PortCreationBenchmark(Scale scale, Consumer<String> progress) {
    this.scale = scale;
    this.progress = progress;
  }

  List<Result> run() {
    List<Config> configs = List.of(
        new Config(1, 0, false), new Config(1, scale.existingPorts(), false),
        new Config(3, 0, false), new Config(3, scale.existingPorts(), false),
        new Config(1, 0, true), new Config(1, scale.existingPorts(), true));
    List<Result> results = new ArrayList<>();
    for (Config c : configs) {
      results.add(measure(c));
    }
    return results;
  }

  private Result measure(Config cfg) {
    String nbName = cfg.clusterSize() == 1 ? "standalone" : cfg.clusterSize() + "-member RAFT";
    progress.accept(String.format("%s NB, northd %s, %,d ports already present", nbName,
        cfg.northd() ? "running" : "stopped", cfg.existingPorts()));
    try (OvnTestbed ovn = OvnTestbed.builder().datapath(Datapath.DUMMY).chassis(0).nbClusterSize(cfg.clusterSize()).start();
        OvsdbClient client = OvsdbClient.connect(OvsdbOptions.of(ovn.central().nbTcpRemote())
            .withRequestTimeout(Duration.ofSeconds(60)))) {
      Ports ports = new Ports(client);
      ports.prefill(cfg.existingPorts());
      settle(ovn);
      if (!cfg.northd()) {
        ovn.central().northd().stop();
      }
      // The baseline first, on exactly the prepared state.
      ports.createSwitch("nbctl", "10.200.0.0/16");
      double nbctl = nbctlPorts(ovn, cfg.existingPorts() == 0 ? scale.nbctlPortsEmpty() : scale.nbctlPortsLoaded());
      ports.deleteSwitch("nbctl");
      settle(ovn);

      ports.measure("warmup", scale.warmupPorts(), 1, 1);
      ports.measure("warmup", scale.warmupPorts(), scale.batchSize(), 1);
      settle(ovn);
      int repeats = scale.repeats();
      double[] single = new double[repeats];
      double[] pipelined = new double[repeats];
      double[] batched = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        single[r] = ports.measure("single" + r, scale.singlePorts(), 1, 1);
        settle(ovn);
        pipelined[r] = ports.measure("pipelined" + r, scale.singlePorts(), 1, scale.pipelineDepth());
        settle(ovn);
        batched[r] = ports.measure("batched" + r, scale.batchedPorts(), scale.batchSize(), 1);
        settle(ovn);
      }
      Result res = new Result(nbName, cfg.northd(), cfg.existingPorts(), median(single), median(pipelined),
          median(batched), nbctl, ports.retries);
      progress.accept(String.format("  1 port/txn %,.0f/s   %d in flight %,.0f/s   %d ports/txn %,.0f/s   ovn-nbctl %,.1f/s",
          res.singleRate(), scale.pipelineDepth(), res.pipelinedRate(), scale.batchSize(), res.batchedRate(),
          res.nbctlRate()));
      return res;
    }
  }

  /** Lets northd (if running) catch up, so one measurement's work does not slow the next. */
  private static void settle(OvnTestbed ovn) {
    if (ovn.central().northd().isAlive()) {
      ovn.nbctl("--wait=sb", "sync");
    }
  }

  /** Creates and deletes ports through the client, retrying safely when the connection fails. */
  private static final class Ports {
    private final OvsdbClient client;
    int retries;
    private int round;

    Ports(OvsdbClient client) {
      this.client = client;
    }

    /** Fills NB with {@code ports} ports on switches of 200 with static addresses, as a busy cluster would have. */
    void prefill(int ports) {
      int switches = (ports + PREFILL_PORTS_PER_SWITCH - 1) / PREFILL_PORTS_PER_SWITCH;
      for (int s = 0; s < switches; s++) {
        Transaction t = client.transaction(NB);
        List<NamedUuid> refs = new ArrayList<>();
        for (int p = 0; p < PREFILL_PORTS_PER_SWITCH && s * PREFILL_PORTS_PER_SWITCH + p < ports; p++) {
          refs.add(t.insert("Logical_Switch_Port", Map.of("name", "pre" + s + "-" + p,
              "addresses", List.of(String.format("0a:%02x:%02x:00:00:%02x 172.%d.%d.%d", s / 256, s % 256, p,
                  16 + s / 256, s % 256, p + 1)))));
        }
        t.insert("Logical_Switch", Map.of("name", "pre" + s, "ports", refs,
            "other_config", Map.of("subnet", String.format("172.%d.%d.0/24", 16 + s / 256, s % 256))));
        OvsdbClient.join(t.commit());
      }
    }

    void createSwitch(String name, String subnet) {
      Transaction t = client.transaction(NB);
      t.insert("Logical_Switch", Map.of("name", name, "other_config", Map.of("subnet", subnet)));
      OvsdbClient.join(t.commit());
    }

    /** Deletes a switch; its ports, referenced by nothing else, go with it. */
    void deleteSwitch(String name) {
      OvsdbClient.join(client.transaction(NB).delete("Logical_Switch", List.of(Condition.eq("name", name))).commit());
    }

    /**
     * Creates {@code count} ports with dynamic addresses on a new switch, {@code perTxn} per
     * transaction with up to {@code inFlight} transactions outstanding, then deletes them all.
     * Returns ports per second.
     */
    double measure(String sw, int count, int perTxn, int inFlight) {
      String name = sw + "-" + round++;
      createSwitch(name, "10." + (round % 200) + ".0.0/16");
      Semaphore window = new Semaphore(inFlight);
      List<CompletableFuture<Void>> pending = new ArrayList<>();
      long start = System.nanoTime();
      for (int done = 0; done < count; done += perTxn) {
        List<String> names = new ArrayList<>(perTxn);
        for (int i = done; i < Math.min(count, done + perTxn); i++) {
          names.add(name + "-" + i);
        }
        window.acquireUninterruptibly();
        pending.add(createGuarded(name, names, false).whenComplete((r, e) -> window.release()));
      }
      pending.forEach(CompletableFuture::join);
      double rate = count / seconds(start);
      deleteSwitch(name);
      return rate;
    }

    /**
     * Adds {@code names} to switch {@code sw} in one transaction. If the connection fails (say, the
     * RAFT leader changed), retries with a guard on the first name, so a transaction that did commit
     * is not applied twice.
     */
    private CompletableFuture<Void> createGuarded(String sw, List<String> names, boolean guarded) {
      Transaction t = client.transaction(NB);
      if (guarded) {
        t.guardAbsent("Logical_Switch_Port", List.of(Condition.eq("name", names.get(0))));
      }
      List<NamedUuid> refs = new ArrayList<>(names.size());
      for (String n : names) {
        refs.add(t.insert("Logical_Switch_Port", Map.of("name", n, "addresses", List.of("dynamic"))));
      }
      t.mutate("Logical_Switch", List.of(Condition.eq("name", sw)), List.of(Mutation.insert("ports", refs)));
      return t.commit().handle((r, e) -> {
        if (e == null) {
          return CompletableFuture.<Void>completedFuture(null);
        }
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof OvsdbTransactionException te && te.isTimedOutWait()) {
          return CompletableFuture.<Void>completedFuture(null); // the earlier attempt had committed
        }
        if (cause instanceof OvsdbConnectionException || cause instanceof OvsdbTimeoutException) {
          synchronized (this) {
            retries++;
          }
          return createGuarded(sw, names, true);
        }
        return CompletableFuture.<Void>failedFuture(cause);
      }).thenCompose(f -> f);
    }
  }

  /** The prototype's way: one ovn-nbctl process per port (lsp-add and lsp-set-addresses chained). */
  private static double nbctlPorts(OvnTestbed ovn, int count) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      String name = "n" + i;
      Command.of("ovn-nbctl", "--db=" + ovn.central().nbTcpRemote(), "--timeout=60", "lsp-add", "nbctl", name,
          "--", "lsp-set-addresses", name, "dynamic").timeout(Duration.ofSeconds(90)).check();
    }
    return count / seconds(start);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
