package io.ovnmesos.bench;

import io.ovnmesos.framework.Framework;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.framework.scheduler.FrameworkRegistration;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.ovsdb.cache.DatabaseCache;
import io.ovnmesos.ovsdb.cache.MonitorSpec;
import io.ovnmesos.ovsdb.cache.RowChange;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.testbed.Command;
import io.ovnmesos.testbed.Datapath;
import io.ovnmesos.testbed.OvnCentral;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.network.NetworkSpec;
import io.ovnmesos.topology.port.PortMarks;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos;

/**
 * The framework under load, driven by the Mesos test cluster's master over the real operator API
 * (agents that run nothing, so the master can announce tasks faster than containers could start):
 * a burst of TASK_ADDED events, then of kills, with ports seen appearing and going by a separate
 * Northbound monitor, the framework in a process of its own; and a framework that starts against a
 * master with very many tasks, in this process so that its heap can be measured. Beside it, the
 * prototype's way: one {@code ovn-nbctl} process per port.
 */
final class FrameworkBenchmark {
  /** Sizes of a run. */
  record Scale(int burst, int measuredBursts, int prototypePorts, int reconcileTasks) {
    static Scale full() {
      return new Scale(5_000, 5, 500, 100_000);
    }

    static Scale quick() {
      return new Scale(50, 1, 10, 300);
    }
  }

  /**
   * A burst on one kind of Northbound. The CPU figures are milliseconds of CPU time that each process
   * used while the burst was being created: the framework, the Northbound server(s), ovn-northd and the
   * Southbound server.
   */
  record Burst(String nb, int ports, double createPerSecond, double p50Millis, double p99Millis, double deletePerSecond,
      double prototypeCreatePerSecond, double prototypeDeletePerSecond, Cpu cpu) {}

  /** CPU milliseconds per process over one burst's creation. */
  record Cpu(double framework, double nb, double northd, double sb) {}

  /** Starting against a master with many tasks. */
  record Reconcile(int tasks, double fromEmptySeconds, double restartSeconds, long heapBytes) {}

  private static final int AGENTS = 10;
  private static final int MAX_WARM_UP_ROUNDS = 12;
  /** JIT compiler time during a warm-up burst below which the framework (and this JVM) count as warm. */
  private static final long WARM_ENOUGH_MILLIS = 200;
  private final Scale scale;
  private final Consumer<String> progress;

  FrameworkBenchmark(Scale scale, Consumer<String> progress) {
    this.scale = scale;
    this.progress = progress;
  }

  /** Watches the framework's ports in the Northbound: when each first appeared, and which are there. */
  private static final class PortWatch implements AutoCloseable {
    final OvsdbClient client;
    final DatabaseCache cache;
    final Map<String, Long> appeared = new ConcurrentHashMap<>();

    PortWatch(String nb) {
      client = OvsdbClient.connect(OvsdbOptions.of(nb));
      cache = client.monitor(Northbound.DB, MonitorSpec.create().table(LogicalSwitchPort.TABLE_NAME, LogicalSwitchPort.NAME));
      cache.addListener(changes -> {
        long now = System.nanoTime();
        for (RowChange c : changes) {
          String name = c.row().string(LogicalSwitchPort.NAME);
          if (!name.contains("/")) {
            continue; // not a task port: the network's router port
          }
          if (c.kind() == RowChange.Kind.INSERT) {
            appeared.putIfAbsent(name, now);
          }
        }
      });
    }

    void awaitCount(int n, Duration limit) {
      OvsdbClient.join(cache.await(n + " task ports", limit, c -> c.rows(LogicalSwitchPort.TABLE_NAME).stream()
          .filter(r -> r.string(LogicalSwitchPort.NAME).contains("/")).count() == n ? Optional.of(true) : Optional.empty()));
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** The tenant and its network, big enough for every run. */
  private static void layOut(OvnTestbed ovn) {
    try (Topology topo = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())))) {
      topo.tenants().create("bench");
      topo.networks().create(NetworkSpec.of("bench", "bench1", "10.128.0.0/12"));
    }
  }

  private static Framework startFramework(String master, String nb) throws Exception {
    Framework f = Framework.start(new Framework.Settings(master, Optional.empty(), OvsdbOptions.of(nb), Optional.empty(),
        "/ovn-mesos", 6000, new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
        FrameworkRegistration.frameworkInfo("ovn-mesos", "root", List.of("ovn-mesos"), Optional.empty(), Duration.ofDays(28),
            Optional.empty()), Set.of("ovn"), TenantAccess.allowAll(), Duration.ofMinutes(15), Duration.ofMinutes(10),
        Duration.ofMillis(100)));
    Waiter.until("the framework subscribed", Duration.ofSeconds(120), f::isReady);
    return f;
  }

  private static Protos.TaskInfo task(int i) {
    return task("t" + i);
  }

  private static Protos.TaskInfo task(String id) {
    return Protos.TaskInfo.newBuilder().setName(id).setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue("S" + Math.floorMod(id.hashCode(), AGENTS)))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 600"))
        .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS)
            .addNetworkInfos(Protos.NetworkInfo.newBuilder().setName("ovn").setLabels(Protos.Labels.newBuilder()
                .addLabels(Protos.Label.newBuilder().setKey("logical_switch").setValue("bench1")))))
        .build();
  }

  private static Protos.FrameworkID withAgents(Master master) {
    for (int a = 0; a < AGENTS; a++) {
      master.addIdleAgent(Protos.AgentID.newBuilder().setValue("S" + a).build(), "agent-" + a);
    }
    return master.addFramework(Protos.FrameworkInfo.newBuilder().setName("marathon").setUser("root").build());
  }

  /** The burst on a standalone and on a 3-member RAFT Northbound. */
  List<Burst> bursts() throws Exception {
    List<Burst> out = new ArrayList<>();
    for (int members : new int[] {1, 3}) {
      out.add(burst(members));
    }
    return out;
  }

  private Burst burst(int members) throws Exception {
    String kind = members == 1 ? "standalone" : members + "-member RAFT";
    progress.accept("framework burst, " + kind + " NB: " + scale.burst() + " tasks, " + scale.measuredBursts() + " times");
    Path log = Files.createTempFile("ovn-mesos-bench-framework-", ".log");
    try (OvnTestbed ovn = OvnTestbed.builder().datapath(Datapath.DUMMY).chassis(0).nbClusterSize(members).start()) {
      layOut(ovn);
      Master master = new Master();
      Protos.FrameworkID marathon = withAgents(master);
      List<double[]> runs = new ArrayList<>();
      try (MasterServer server = MasterServer.start(master, Duration.ofSeconds(1));
          FrameworkProcess framework = FrameworkProcess.start(server.address(), ovn.nbRemote(), log);
          PortWatch watch = new PortWatch(ovn.nbRemote())) {
        warmUp(master, marathon, watch, framework);
        for (int run = 0; run < scale.measuredBursts(); run++) {
          runs.add(measuredBurst(ovn, master, marathon, watch, framework, "r" + run + "-"));
        }
      }
      double[] prototype = prototype(ovn, scale.prototypePorts());
      Burst b = new Burst(kind, scale.burst(), median(runs, 0), median(runs, 1), median(runs, 2), median(runs, 3),
          prototype[0], prototype[1], new Cpu(median(runs, 4), median(runs, 5), median(runs, 6), median(runs, 7)));
      progress.accept(String.format("  median: create %,.0f/s  p50 %.0f ms  p99 %.0f ms  delete %,.0f/s  prototype %,.1f/s and %,.1f/s",
          b.createPerSecond(), b.p50Millis(), b.p99Millis(), b.deletePerSecond(), b.prototypeCreatePerSecond(),
          b.prototypeDeletePerSecond()));
      Files.deleteIfExists(log);
      return b;
    }
  }

  /** CPU milliseconds used so far by the framework, the Northbound server(s), ovn-northd and the Southbound server. */
  private static double[] cpu(OvnTestbed ovn, FrameworkProcess framework) {
    OvnCentral c = ovn.central();
    double nb = c.nbServers().stream().mapToLong(s -> s.pid().map(ProcessCpu::millis).orElse(0L)).sum();
    return new double[] {framework.cpuMillis(), nb, c.northd().pid().map(ProcessCpu::millis).orElse(0L),
        c.sbServer().pid().map(ProcessCpu::millis).orElse(0L)};
  }

  /**
   * One burst of launches, then of kills: created/s, p50 and p99 in ms, deleted/s, then CPU ms of the
   * framework, NB, northd and SB while the ports were created.
   */
  private double[] measuredBurst(OvnTestbed ovn, Master master, Protos.FrameworkID marathon, PortWatch watch,
      FrameworkProcess framework, String prefix) {
    // Each burst starts on a quiet OVN: ovn-northd has finished with the previous burst's deletions.
    Command.of("ovn-nbctl", "--db=" + ovn.nbRemote(), "--timeout=300", "--wait=sb", "sync").timeout(Duration.ofMinutes(6)).check();
    double[] latencies = new double[scale.burst()];
    long[] launched = new long[scale.burst()];
    double[] cpuBefore = cpu(ovn, framework);
    long start = System.nanoTime();
    for (int i = 0; i < scale.burst(); i++) {
      launched[i] = System.nanoTime();
      master.launch(marathon, task(prefix + i));
    }
    long announced = System.nanoTime() - start;
    watch.awaitCount(scale.burst(), Duration.ofMinutes(5));
    double[] cpuAfter = cpu(ovn, framework);
    long last = 0;
    for (int i = 0; i < scale.burst(); i++) {
      long seen = watch.appeared.get(PortMarks.frameworkPortName(marathon.getValue(), prefix + i, "eth0"));
      latencies[i] = (seen - launched[i]) / 1e6;
      last = Math.max(last, seen);
    }
    double create = scale.burst() / ((last - start) / 1e9);
    long killStart = System.nanoTime();
    for (int i = 0; i < scale.burst(); i++) {
      master.kill(Protos.TaskID.newBuilder().setValue(prefix + i).build());
    }
    watch.awaitCount(0, Duration.ofMinutes(5));
    double delete = scale.burst() / ((System.nanoTime() - killStart) / 1e9);
    Arrays.sort(latencies);
    double[] r = {create, percentile(latencies, 0.50), percentile(latencies, 0.99), delete,
        cpuAfter[0] - cpuBefore[0], cpuAfter[1] - cpuBefore[1], cpuAfter[2] - cpuBefore[2], cpuAfter[3] - cpuBefore[3]};
    progress.accept(String.format("  announced in %d ms; create %,.0f/s  p50 %.0f ms  p99 %.0f ms  delete %,.0f/s;"
        + "  CPU ms: framework %.0f, NB %.0f, northd %.0f, SB %.0f", announced / 1_000_000, r[0], r[1], r[2], r[3], r[4], r[5],
        r[6], r[7]));
    return r;
  }

  private static double median(List<double[]> runs, int figure) {
    double[] v = runs.stream().mapToDouble(r -> r[figure]).sorted().toArray();
    return v[v.length / 2];
  }

  /**
   * A long-running framework is warm: bursts as large as the measured one, not measured, until its
   * JIT compiler threads are nearly idle during one (they otherwise take a core of these two while
   * the measured burst runs; on this code that takes some 30,000 to 40,000 ports). The test master
   * and the monitor in this JVM must be warm too, for the same reason.
   */
  private void warmUp(Master master, Protos.FrameworkID marathon, PortWatch watch, FrameworkProcess framework) {
    int n = scale.burst();
    CompilationMXBean here = ManagementFactory.getCompilationMXBean();
    for (int round = 0; round < MAX_WARM_UP_ROUNDS; round++) {
      long compiledBefore = framework.compilerMillis();
      long compiledHereBefore = here.getTotalCompilationTime();
      for (int i = 0; i < n; i++) {
        master.launch(marathon, task("warm" + round + "-" + i));
      }
      watch.awaitCount(n, Duration.ofMinutes(5));
      for (int i = 0; i < n; i++) {
        master.kill(Protos.TaskID.newBuilder().setValue("warm" + round + "-" + i).build());
      }
      watch.awaitCount(0, Duration.ofMinutes(5));
      long compiling = framework.compilerMillis() - compiledBefore;
      long compilingHere = here.getTotalCompilationTime() - compiledHereBefore;
      progress.accept(String.format("  warm-up round %d: the framework's JIT used %d ms of CPU, this JVM's compiled for %d ms",
          round + 1, compiling, compilingHere));
      if (compiling < WARM_ENOUGH_MILLIS && compilingHere < WARM_ENOUGH_MILLIS) {
        return;
      }
    }
  }

  /**
   * The prototype's way, one process per port, one after another: {@code lsp-add} with a dynamic
   * address to create, {@code lsp-del} to delete. Ports per second each.
   */
  private static double[] prototype(OvnTestbed ovn, int count) {
    String db = "--db=" + ovn.central().nbTcpRemote();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      Command.of("ovn-nbctl", db, "--timeout=60", "lsp-add", "bench1", "proto" + i, "--", "lsp-set-addresses", "proto" + i,
          "dynamic").timeout(Duration.ofSeconds(90)).check();
    }
    double create = count / ((System.nanoTime() - start) / 1e9);
    start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      Command.of("ovn-nbctl", db, "--timeout=60", "lsp-del", "proto" + i).timeout(Duration.ofSeconds(90)).check();
    }
    return new double[] {create, count / ((System.nanoTime() - start) / 1e9)};
  }

  /**
   * A framework started against a master with {@code reconcileTasks} tasks: first with no ports in
   * OVN (it makes them all), then restarted with all of them there (it only compares). Heap is what
   * the running framework adds, after a full collection.
   */
  Reconcile reconcile() throws Exception {
    int n = scale.reconcileTasks();
    progress.accept("framework reconcile: " + n + " tasks");
    try (OvnTestbed ovn = OvnTestbed.builder().datapath(Datapath.DUMMY).chassis(0).start()) {
      layOut(ovn);
      Master master = new Master();
      Protos.FrameworkID marathon = withAgents(master);
      for (int i = 0; i < n; i++) {
        master.launch(marathon, task(i));
      }
      try (MasterServer server = MasterServer.start(master, Duration.ofSeconds(5))) {
        // The baseline holds the master's tasks and no framework. Measured after the first framework
        // instead, it once caught that framework's last state still being released, and the restarted
        // framework seemed to need 18 MiB.
        long before = usedHeapAfterGc();
        double fromEmpty;
        try (PortWatch watch = new PortWatch(ovn.nbRemote())) {
          long start = System.nanoTime();
          try (Framework f = startFramework(server.address(), ovn.nbRemote())) {
            watch.awaitCount(n, Duration.ofMinutes(10));
            fromEmpty = (System.nanoTime() - start) / 1e9;
          }
        }
        // A restart comes long after the ports were made: ovn-northd has caught up with them (on these
        // two cores it would otherwise still be computing flows for 100,000 ports during the restart).
        Command.of("ovn-nbctl", "--db=" + ovn.nbRemote(), "--timeout=900", "--wait=sb", "sync")
            .timeout(Duration.ofMinutes(16)).check();
        long start = System.nanoTime();
        try (Framework f = startFramework(server.address(), ovn.nbRemote())) {
          Waiter.until("the restarted framework reconciled", Duration.ofMinutes(10),
              () -> f.lastReconcile().map(o -> o.wanted() == n).orElse(false));
          double restart = (System.nanoTime() - start) / 1e9;
          // Anything the first framework left behind counts too.
          long heap = usedHeapAfterGc() - before;
          Reconcile r = new Reconcile(n, fromEmpty, restart, heap);
          progress.accept(String.format("  from empty %.1f s  restart %.1f s  heap %,d MiB", r.fromEmptySeconds(),
              r.restartSeconds(), r.heapBytes() >> 20));
          return r;
        }
      }
    }
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
