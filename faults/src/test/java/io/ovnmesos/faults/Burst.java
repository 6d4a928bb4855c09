package io.ovnmesos.faults;

import io.ovnmesos.testbed.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.apache.mesos.v1.Protos;

/**
 * Task launches and kills at a steady pace, as a busy Marathon makes them, with faults injected at
 * given launch counts. A task that fails for any reason other than our kill is launched again once,
 * as Marathon would, on an agent that is still there. Counts what it attempted, what failed and
 * what it retried.
 */
final class Burst {
  private static final Set<Protos.TaskState> FAILED = Set.of(Protos.TaskState.TASK_FAILED, Protos.TaskState.TASK_ERROR,
      Protos.TaskState.TASK_LOST, Protos.TaskState.TASK_DROPPED, Protos.TaskState.TASK_GONE,
      Protos.TaskState.TASK_GONE_BY_OPERATOR, Protos.TaskState.TASK_UNKNOWN);
  private static final Set<Protos.TaskState> TERMINAL = Set.of(Protos.TaskState.TASK_FINISHED, Protos.TaskState.TASK_KILLED,
      Protos.TaskState.TASK_FAILED, Protos.TaskState.TASK_ERROR, Protos.TaskState.TASK_LOST, Protos.TaskState.TASK_DROPPED,
      Protos.TaskState.TASK_GONE, Protos.TaskState.TASK_GONE_BY_OPERATOR, Protos.TaskState.TASK_UNKNOWN);
  /** The pace of launches: load shaping, not synchronisation. */
  private static final Duration PACE = Duration.ofMillis(50);

  private final FaultSite site;
  private final String prefix;
  private final Random random;
  private final Set<String> liveAgents = new HashSet<>();
  private final List<String> launched = new ArrayList<>();
  private final List<String> running = new ArrayList<>();
  private final Set<String> killed = new HashSet<>();
  private final Set<String> failed = new HashSet<>();
  private final Set<String> retried = new HashSet<>();
  private final Map<String, String> agentOf = new java.util.HashMap<>();
  private int launchesRefused;
  /** Launches the master refused (no agent listed while it failed over), to be made again. */
  private final List<String> refused = new ArrayList<>();
  private int next;
  private long lastKills = System.nanoTime();
  private int burstKills;

  Burst(FaultSite site, String prefix, long seed) {
    this.site = site;
    this.prefix = prefix;
    this.random = new Random(seed);
    site.agents.forEach(a -> liveAgents.add(a.id().getValue()));
    site.master.getAgents().getRecoveredAgentsList().forEach(a -> liveAgents.remove(a.getId().getValue()));
  }

  /** The agent leaves for good: nothing more is launched there. */
  void agentGone(String agentId) {
    liveAgents.remove(agentId);
  }

  /**
   * Makes {@code launches} launches, killing a random live task after about every second one;
   * {@code faults} run in this thread just before the launch of their index.
   */
  void run(int launches, Map<Integer, Runnable> faults) {
    for (int i = 0; i < launches; i++) {
      Runnable fault = faults.get(i);
      if (fault != null) {
        fault.run();
      }
      retryFailed();
      launchOrQueue(prefix + "-" + next++);
      if (random.nextBoolean() && !running.isEmpty()) {
        kill(running.remove(random.nextInt(running.size())));
      }
      LockSupport.parkNanos(PACE.toNanos());
    }
    burstKills = killed.size();
  }

  private boolean launch(String id) {
    List<String> agents = new ArrayList<>(liveAgents);
    java.util.Collections.sort(agents);
    String agent = agents.get(random.nextInt(agents.size()));
    String network = random.nextBoolean() ? "coke1" : "pepsi1";
    Protos.TaskInfo task = Protos.TaskInfo.newBuilder().setName(id).setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue(agent)).setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 900"))
        .addResources(Protos.Resource.newBuilder().setName("cpus").setType(Protos.Value.Type.SCALAR)
            .setScalar(Protos.Value.Scalar.newBuilder().setValue(0.01))
            .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole("*")))
        .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS)
            .addNetworkInfos(Protos.NetworkInfo.newBuilder().setName("ovn").setLabels(Protos.Labels.newBuilder()
                .addLabels(Protos.Label.newBuilder().setKey("logical_switch").setValue(network)))))
        .build();
    try {
      site.master.launch(site.marathon, task);
    } catch (IllegalArgumentException e) {
      // The master does not list the agent now (it is failing over): Marathon's offer would not exist.
      return false;
    }
    launched.add(id);
    running.add(id);
    agentOf.put(id, agent);
    return true;
  }

  private void launchOrQueue(String id) {
    if (!launch(id)) {
      launchesRefused++;
      refused.add(id);
    }
  }

  private void kill(String id) {
    killed.add(id);
    site.master.kill(Protos.TaskID.newBuilder().setValue(id).build());
  }

  /** Launches anew, once, each task that failed for a reason other than our kill. */
  private void retryFailed() {
    for (String id : List.copyOf(refused)) {
      if (launch(id + "-retry")) {
        refused.remove(id);
        retried.add(id);
      }
    }
    for (String id : List.copyOf(launched)) {
      Protos.TaskState s = site.states.get(id);
      if (s != null && FAILED.contains(s) && !killed.contains(id) && failed.add(id)) {
        running.remove(id);
        if (!id.endsWith("-retry")) {
          retried.add(id);
          launch(id + "-retry");
        }
      }
    }
  }

  /**
   * Waits until every task launched is running or has ended, retrying failures meanwhile. A task the
   * master has not heard from since a failover counts as settled once it is listed again.
   */
  void settle(Duration deadline) {
    Waiter.until(prefix + ": every task running or ended", deadline, () -> {
      retryFailed();
      killAgain();
      if (!refused.isEmpty()) {
        return false;
      }
      for (String id : launched) {
        Protos.TaskState s = site.states.get(id);
        if (s == null || !(s == Protos.TaskState.TASK_RUNNING || TERMINAL.contains(s))) {
          return false;
        }
        if (killed.contains(id) && !TERMINAL.contains(s)) {
          return false;
        }
      }
      return true;
    });
  }

  /**
   * Kills again, every 2 s, what was killed but still runs: a kill made while the master failed over
   * never reached the agent, and Marathon, reconciling, kills again.
   */
  private void killAgain() {
    if (System.nanoTime() - lastKills < Duration.ofSeconds(2).toNanos()) {
      return;
    }
    lastKills = System.nanoTime();
    for (String id : killed) {
      if (!TERMINAL.contains(site.states.getOrDefault(id, Protos.TaskState.TASK_STAGING))) {
        site.master.kill(Protos.TaskID.newBuilder().setValue(id).build());
      }
    }
  }

  /** Kills every task of this burst still running and waits for their ends. */
  void killAll(Duration deadline) {
    for (String id : launched) {
      if (!killed.contains(id) && !TERMINAL.contains(site.states.getOrDefault(id, Protos.TaskState.TASK_STAGING))) {
        kill(id);
      }
    }
    Waiter.until(prefix + ": every task ended", deadline, () -> {
      killAgain();
      return launched.stream().allMatch(id -> TERMINAL.contains(site.states.getOrDefault(id, Protos.TaskState.TASK_STAGING)));
    });
  }

  /** The running tasks of this burst, by agent, each with its network. */
  List<String> runningOn(String agent) {
    return launched.stream().filter(id -> agent.equals(agentOf.get(id)) && site.states.get(id) == Protos.TaskState.TASK_RUNNING)
        .toList();
  }

  int launched() {
    return launched.size();
  }

  /** Kills made during the burst (not the final clean-up). */
  int killed() {
    return burstKills;
  }

  int failed() {
    return failed.size() + launchesRefused;
  }

  int retried() {
    return retried.size();
  }

  int launchesRefused() {
    return launchesRefused;
  }
}
