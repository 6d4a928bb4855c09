package io.ovnmesos.demo;

import io.ovnmesos.cli.OvnMesos;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.testbed.Container;
import io.ovnmesos.testbed.OvnTestbed;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The end-to-end demonstration behind the README's first command: a real local OVN, two tenants with
 * the same subnet, a gateway with source NAT to a provider network, task containers, traffic, and
 * the topology as {@code ovn-mesos show} prints it; then a clean shutdown.
 *
 * <p>Usage: {@code Demo [--keep]}. With {@code --keep} everything stays up until the process is
 * interrupted (Ctrl-C), which then tears it all down.
 */
public final class Demo {
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
    try {
      ovn = out.step("Start a local OVN: NB and SB databases, ovn-northd, one chassis (netdev datapath)",
          () -> OvnTestbed.builder().start());
      OvnTestbed tb = ovn;
      out.detail("Northbound: " + tb.nbRemote() + "   Southbound: " + tb.sbRemote());
      out.detail("Chassis " + tb.chassis().name() + " runs in network namespace "
          + tb.chassis().netns().orElseThrow().name() + " (it stands for a Mesos agent host)");
      Container outside = out.step("Add a host on the provider network 172.16.0.0/24 (NIC phy0 of the chassis)",
          () -> tb.chassis().addExternalHost("phy0", "172.16.0.1/24"));

      out.step("Lay out two tenants with the same subnet, and a gateway for coke", () -> {
        ovnMesos(tb, "tenant", "create", "coke");
        ovnMesos(tb, "tenant", "create", "pepsi");
        ovnMesos(tb, "network", "create", "coke1", "--tenant", "coke", "--subnet", "192.168.1.0/24");
        ovnMesos(tb, "network", "create", "pepsi1", "--tenant", "pepsi", "--subnet", "192.168.1.0/24");
        ovnMesos(tb, "gateway", "create", "--tenant", "coke", "--chassis", tb.chassis().name(),
            "--physical-ip", "172.16.0.2/24", "--default-gw", "172.16.0.1", "--snat-subnet", "192.168.0.0/16",
            "--bridge", "br-ex", "--physical-interface", "phy0", "--local-ovs", tb.chassis().ovsRemote());
        return null;
      });

      List<Container> tasks = out.step("Start three tasks: coke web-1 and web-2, pepsi web-1 (ports as the framework makes them)",
          () -> {
            List<Container> c = new ArrayList<>();
            try (OvsdbClient nb = OvsdbClient.connect(OvsdbOptions.of(tb.nbRemote()))) {
              c.add(task(tb, nb, "coke1", "coke-web-1", "0a:58:c0:a8:01:02", "192.168.1.2"));
              c.add(task(tb, nb, "coke1", "coke-web-2", "0a:58:c0:a8:01:03", "192.168.1.3"));
              c.add(task(tb, nb, "pepsi1", "pepsi-web-1", "0a:58:c0:a8:01:02", "192.168.1.2"));
            }
            return c;
          });
      Container cokeWeb1 = tasks.get(0);
      Container pepsiWeb1 = tasks.get(2);

      out.step("coke web-1 (192.168.1.2) reaches coke web-2 (192.168.1.3)", () -> expect(cokeWeb1.canReach("192.168.1.3",
          Duration.ofSeconds(10)), "no reply from 192.168.1.3"));
      out.step("pepsi web-1, also 192.168.1.2, cannot reach coke's 192.168.1.3: tenants are isolated",
          () -> expect(!pepsiWeb1.pingOnce("192.168.1.3"), "pepsi reached coke"));
      out.step("coke web-1 reaches the provider network; the outside sees the gateway's address (SNAT)", () -> {
        expect(cokeWeb1.canReach("172.16.0.1", Duration.ofSeconds(10)), "no reply from 172.16.0.1");
        outside.startEchoServer(Container.Protocol.PEER, 8080);
        String seen = cokeWeb1.echo(Container.Protocol.PEER, "172.16.0.1", 8080, "hello").check().stdout();
        out.detail("172.16.0.1 saw the connection come from " + seen);
        return expect(seen.equals("172.16.0.2"), "expected 172.16.0.2, saw " + seen);
      });

      out.step("ovn-mesos show", () -> null);
      out.block(ovnMesos(tb, "show"));

      out.step("coke web-2 ends: its container and its port go away", () -> {
        tasks.get(1).close();
        try (OvsdbClient nb = OvsdbClient.connect(OvsdbOptions.of(tb.nbRemote()))) {
          Transaction find = nb.transaction("OVN_Northbound");
          find.select("Logical_Switch_Port", List.of(Condition.eq("name", "coke-web-2")), List.of("_uuid"));
          var port = OvsdbClient.join(find.commit()).get(0).rows().get(0).uuid();
          // A port goes by leaving its switch; the server then collects the unreferenced row.
          OvsdbClient.join(nb.transaction("OVN_Northbound").mutate("Logical_Switch", List.of(Condition.eq("name", "coke1")),
              List.of(Mutation.delete("ports", List.of(port)))).commit());
        }
        String show = ovnMesos(tb, "network", "show", "coke1");
        out.block(show);
        return expect(!show.contains("coke-web-2"), "port coke-web-2 is still shown");
      });

      if (keep) {
        out.detail("Everything stays up. Try: OVN_NB_DB=" + tb.nbRemote() + " ovn-nbctl show");
        out.detail("Or enter a task: ip netns exec " + cokeWeb1.netns().name() + " ping 172.16.0.1");
        out.detail("Press Ctrl-C to stop and remove it all.");
        new CountDownLatch(1).await();
      }
      out.step("Shut everything down and remove it", () -> {
        tb.close();
        return null;
      });
      out.done();
      return 0;
    } catch (StepPrinter.StepFailedException e) {
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } finally {
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
      out.detail("$ ovn-mesos " + String.join(" ", args).replace(tb.chassis().ovsRemote(), "<local ovs>"));
      out.detail("  " + so.toString().strip());
    }
    if (exit != 0) {
      throw new IllegalStateException("ovn-mesos " + String.join(" ", args) + " exited " + exit + ": " + se.toString().strip());
    }
    return so.toString();
  }

  /** A task's port on {@code network}, with its address and port security, and its container. */
  private static Container task(OvnTestbed tb, OvsdbClient nb, String network, String port, String mac, String ip) {
    Transaction t = nb.transaction("OVN_Northbound");
    var lsp = t.insert("Logical_Switch_Port", Map.of("name", port, "addresses", List.of(mac + " " + ip),
        "port_security", List.of(mac + " " + ip), "external_ids", Map.of("ovn-mesos/task-id", port)));
    t.mutate("Logical_Switch", List.of(Condition.eq("name", network)), List.of(Mutation.insert("ports", List.of(lsp))));
    OvsdbClient.join(t.commit());
    return tb.chassis().addContainer(port, mac, ip + "/24", "192.168.1.1").awaitInstalled();
  }

  private static Object expect(boolean ok, String otherwise) {
    if (!ok) {
      throw new IllegalStateException(otherwise);
    }
    return null;
  }
}
