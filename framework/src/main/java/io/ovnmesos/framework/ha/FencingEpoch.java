package io.ovnmesos.framework.ha;

import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.cache.DatabaseCache;
import io.ovnmesos.ovsdb.cache.MonitorSpec;
import io.ovnmesos.ovsdb.nb.NbGlobal;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.OvsdbTransactionException;
import io.ovnmesos.ovsdb.txn.Transaction;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fencing epoch in NB_Global {@code external_ids:ovn-mesos/epoch}. A replica that becomes leader
 * raises it by one; every write the leader makes carries a {@code wait} that the epoch is still its
 * own, so a deposed leader that has not noticed yet (a long GC pause, a partition from ZooKeeper)
 * has its writes rejected by the database itself. The framework id lives beside it, so every replica
 * reuses the one the master gave.
 */
public final class FencingEpoch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FencingEpoch.class);
  public static final String EPOCH = "ovn-mesos/epoch";
  public static final String FRAMEWORK_ID = "ovn-mesos/framework-id";

  private final OvsdbClient client;
  private final DatabaseCache cache;
  private volatile long epoch = -1;

  public FencingEpoch(OvsdbClient client) {
    this.client = client;
    MonitorSpec spec = MonitorSpec.create();
    NbGlobal.TABLE.monitor(spec);
    this.cache = client.monitor(io.ovnmesos.topology.Northbound.DB, spec);
  }

  private NbGlobal global() {
    return OvsdbClient.join(cache.await("the NB_Global row", Duration.ofSeconds(30),
        c -> c.rows(NbGlobal.TABLE_NAME).stream().findFirst().map(NbGlobal::from)));
  }

  /** Takes the next epoch (retrying while other replicas race for it) and returns it. */
  public long acquire() {
    for (int attempt = 0; ; attempt++) {
      NbGlobal g = global();
      long current = Long.parseLong(g.externalIds().getOrDefault(EPOCH, "0"));
      Map<String, String> next = new HashMap<>(g.externalIds());
      next.put(EPOCH, Long.toString(current + 1));
      Transaction t = client.transaction(io.ovnmesos.topology.Northbound.DB);
      // The whole map must be as read: whoever else raced us wins, and we read again.
      t.guard(NbGlobal.TABLE_NAME, List.of(), List.of(NbGlobal.EXTERNAL_IDS), List.of(Map.of(NbGlobal.EXTERNAL_IDS, g.externalIds())));
      t.update(NbGlobal.TABLE_NAME, List.of(), Map.of(NbGlobal.EXTERNAL_IDS, next));
      t.comment("ovn-mesos: leader takes fencing epoch " + (current + 1));
      try {
        OvsdbClient.join(t.commit());
        epoch = current + 1;
        LOG.info("Took fencing epoch {}", epoch);
        return epoch;
      } catch (OvsdbTransactionException e) {
        if (!e.isTimedOutWait() || attempt > 20) {
          throw e;
        }
        // Changed under us: wait until the cache has the new value, then read again.
        OvsdbClient.join(cache.await("NB_Global to change", Duration.ofSeconds(10), c -> c.rows(NbGlobal.TABLE_NAME).stream()
            .findFirst().map(NbGlobal::from).filter(n -> !n.externalIds().equals(g.externalIds()))));
      }
    }
  }

  /** The epoch this replica holds, or -1. */
  public long epoch() {
    return epoch;
  }

  /** Adds the guard: the transaction aborts unless the epoch in NB is still ours. */
  public Transaction guard(Transaction t) {
    if (epoch < 0) {
      throw new IllegalStateException("no fencing epoch taken");
    }
    // No columns compared: the guard holds iff exactly one row (NB_Global) still has our epoch.
    t.guard(NbGlobal.TABLE_NAME, List.of(Condition.includes(NbGlobal.EXTERNAL_IDS, Map.of(EPOCH, Long.toString(epoch)))),
        List.of(), List.of(Map.of()));
    return t;
  }

  /**
   * True if {@code e} is a write rejected by the guard: a timed-out wait, in a transaction whose only
   * wait is {@link #guard}. Decided from the answer alone, as the cache may not show the new epoch yet.
   */
  public static boolean isFenced(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof OvsdbTransactionException ote) {
        return ote.isTimedOutWait();
      }
    }
    return false;
  }

  /** The framework id the master gave, if one was stored. */
  public Optional<String> frameworkId() {
    return Optional.ofNullable(global().externalIds().get(FRAMEWORK_ID)).filter(s -> !s.isBlank());
  }

  /** Stores the framework id (empty to forget it), guarded by the epoch. */
  public void storeFrameworkId(Optional<String> id) {
    Transaction t = guard(client.transaction(io.ovnmesos.topology.Northbound.DB));
    t.mutate(NbGlobal.TABLE_NAME, List.of(), List.of(io.ovnmesos.ovsdb.txn.Mutation.delete(NbGlobal.EXTERNAL_IDS,
        List.of(FRAMEWORK_ID))));
    id.ifPresent(v -> t.mutate(NbGlobal.TABLE_NAME, List.of(), List.of(io.ovnmesos.ovsdb.txn.Mutation.insert(
        NbGlobal.EXTERNAL_IDS, Map.of(FRAMEWORK_ID, v)))));
    OvsdbClient.join(t.commit());
  }

  @Override
  public void close() {
    client.cancelMonitor(cache);
  }
}
