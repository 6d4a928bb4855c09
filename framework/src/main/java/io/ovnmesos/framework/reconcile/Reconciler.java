package io.ovnmesos.framework.reconcile;

import io.ovnmesos.framework.metrics.FrameworkMetrics;
import io.ovnmesos.framework.port.PortWriter;
import io.ovnmesos.framework.port.WantedPort;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.port.PortMarks;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes OVN match what the master runs, on every snapshot: ports missing for live tasks are created;
 * the framework's ports whose task is gone are deleted. Only ports marked as the framework's are ever
 * looked at. A port on an agent the master does not (yet) list as active is given a grace period
 * first, as after a master failover agents re-register, and their tasks reappear, only over minutes.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final Topology topology;
  private final PortWriter writer;
  private final FrameworkMetrics metrics;
  private final ScheduledExecutorService timers;
  private final Duration orphanGrace;

  /**
   * What one reconciliation found.
   *
   * @param wanted ports the master's live tasks want
   */
  public record Outcome(int wanted, int created, int deleted, int deferred) {}

  private volatile Outcome last = new Outcome(0, 0, 0, 0);
  /** Deletes waiting out the grace period of ports on agents not yet back. */
  private final Set<ScheduledFuture<?>> deferredDeletes = ConcurrentHashMap.newKeySet();

  public Reconciler(Topology topology, PortWriter writer, FrameworkMetrics metrics, ScheduledExecutorService timers,
      Duration orphanGrace) {
    this.topology = topology;
    this.writer = writer;
    this.metrics = metrics;
    this.timers = timers;
    this.orphanGrace = orphanGrace;
  }

  /**
   * Reconciles against {@code wanted} (by port name). {@code stillWanted} is asked again when a
   * deferred port's grace period ends.
   */
  public Outcome reconcile(Map<String, WantedPort> wanted, Set<String> activeAgents, long receivedNanos,
      Predicate<String> stillWanted) {
    // The master's snapshot may arrive before the Northbound's contents (both are large at start-up,
    // and are fetched side by side), and a deposed leader may write until the epoch is ours: compare
    // only against all of OVN, as it stands once no one else can change it.
    io.ovnmesos.ovsdb.OvsdbClient.join(writer.writable());
    int created = 0;
    int deleted = 0;
    int deferred = 0;
    Set<String> existing = new java.util.HashSet<>();
    for (Row r : topology.northbound().cache().rows(LogicalSwitchPort.TABLE_NAME)) {
      Map<String, String> ids = r.map(LogicalSwitchPort.EXTERNAL_IDS);
      if (!PortMarks.OWNER_FRAMEWORK.equals(ids.get(PortMarks.OWNER))) {
        continue;
      }
      String name = r.string(LogicalSwitchPort.NAME);
      if (wanted.containsKey(name)) {
        // A port an agent made while no framework answered is checked as the framework's own would be.
        if (!PortMarks.OWNER_AGENT.equals(ids.get(PortMarks.MADE_BY))) {
          existing.add(name);
        }
        continue;
      }
      existing.add(name);
      String agent = ids.getOrDefault(PortMarks.AGENT_ID, "");
      if (activeAgents.contains(agent)) {
        writer.delete(name, "its task is gone");
        deleted++;
      } else {
        deferred++;
        deferredDeletes.removeIf(ScheduledFuture::isDone);
        deferredDeletes.add(timers.schedule(() -> {
          if (!stillWanted.test(name)) {
            LOG.info("Port {}: agent {} did not come back within {}; deleting it", name, agent, orphanGrace);
            writer.delete(name, "its agent did not re-register");
            metrics.reconciled("deleted", 1);
          }
        }, orphanGrace.toMillis(), TimeUnit.MILLISECONDS));
      }
    }
    for (WantedPort w : wanted.values()) {
      if (!existing.contains(w.name())) {
        writer.create(w, receivedNanos);
        created++;
      }
    }
    metrics.reconciled("created", created);
    metrics.reconciled("deleted", deleted);
    last = new Outcome(wanted.size(), created, deleted, deferred);
    LOG.info("Reconciled: {} port(s) to create, {} to delete, {} on agents not yet back", created, deleted, deferred);
    return last;
  }

  /** Drops the deletes still waiting (this replica stops leading; the next leader reconciles anew). */
  public void stop() {
    deferredDeletes.forEach(f -> f.cancel(false));
    deferredDeletes.clear();
  }

  /** The last reconciliation's outcome. */
  public Outcome last() {
    return last;
  }
}
