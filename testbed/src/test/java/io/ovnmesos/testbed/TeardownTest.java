package io.ovnmesos.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.junit.NeedsNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

@NeedsNamespaces
class TeardownTest {

  static boolean ovnPresent() {
    return Prerequisites.missing(Datapath.NETDEV).isEmpty() || Prerequisites.inCi();
  }

  @Test
  @EnabledIf("ovnPresent")
  void killingEveryDaemonMidTestStillLeavesNothingBehind() {
    List<String> linksBefore = rootLinks();
    List<String> netnsBefore = Netns.list();

    OvnTestbed ovn = OvnTestbed.builder().start();
    Path dir = ovn.dir();
    ovn.nbctl("ls-add", "sw0", "--", "lsp-add", "sw0", "p1", "--", "lsp-add", "sw0", "p2");
    Container c1 = ovn.chassis().addContainer("p1", "0a:00:00:00:00:01", "10.0.0.1/24").awaitInstalled();
    ovn.chassis().addContainer("p2", "0a:00:00:00:00:02", "10.0.0.2/24");
    c1.startEchoServer(Container.Protocol.UDP, 9);
    List<Long> pids = ovn.pids();
    assertThat(pids).hasSize(6);
    assertThat(Netns.list()).anyMatch(n -> n.startsWith(ovn.namespacePrefix()));

    // Crash everything from outside, as an OOM killer or an operator would.
    for (long pid : pids) {
      Command.of("kill", "-9", Long.toString(pid)).check();
    }
    ovn.close();

    assertThat(pids).allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid).isFalse());
    assertThat(Netns.list()).noneMatch(n -> n.startsWith(ovn.namespacePrefix()));
    assertThat(Netns.list()).containsExactlyInAnyOrderElementsOf(netnsBefore);
    assertThat(rootLinks()).containsExactlyInAnyOrderElementsOf(linksBefore);
    assertThat(dir).doesNotExist();
  }

  @Test
  void aTestbedLeftByADeadJvmIsSweptByTheNextOne() throws Exception {
    Path base = Files.createTempDirectory("sweep");
    Path stale = base.resolve(OvnTestbed.PREFIX + "dead01");
    Path live = base.resolve(OvnTestbed.PREFIX + "live01");
    Files.createDirectories(stale.resolve("central"));
    Files.createDirectories(live);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(stale.resolve("owner.pid"), Long.toString(gone.pid()));
    Files.writeString(live.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
    Netns staleNs = Netns.create(OvnTestbed.PREFIX + "dead01-chassis-1");
    try {
      OvnTestbed.sweepStale(base);

      assertThat(stale).doesNotExist();
      assertThat(Netns.list()).doesNotContain(staleNs.name());
      assertThat(live).exists();
    } finally {
      staleNs.close();
      Files.deleteIfExists(live.resolve("owner.pid"));
      Files.deleteIfExists(live);
      Files.deleteIfExists(base);
    }
  }

  private static List<String> rootLinks() {
    return Command.of("ip", "-o", "link", "show").check().stdout().lines()
        .map(l -> l.split(":")[1].strip())
        .toList();
  }
}
