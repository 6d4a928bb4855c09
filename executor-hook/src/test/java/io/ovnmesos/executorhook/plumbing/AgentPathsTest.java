package io.ovnmesos.executorhook.plumbing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bookkeeping of agent paths, over its own state: no kernel, milliseconds. */
class AgentPathsTest {
  private static final String AGENT = "10.253.0.1";

  @Test
  void aContainersFirstInterfaceMakesItsLinkAndEachInterfaceRoutesItsAddresses() {
    AgentPaths paths = new AgentPaths(AGENT);
    AgentPaths.Path eth0 = paths.reserve("c1", "eth0", List.of("10.10.0.2"));
    AgentPaths.Path eth1 = paths.reserve("c1", "eth1", List.of("10.20.0.2"));
    assertThat(eth0.create()).isTrue();
    assertThat(eth1.create()).isFalse();
    assertThat(eth1.hostInterface()).isEqualTo(eth0.hostInterface()).isEqualTo(AgentPaths.hostInterface("c1"));
    assertThat(eth1.containerAddress()).isEqualTo(eth0.containerAddress()).startsWith("169.254.");
    assertThat(eth0.routes()).containsExactly("10.10.0.2");
    assertThat(eth1.routes()).containsExactly("10.20.0.2");
    assertThat(eth0.agentAddress()).isEqualTo(AGENT);
    assertThat(paths.routedThrough(eth0.hostInterface())).containsExactlyInAnyOrder("10.10.0.2", "10.20.0.2");
    // The link goes with the last interface, and its addresses are free again.
    assertThat(paths.release("c1", "eth1")).isFalse();
    assertThat(paths.release("c1", "eth0")).isTrue();
    assertThat(paths.holderOf("c2", List.of("10.10.0.2", "10.20.0.2"))).isEmpty();
  }

  @Test
  void anAddressAnotherContainerHoldsIsNamedAndNotRoutedAgain() {
    AgentPaths paths = new AgentPaths(AGENT);
    paths.reserve("c1", "eth0", List.of("10.10.0.2"));
    assertThat(paths.holderOf("c1", List.of("10.10.0.2"))).as("its own address").isEmpty();
    Optional<AgentPaths.Holder> holder = paths.holderOf("c2", List.of("10.10.0.3", "10.10.0.2"));
    assertThat(holder).contains(new AgentPaths.Holder("10.10.0.2", AgentPaths.hostInterface("c1"), Optional.of("c1")));
    AgentPaths.Path c2 = paths.reserve("c2", "eth0", List.of("10.10.0.2", "10.10.0.3"));
    assertThat(c2.routes()).containsExactly("10.10.0.3");
    assertThat(c2.containerAddress()).isNotEqualTo(paths.reserve("c1", "eth0", List.of()).containerAddress());
    // A holder gone from the host without a DEL is forgotten, and its address is free.
    paths.forget(AgentPaths.hostInterface("c1"));
    assertThat(paths.holderOf("c3", List.of("10.10.0.2"))).isEmpty();
  }

  @Test
  void ofManyContainersAddingOneAddressAtOnceExactlyOneGetsItWhenItMustBeExclusive() throws Exception {
    AgentPaths paths = new AgentPaths(AGENT);
    int n = 16;
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
    List<java.util.concurrent.Future<AgentPaths.Reservation>> results = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      String cid = "c" + i;
      results.add(pool.submit(() -> {
        start.await();
        return paths.reserve(cid, "eth0", List.of("10.10.0.2"), true, link -> true);
      }));
    }
    start.countDown();
    int routed = 0;
    for (var f : results) {
      AgentPaths.Reservation r = f.get();
      if (r.path().isPresent()) {
        routed++;
        assertThat(r.path().get().routes()).containsExactly("10.10.0.2");
      } else {
        assertThat(r.holder()).map(AgentPaths.Holder::address).contains("10.10.0.2");
      }
    }
    pool.shutdown();
    assertThat(routed).isEqualTo(1);
  }

  @Test
  void anExclusiveReservationForgetsAHolderWhoseLinkIsGoneAndOtherwiseRoutesAroundIt() {
    AgentPaths paths = new AgentPaths(AGENT);
    paths.reserve("c1", "eth0", List.of("10.10.0.2"));
    paths.made(AgentPaths.hostInterface("c1"));
    AgentPaths.Reservation refused = paths.reserve("c2", "eth0", List.of("10.10.0.2"), true, link -> true);
    assertThat(refused.path()).isEmpty();
    assertThat(refused.holder()).map(AgentPaths.Holder::containerId).contains(Optional.of("c1"));
    AgentPaths.Reservation around = paths.reserve("c2", "eth0", List.of("10.10.0.2"), false, link -> true);
    assertThat(around.path()).map(AgentPaths.Path::routes).contains(List.of());
    assertThat(around.holder()).isPresent();
    AgentPaths.Reservation afterGone = paths.reserve("c3", "eth0", List.of("10.10.0.2"), true, link -> false);
    assertThat(afterGone.path()).map(AgentPaths.Path::routes).contains(List.of("10.10.0.2"));
  }

  @Test
  void theHostsRoutesTeachALinkItsAddressesAndOwnerAfterARestart() {
    String link = AgentPaths.hostInterface("c1");
    String routes = String.join("\n",
        "default via 10.0.0.1 dev eth0",
        "169.254.7.9 dev " + link + " scope link",
        "10.10.0.2 dev " + link + " scope link src " + AGENT,
        "10.10.0.9 dev eth0 scope link src 10.0.0.5",
        "169.254.3.3 dev " + AgentPaths.hostInterface("gone") + " scope link", "");
    AgentPaths paths = new AgentPaths(AGENT);
    paths.seed(routes, List.of("c1"));
    assertThat(paths.routedThrough(link)).containsExactly("10.10.0.2");
    assertThat(paths.holderOf("c2", List.of("10.10.0.2"))).map(AgentPaths.Holder::containerId).contains(Optional.of("c1"));
    assertThat(paths.holderOf("c2", List.of("10.10.0.9"))).isEmpty();
    AgentPaths.Path again = paths.reserve("c1", "eth0", List.of("10.10.0.2"));
    assertThat(again.create()).as("the link is there").isFalse();
    assertThat(again.containerAddress()).isEqualTo("169.254.7.9");
    // Which interfaces used a learned link is not known: the first DEL takes it.
    AgentPaths learned = new AgentPaths(AGENT);
    learned.seed(routes, List.of("c1"));
    assertThat(learned.release("c1", "eth1")).isTrue();
    assertThat(learned.release("unknown", "eth0")).as("nothing known keeps a link").isTrue();
  }

  @Test
  void linkLocalAddressesAreNeverHandedOutTwice() {
    AgentPaths paths = new AgentPaths(AGENT);
    paths.seed("169.254.1.1 dev " + AgentPaths.hostInterface("x") + " scope link\n", List.of());
    java.util.Set<String> seen = new java.util.HashSet<>(List.of("169.254.1.1"));
    for (int i = 0; i < 500; i++) {
      assertThat(seen.add(paths.reserve("c" + i, "eth0", List.of()).containerAddress())).isTrue();
    }
  }

  @Test
  void aLinkStillBeingMadeHoldsItsAddressThoughTheHostDoesNotShowItYet() {
    AgentPaths paths = new AgentPaths(AGENT);
    AgentPaths.Reservation first = paths.reserve("c1", "eth0", List.of("10.10.0.2"), true, link -> false);
    assertThat(first.path()).isPresent();
    AgentPaths.Reservation second = paths.reserve("c2", "eth0", List.of("10.10.0.2"), true, link -> false);
    assertThat(second.path()).as("c1's ADD is under way, not gone").isEmpty();
    assertThat(second.holder().orElseThrow().containerId()).contains("c1");
    paths.made(first.path().get().hostInterface());
    AgentPaths.Reservation third = paths.reserve("c2", "eth0", List.of("10.10.0.2"), true, link -> false);
    assertThat(third.path()).as("once made, a link the host no longer has is gone").isPresent();
  }
}
