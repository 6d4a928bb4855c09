package io.ovnmesos.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ovnmesos.cli.OvnMesos;
import io.ovnmesos.testbed.Container;
import io.ovnmesos.testbed.Netns;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testcluster.marathon.MarathonDefinition;
import io.ovnmesos.testcluster.marathon.MarathonLauncher;
import io.ovnmesos.topology.port.PortMarks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos;

/**
 * The end-to-end demonstration behind the README's first command. It starts a real local OVN with
 * two chassis that stand for two Mesos agent hosts, ZooKeeper, the Mesos test cluster (a master and
 * an agent per chassis, each with the ovn-mesos CNI plugin and an executor hook), and the ovn-mesos
 * framework. It lays out two tenants with the same subnet and a gateway each, launches the apps and
 * the pod of {@code marathon-examples/} as Marathon would, and shows traffic: within a tenant and
 * across agents, none between tenants, and out to a provider network through each tenant's source
 * NAT. It prints {@code ovn-mesos show}, kills a task and shows its port gone, then stops it all and
 * checks that nothing is left.
 *
 * <p>Usage: {@code Demo [--keep]}. With {@code --keep} everything stays up until the process is
 * interrupted (Ctrl-C), which then tears it all down.
 */
public final class Demo {
  /** The checkout: the demo runs from it (scripts/demo), or from its module (the build's tests). */
  private static final Path ROOT = Files.isDirectory(Path.of("marathon-examples")) ? Path.of("") : Path.of("..");
  private static final Path EXAMPLES = ROOT.resolve("marathon-examples");
  private static final Path PLUGIN = ROOT.resolve("cni/target/ovn-mesos-plugin");
  private static final Duration REACH = Duration.ofSeconds(20);
  /** The gateway of coke1 and pepsi1 (both 10.10.0.0/16): the name server their tasks are given. */
  private static final String NETWORK_GATEWAY = "10.10.0.1";
  private final StepPrinter out = new StepPrinter(System.out);

  private Demo() {}

  public static void main(String[] args) {
    boolean keep = List.of(args).contains("--keep");
    if (args.length > (keep ? 1 : 0)) {
      System.err.println("usage: demo [--keep]");
      System.exit(2);
    }
    System.exit(new Demo().run(keep));
  }

  /** Runs the whole story once and tears it down; 0 when every step passed. */
  static int runOnce() {
    return new Demo().run(false);
  }

  private int run(boolean keep) {
    OvnTestbed ovn = null;
    MesosSite mesos = null;
    try {
      OvnTestbed tb = out.step("Start a local OVN: NB and SB databases, ovn-northd, and two chassis, each standing for a "
          + "Mesos agent host (netdev datapath, in network namespaces)", () -> OvnTestbed.builder().chassis(2).start());
      ovn = tb;
      out.detail("Northbound: " + tb.nbRemote() + "   Southbound: " + tb.sbRemote());
      Container outside = out.step("Add a host on the provider network 172.16.0.0/24, on NIC phy0 of " + tb.chassis(1).name(),
          () -> tb.chassis(1).addExternalHost("phy0", "172.16.0.1/24"));
      outside.startEchoServer(Container.Protocol.PEER, 8080);

      out.step("Lay out tenants coke and pepsi, with the same subnet, and a gateway with source NAT for each", () -> {
        ovnMesos(tb, "tenant", "create", "coke");
        ovnMesos(tb, "tenant", "create", "pepsi");
        ovnMesos(tb, "network", "create", "coke1", "--tenant", "coke", "--subnet", "10.10.0.0/16");
        ovnMesos(tb, "network", "create", "coke2", "--tenant", "coke", "--subnet", "10.20.0.0/16");
        ovnMesos(tb, "network", "create", "pepsi1", "--tenant", "pepsi", "--subnet", "10.10.0.0/16");
        String ip = "172.16.0.2/24";
        for (String tenant : List.of("coke", "pepsi")) {
          ovnMesos(tb, "gateway", "create", "--tenant", tenant, "--chassis", tb.chassis(1).name(), "--physical-ip", ip,
              "--default-gw", "172.16.0.1", "--snat-subnet", "10.0.0.0/8", "--bridge", "br-ex", "--physical-interface", "phy0",
              "--local-ovs", tb.chassis(1).ovsRemote());
          ip = "172.16.0.3/24";
        }
        return null;
      });

      MesosSite site = out.step("Start ZooKeeper, a Mesos master, the ovn-mesos framework (it finds the master and "
          + "elects its leader through ZooKeeper), and an agent with an executor hook on each chassis",
          () -> MesosSite.start(tb, PLUGIN));
      mesos = site;
      out.detail("ZooKeeper " + site.zk + "; the framework follows zk://" + site.zk + "/mesos");
      site.agents.forEach(a -> out.detail("agent " + a.id().getValue() + ": CNI networks " + MesosSite.CNI_NETWORKS
          + " run the ovn-mesos plugin"));

      // Apps run command tasks, whose executors are driver-based on these agents; pods use HTTP.
      Set<String> apps = new HashSet<>();
      Map<String, List<MarathonLauncher.Instance>> launched = out.step("Launch " + EXAMPLES + "/*.json as Marathon would", () -> {
        MarathonLauncher launcher = new MarathonLauncher(site.master, site.marathon,
            site.agents.stream().map(a -> a.id()).toList());
        Map<String, List<MarathonLauncher.Instance>> all = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(EXAMPLES)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
            MarathonDefinition d = MarathonDefinition.parse(new ObjectMapper().readTree(f.toFile()));
            all.put(d.id(), launcher.launch(d));
            if (d instanceof MarathonDefinition.App) {
              apps.add(d.id());
            }
            out.detail(f.getFileName() + ": " + d.id() + ", " + d.instances() + " instance(s)");
          }
        }
        return all;
      });

      Map<String, List<TaskShell>> tasks = out.step("Every task runs with its addresses (the framework made each port "
          + "before the agent's CNI ADD; each agent, on Mesos' default flags, reached its command executors at their address)",
          () -> {
        Map<String, List<TaskShell>> byApp = new LinkedHashMap<>();
        for (var e : launched.entrySet()) {
          for (MarathonLauncher.Instance instance : e.getValue()) {
            for (Protos.TaskID id : instance.tasks()) {
              Waiter.until(id.getValue() + " running", Duration.ofSeconds(60), () -> site.task(id)
                  .map(t -> t.getState() == Protos.TaskState.TASK_RUNNING).orElse(false));
              TaskShell shell = TaskShell.of(site.task(id).orElseThrow());
              byApp.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(shell);
              Optional<String> peer = site.agents.stream().filter(a -> a.id().equals(instance.agent())).findFirst()
                  .flatMap(a -> a.executorPeer(id));
              expect(!apps.contains(e.getKey()) || peer.equals(Optional.of(MesosSite.AGENT_ADDRESS)),
                  "the agent did not reach " + id.getValue() + "'s executor from its address: " + peer);
              String reached = peer.map(p -> "  executor reached by the agent from " + p).orElse("");
              out.detail(String.format("%-12s on %s  %-58s %s%s", e.getKey(), instance.agent().getValue(), id.getValue(),
                  shell.addresses(), reached));
            }
          }
        }
        return byApp;
      });
      TaskShell cokeWeb1 = tasks.get("/coke/web").get(0);
      TaskShell cokeWeb2 = tasks.get("/coke/web").get(1);
      TaskShell pepsiWeb = tasks.get("/pepsi/web").get(0);
      String db = tasks.get("/coke/db").get(0).addresses().get(0);

      out.step("coke web 1 reaches coke web 2 on the other agent (" + cokeWeb2.addresses().get(0) + ", across the tunnel)",
          () -> expect(cokeWeb1.canReach(cokeWeb2.addresses().get(0), REACH), "no reply"));
      out.step("coke web 1 reaches coke's db at its fixed address " + db, () -> expect(cokeWeb1.canReach(db, REACH), "no reply"));
      out.step("pepsi web (" + pepsiWeb.addresses().get(0) + ", the same subnet) cannot reach " + db + ": tenants are isolated",
          () -> expect(!pepsiWeb.pingOnce(db), "pepsi reached coke's db"));
      out.step("coke and pepsi reach the provider network; the outside sees each tenant's gateway address (SNAT)", () -> {
        expect(cokeWeb1.canReach("172.16.0.1", REACH), "coke: no reply from 172.16.0.1");
        expect(pepsiWeb.canReach("172.16.0.1", REACH), "pepsi: no reply from 172.16.0.1");
        String cokeSeen = cokeWeb1.addressSeenBy("172.16.0.1", 8080);
        String pepsiSeen = pepsiWeb.addressSeenBy("172.16.0.1", 8080);
        out.detail("172.16.0.1 saw coke come from " + cokeSeen + " and pepsi from " + pepsiSeen);
        return expect(cokeSeen.equals("172.16.0.2") && pepsiSeen.equals("172.16.0.3"),
            "expected 172.16.0.2 and 172.16.0.3, saw " + cokeSeen + " and " + pepsiSeen);
      });

      String webName = "web.coke.marathon.mesos";
      out.step("coke web 1 resolves " + webName + " through OVN's own DNS, asking its gateway: both instances; pepsi "
          + "web, another tenant, gets no answer", () -> {
        Set<String> both = Set.of(cokeWeb1.addresses().get(0), cokeWeb2.addresses().get(0));
        Waiter.until("both instances under " + webName, Duration.ofSeconds(30),
            () -> cokeWeb1.resolve(NETWORK_GATEWAY, webName).equals(both));
        out.detail(webName + " -> " + String.join(" ", cokeWeb1.resolve(NETWORK_GATEWAY, webName)));
        return expect(pepsiWeb.resolve(NETWORK_GATEWAY, webName).isEmpty(), "pepsi resolved coke's name");
      });

      out.step("ovn-mesos show", () -> null);
      out.block(ovnMesos(tb, "show"));

      out.step("Marathon scales coke web down: the task is killed, and its port goes with it", () -> {
        Protos.TaskID id = Protos.TaskID.newBuilder().setValue(cokeWeb2.name()).build();
        String port = PortMarks.frameworkPortName(site.marathon.getValue(), cokeWeb2.name(), "eth0");
        expect(ovnMesos(tb, "network", "show", "coke1").contains(port), "port " + port + " is not shown before the kill");
        site.master.kill(id);
        Waiter.until(cokeWeb2.name() + " killed", Duration.ofSeconds(30),
            () -> site.task(id).map(t -> t.getState() == Protos.TaskState.TASK_KILLED).orElse(false));
        Waiter.until("its port deleted", Duration.ofSeconds(30), () -> !ovnMesos(tb, "network", "show", "coke1").contains(port));
        out.detail("TASK_KILLED; port " + port + " is gone from coke1");
        return null;
      });

      if (keep) {
        out.detail("Everything stays up. Try: OVN_NB_DB=" + tb.nbRemote() + " ovn-nbctl show");
        out.detail("Or enter a task: nsenter --net=/proc/" + cokeWeb1.pid() + "/ns/net ping 172.16.0.1");
        out.detail("Press Ctrl-C to stop and remove it all.");
        // Ctrl-C ends the wait, and the steps below stop everything in order: an exit from a shutdown
        // hook could not, as the hooks of the parts would race each other.
        CountDownLatch stop = new CountDownLatch(1);
        for (String signal : List.of("INT", "TERM")) {
          sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.countDown());
        }
        stop.await();
        System.out.println();
      }
      List<String> namespacesBefore = Netns.list().stream().filter(n -> !n.startsWith(tb.namespacePrefix())).toList();
      Path dir = tb.dir();
      out.step("Shut everything down: tasks (their networks detached), agents, hooks, framework, master, ZooKeeper, OVN", () -> {
        site.close();
        tb.close();
        return null;
      });
      mesos = null;
      ovn = null;
      out.step("Nothing is left: no namespace, no process, no mount, no file of the demo", () -> {
        List<String> left = Netns.list().stream().filter(n -> !namespacesBefore.contains(n)).toList();
        expect(left.isEmpty(), "namespaces left: " + left);
        try {
          Waiter.until("every process the demo started ended", Duration.ofSeconds(10),
              () -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
        } catch (RuntimeException e) {
          throw new IllegalStateException("processes left: " + ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
              .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList(), e);
        }
        String mounts = Files.readString(Path.of("/proc/self/mounts"));
        expect(!mounts.contains(dir.toString()), "mounts left under " + dir);
        return expect(!Files.exists(dir), dir + " is still there");
      });
      out.done();
      return 0;
    } catch (StepPrinter.StepFailedException e) {
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } finally {
      if (mesos != null) {
        mesos.close();
      }
      if (ovn != null) {
        ovn.close();
      }
    }
  }

  /** Runs an ovn-mesos command in this process, shows it as typed and returns what it printed. */
  private String ovnMesos(OvnTestbed tb, String... args) {
    List<String> all = new ArrayList<>(List.of("--nb", tb.nbRemote()));
    all.addAll(List.of(args));
    StringWriter so = new StringWriter();
    StringWriter se = new StringWriter();
    var cl = OvnMesos.commandLine();
    cl.setOut(new PrintWriter(so));
    cl.setErr(new PrintWriter(se));
    int exit = cl.execute(all.toArray(String[]::new));
    if (!args[0].equals("show") && !(args.length > 1 && args[1].equals("show"))) {
      out.detail("$ ovn-mesos " + String.join(" ", args).replace(tb.chassis(1).ovsRemote(), "<local ovs>"));
      out.detail("  " + so.toString().strip());
    }
    if (exit != 0) {
      throw new IllegalStateException("ovn-mesos " + String.join(" ", args) + " exited " + exit + ": " + se.toString().strip());
    }
    return so.toString();
  }

  private static Object expect(boolean ok, String otherwise) {
    if (!ok) {
      throw new IllegalStateException(otherwise);
    }
    return null;
  }
}
