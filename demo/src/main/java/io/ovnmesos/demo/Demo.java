package io.ovnmesos.demo;

import io.ovnmesos.testbed.Container;
import io.ovnmesos.testbed.OvnTestbed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The end-to-end demonstration behind the README's first command: a real local OVN, containers on an
 * OVN logical switch, traffic between them, and the topology, then a clean shutdown.
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

  private int run(boolean keep) {
    OvnTestbed ovn = null;
    try {
      ovn = out.step("Start a local OVN: NB and SB databases, ovn-northd, one chassis (netdev datapath)",
          () -> OvnTestbed.builder().start());
      OvnTestbed tb = ovn;
      out.detail("Northbound: " + tb.nbRemote() + "   Southbound: " + tb.sbRemote());
      out.detail("Chassis " + tb.chassis().name() + " runs in network namespace "
          + tb.chassis().netns().orElseThrow().name());

      out.step("Create logical switch coke1 (192.168.1.0/24) with ports for two tasks", () -> tb.nbctl(
          "ls-add", "coke1", "--", "set", "Logical_Switch", "coke1", "other_config:subnet=192.168.1.0/24",
          "--", "lsp-add", "coke1", "task-a", "--", "lsp-set-addresses", "task-a", "0a:58:c0:a8:01:02 192.168.1.2",
          "--", "lsp-set-port-security", "task-a", "0a:58:c0:a8:01:02 192.168.1.2",
          "--", "lsp-add", "coke1", "task-b", "--", "lsp-set-addresses", "task-b", "0a:58:c0:a8:01:03 192.168.1.3",
          "--", "lsp-set-port-security", "task-b", "0a:58:c0:a8:01:03 192.168.1.3"));

      Container a = out.step("Plug container A into br-int as task-a and wait for ovn-installed",
          () -> tb.chassis().addContainer("task-a", "0a:58:c0:a8:01:02", "192.168.1.2/24").awaitInstalled());
      Container b = out.step("Plug container B into br-int as task-b and wait for ovn-installed",
          () -> tb.chassis().addContainer("task-b", "0a:58:c0:a8:01:03", "192.168.1.3/24").awaitInstalled());

      out.step("Ping from A (192.168.1.2) to B (192.168.1.3) through OVN", () -> {
        if (!a.canReach(b.ip(), Duration.ofSeconds(10))) {
          throw new IllegalStateException("no reply from " + b.ip());
        }
        return null;
      });
      out.detail(a.exec("ping", "-n", "-c", "3", "-i", "0.2", b.ip()).check().stdout().lines()
          .filter(l -> l.contains("packets transmitted") || l.startsWith("rtt")).toList());

      out.step("Show the topology", () -> null);
      out.block(tb.nbctl("show").stdout());
      out.block(tb.sbctl("show").stdout());

      if (keep) {
        out.detail("Everything stays up. Try: ovn-nbctl --db=" + tb.nbRemote() + " show");
        out.detail("Or enter a container: ip netns exec " + a.netns().name() + " ping " + b.ip());
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
}
