package io.ovnmesos.framework.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.executorhook.AttachFailure;
import io.ovnmesos.executorhook.cni.CniException;
import io.ovnmesos.executorhook.cni.CniRequest;
import io.ovnmesos.executorhook.port.AgentPorts;
import io.ovnmesos.framework.ha.FencingEpoch;
import io.ovnmesos.framework.metrics.FrameworkMetrics;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.topology.network.NetworkSpec;
import io.ovnmesos.topology.port.AddressEntry;
import io.ovnmesos.topology.port.AddressGuard;
import io.ovnmesos.topology.port.PortLabels;
import io.ovnmesos.topology.port.PortRefusal;
import io.ovnmesos.topology.port.TaskPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The framework and two agents in fallback make and delete ports on one small network at the same
 * time, each from its own connection and cache, asking for more addresses than the network has. A
 * separate monitor checks every state the database goes through: no IPv4 address is ever held by
 * two ports, every refusal is a clean "no free address", and nothing is left at the end.
 */
@OvnTest(chassis = 0)
class ConcurrentAllocationTest {
  private static final String NETWORK = "alloc1";
  /** 61 usable addresses; the writers below want up to 16 + 16 + 40 at once. */
  private static final String SUBNET = "10.30.0.0/26";
  private static final int ROUNDS = Integer.getInteger("ovnmesos.allocation.rounds", 200);
  private static final int PER_AGENT = 16;
  private static final int PER_FRAMEWORK_ROUND = 40;

  /** Records what the framework's writer answered. */
  private static final class Answers implements PortWriter.Listener {
    final Map<String, CompletableFuture<Optional<PortRefusal>>> created = new ConcurrentHashMap<>();
    final Map<String, CompletableFuture<Void>> deleted = new ConcurrentHashMap<>();

    @Override
    public void created(TaskPort port) {
      created.computeIfAbsent(port.name(), k -> new CompletableFuture<>()).complete(Optional.empty());
    }

    @Override
    public void refused(String name, PortRefusal refusal) {
      created.computeIfAbsent(name, k -> new CompletableFuture<>()).complete(Optional.of(refusal));
    }

    @Override
    public void deleted(String name) {
      deleted.computeIfAbsent(name, k -> new CompletableFuture<>()).complete(null);
    }
  }

  @Test
  void noAddressIsEverHeldTwiceAndEveryRefusalIsNoFreeAddress(OvnTestbed ovn) throws Exception {
    try (Topology framework = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())));
        Topology agentA = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())));
        Topology agentB = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())));
        Topology observer = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())));
        OvsdbClient epochClient = OvsdbClient.connect(OvsdbOptions.of(ovn.nbRemote()));
        FencingEpoch fencing = new FencingEpoch(epochClient)) {
      framework.tenants().create("alloc");
      framework.networks().create(NetworkSpec.of("alloc", NETWORK, SUBNET));
      List<String> duplicates = new ArrayList<>();
      AtomicInteger states = new AtomicInteger();
      observer.northbound().cache().addListener(changes -> {
        states.incrementAndGet();
        Map<String, String> holder = new HashMap<>();
        for (Row r : observer.northbound().cache().rows(LogicalSwitchPort.TABLE_NAME)) {
          LogicalSwitchPort p = LogicalSwitchPort.from(r);
          if (!NETWORK.equals(p.externalIds().get(Ownership.NETWORK))) {
            continue;
          }
          AddressEntry.of(p).ifPresent(e -> e.ips().forEach(ip -> {
            String other = holder.put(ip, p.name());
            if (other != null) {
              synchronized (duplicates) {
                duplicates.add(ip + " held by " + other + " and " + p.name());
              }
            }
          }));
        }
      });

      fencing.acquire();
      Answers answers = new Answers();
      FrameworkMetrics metrics = new FrameworkMetrics();
      PortWriter writer = new PortWriter(framework, fencing, CompletableFuture.completedFuture(null), TenantAccess.allowAll(),
          metrics, answers, () -> {}, false);
      Map<String, String> labels = Map.of(PortLabels.LOGICAL_SWITCH, NETWORK);
      List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicInteger agentPorts = new AtomicInteger();
      AtomicInteger agentRefusals = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<?>> work = new ArrayList<>();
        for (var agent : List.of(Map.entry("a", agentA), Map.entry("b", agentB))) {
          AgentPorts ports = new AgentPorts(agent.getValue(), "chassis-" + agent.getKey(), TenantAccess::allowAll, () -> {});
          work.add(pool.submit(() -> {
            for (int round = 0; round < ROUNDS; round++) {
              List<String> made = new ArrayList<>();
              for (int i = 0; i < PER_AGENT; i++) {
                String container = agent.getKey() + "-" + round + "-" + i;
                try {
                  ports.ensure(new CniRequest(CniRequest.Command.ADD, container, Optional.of("/proc/1/ns/net"), "eth0",
                      "0.4.0", "ovn", labels, true, null));
                  made.add(container);
                  agentPorts.incrementAndGet();
                } catch (AttachFailure f) {
                  CniException e = CniException.of(f);
                  if (e.code() == CniException.NO_FREE_ADDRESS) {
                    agentRefusals.incrementAndGet();
                  } else {
                    unexpected.add(container + ": " + e.code() + " " + e.getMessage());
                  }
                } catch (RuntimeException e) {
                  unexpected.add(container + ": " + e);
                }
              }
              made.forEach(c -> ports.release(c, "eth0"));
            }
            return null;
          }));
        }
        AtomicInteger frameworkPorts = new AtomicInteger();
        AtomicInteger frameworkRefusals = new AtomicInteger();
        work.add(pool.submit(() -> {
          for (int round = 0; round < ROUNDS; round++) {
            List<WantedPort> wanted = new ArrayList<>();
            for (int i = 0; i < PER_FRAMEWORK_ROUND; i++) {
              WantedPort w = new WantedPort("fw", "exec-" + round + "-" + i, "task-" + round + "-" + i, "S1", "eth0", labels, "*", "");
              wanted.add(w);
              writer.create(w, System.nanoTime());
            }
            List<String> made = new ArrayList<>();
            for (WantedPort w : wanted) {
              Optional<PortRefusal> r = answers.created.computeIfAbsent(w.name(), k -> new CompletableFuture<>())
                  .get(60, TimeUnit.SECONDS);
              if (r.isEmpty()) {
                made.add(w.name());
                frameworkPorts.incrementAndGet();
              } else if (r.get().reason() == PortRefusal.Reason.NO_ADDRESS) {
                frameworkRefusals.incrementAndGet();
              } else {
                unexpected.add(w.name() + ": " + r.get());
              }
            }
            for (String name : made) {
              writer.delete(name, "round over");
            }
            for (String name : made) {
              answers.deleted.computeIfAbsent(name, k -> new CompletableFuture<>()).get(60, TimeUnit.SECONDS);
            }
          }
          return null;
        }));
        for (Future<?> f : work) {
          f.get(10, TimeUnit.MINUTES);
        }
        System.out.printf("Concurrent allocation: %d rounds; agents made %d ports and were refused %d times; the framework "
            + "made %d and was refused %d times; %d database states checked; %s%n", ROUNDS, agentPorts.get(),
            agentRefusals.get(), frameworkPorts.get(), frameworkRefusals.get(), states.get(),
            metrics.scrape().lines().filter(l -> l.contains("address_conflict")).findFirst().orElse("no framework batch conflicted"));
        assertThat(unexpected).as("every refusal a clean 'no free address', nothing else failing").isEmpty();
        assertThat(agentPorts.get()).as("the agents made ports").isPositive();
        assertThat(frameworkPorts.get()).as("the framework made ports").isPositive();
        assertThat(agentRefusals.get() + frameworkRefusals.get()).as("the network ran out of addresses at times").isPositive();
      } finally {
        pool.shutdownNow();
        writer.close();
      }
      observer.northbound().client().echo();
      synchronized (duplicates) {
        assertThat(duplicates).as("an address held by two ports at once").isEmpty();
      }
      assertThat(framework.networks().taskPorts(NETWORK)).as("nothing left on the network").isEmpty();
      assertThat(framework.northbound().logicalSwitch(NETWORK).orElseThrow().externalIds())
          .as("the agents raised the switch's counter with each port").containsKey(AddressGuard.AGENT_ALLOCATIONS);
    }
  }

  /**
   * One agent making ports for two tenants' tasks at once, on two networks whose subnets overlap:
   * each switch's guard covers only its own switch, yet the agent's tasks never share an address.
   */
  @Test
  void anAgentsConcurrentPortsOnOverlappingNetworksNeverShareAnAddress(OvnTestbed ovn) throws Exception {
    try (Topology agent = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())))) {
      for (String tenant : List.of("ovl-a", "ovl-b")) {
        agent.tenants().create(tenant);
        agent.networks().create(NetworkSpec.of(tenant, tenant + "1", "10.31.0.0/24"));
      }
      AgentPorts ports = new AgentPorts(agent, "chassis-1", TenantAccess::allowAll, () -> {});
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        for (int round = 0; round < 20; round++) {
          List<Future<TaskPort>> made = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            String network = i % 2 == 0 ? "ovl-a1" : "ovl-b1";
            String container = "ovl-" + round + "-" + i;
            CniRequest req = new CniRequest(CniRequest.Command.ADD, container, Optional.of("/proc/1/ns/net"), "eth0", "0.4.0",
                "ovn", Map.of(PortLabels.LOGICAL_SWITCH, network), true, null);
            made.add(pool.submit(() -> ports.ensureForFramework(req,
                new io.ovnmesos.executorhook.mesos.ExecutorSandboxes.Owner("S0", "fw", container), Optional.empty())));
          }
          List<String> addresses = new ArrayList<>();
          for (Future<TaskPort> f : made) {
            addresses.addAll(f.get(60, TimeUnit.SECONDS).addresses());
          }
          assertThat(addresses).as("round %d: the agent's tasks' addresses", round).doesNotHaveDuplicates().hasSize(8);
          for (int i = 0; i < 8; i++) {
            String container = "ovl-" + round + "-" + i;
            assertThat(ports.releaseMadeHere(io.ovnmesos.topology.port.PortMarks.frameworkPortName("fw", container, "eth0"),
                container)).isTrue();
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
