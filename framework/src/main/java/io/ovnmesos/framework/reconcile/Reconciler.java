package io.ovnmesos.framework.reconcile;

import io.ovnmesos.framework.dns.DnsEdits;
import io.ovnmesos.framework.metrics.FrameworkMetrics;
import io.ovnmesos.framework.port.PortWriter;
import io.ovnmesos.framework.port.WantedPort;
import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.nb.Dns;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.access.TenantAccess;
import io.ovnmesos.topology.dns.DnsRecords;
import io.ovnmesos.topology.dns.TenantDns;
import io.ovnmesos.topology.port.NorthboundPorts;
import io.ovnmesos.topology.port.PortPlanner;
import io.ovnmesos.topology.tenant.Tenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes OVN hold the desired ports, on every snapshot and resync: runs a {@link ReconcilePlan} over
 * the Northbound cache and hands its creates, deletes and repairs to the writer. A port on an agent
 * the master does not (yet) list as active is deleted only after a grace period, as after a master
 * failover agents re-register, and their tasks reappear, only over minutes. Runs on the event
 * thread, never on the master stream's.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final Topology topology;
  private final PortWriter writer;
  private final TenantAccess access;
  private final FrameworkMetrics metrics;
  private final GracePeriods grace;
  private final Duration orphanGrace;

  /**
   * What one reconciliation found.
   *
   * @param wanted ports the master's live tasks want
   * @param deferred ports whose agent is not back, deleted after the grace period unless wanted again
   */
  public record Outcome(int wanted, int created, int deleted, int deferred, int repaired) {}

  private volatile Outcome last = new Outcome(0, 0, 0, 0, 0);

  public Reconciler(Topology topology, PortWriter writer, TenantAccess access, FrameworkMetrics metrics,
      GracePeriods grace, Duration orphanGrace) {
    this.topology = topology;
    this.writer = writer;
    this.access = access;
    this.metrics = metrics;
    this.grace = grace;
    this.orphanGrace = orphanGrace;
  }

  /**
   * Reconciles against {@code wanted} (by port name). {@code stillWanted} is asked again when an
   * orphan's grace period ends.
   */
  public Outcome reconcile(Map<String, WantedPort> wanted, Set<String> activeAgents, long receivedNanos,
      Predicate<String> stillWanted) {
    // The master's snapshot may arrive before the Northbound's contents (both are large at start-up,
    // and are fetched side by side), and a deposed leader may write until the epoch is ours: compare
    // only against all of OVN, as it stands once no one else can change it.
    OvsdbClient.join(writer.writable());
    // Rows are immutable: copy the references in one cache moment, read them outside it.
    List<Row> rows = topology.northbound().cache().consistent(c -> new ArrayList<>(c.rows(LogicalSwitchPort.TABLE_NAME)));
    List<LogicalSwitchPort> ports = new ArrayList<>(rows.size());
    rows.forEach(r -> ports.add(LogicalSwitchPort.from(r)));
    ReconcilePlan plan = ReconcilePlan.of(wanted, ports, activeAgents, new PortPlanner(new NorthboundPorts(topology), access));
    plan.create().forEach(w -> writer.create(w, receivedNanos));
    plan.delete().forEach(name -> writer.delete(name, "its task is gone"));
    for (ReconcilePlan.Drift d : plan.repair()) {
      LOG.warn("Port {} drifted from what its task asks ({}); repairing it", d.repair().name(),
          String.join(", ", d.repair().drifted()));
      writer.repair(d.port());
    }
    plan.orphaned().forEach((name, agent) -> grace.start("port " + name, orphanGrace, () -> {
      if (!stillWanted.test(name)) {
        LOG.info("Port {}: agent {} did not come back within {}; deleting it", name, agent, orphanGrace);
        writer.delete(name, "its agent did not re-register");
        metrics.reconciled("deleted", 1);
      }
    }));
    metrics.reconciled("created", plan.create().size());
    metrics.reconciled("deleted", plan.delete().size());
    metrics.reconciled("repaired", plan.repair().size());
    last = new Outcome(plan.wanted(), plan.create().size(), plan.delete().size(), plan.orphaned().size(),
        plan.repair().size());
    LOG.info("Reconciled: {} port(s) to create, {} to delete, {} to repair, {} on agents not yet back",
        plan.create().size(), plan.delete().size(), plan.repair().size(), plan.orphaned().size());
    return last;
  }

  /**
   * Makes every tenant's DNS row hold exactly the records of {@code names} (each name with the ports
   * of its serving tasks), as the ports stand now: a row that differs in any record, is missing or
   * does not serve every network of its tenant is written again in full. Returns how many were.
   */
  public int reconcileNames(Map<String, Set<String>> names) {
    Map<String, List<DnsRecords.Endpoint>> endpoints = new HashMap<>();
    names.forEach((name, ports) -> endpoints.put(name, DnsEdits.endpoints(topology, ports, p -> Optional.empty())));
    Map<String, Map<String, String>> wanted = DnsRecords.of(endpoints);
    TenantDns dns = new TenantDns(topology.northbound());
    Map<String, Dns> rows = dns.rows();
    int repaired = 0;
    for (Tenant tenant : topology.tenants().list()) {
      Map<String, String> records = wanted.getOrDefault(tenant.name(), Map.of());
      Dns row = rows.get(tenant.name());
      if (row == null || DnsRecords.diff(records, row.records()).isPresent() || !dns.unattached(tenant.name(), row.uuid()).isEmpty()) {
        if (row != null) {
          LOG.warn("Tenant {}'s DNS records drifted from its serving tasks' names; repairing them", tenant.name());
        }
        writer.records(tenant.name(), records);
        repaired++;
      }
    }
    metrics.reconciled("names_repaired", repaired);
    return repaired;
  }

  /** The last reconciliation's outcome. */
  public Outcome last() {
    return last;
  }
}
