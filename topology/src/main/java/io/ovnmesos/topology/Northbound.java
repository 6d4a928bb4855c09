package io.ovnmesos.topology;

import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.ovsdb.cache.DatabaseCache;
import io.ovnmesos.ovsdb.cache.MonitorSpec;
import io.ovnmesos.topology.port.PortMarks;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.nb.Dns;
import io.ovnmesos.ovsdb.nb.HaChassis;
import io.ovnmesos.ovsdb.nb.HaChassisGroup;
import io.ovnmesos.ovsdb.nb.LogicalRouter;
import io.ovnmesos.ovsdb.nb.LogicalRouterPort;
import io.ovnmesos.ovsdb.nb.LogicalRouterStaticRoute;
import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.nb.Nat;
import io.ovnmesos.ovsdb.txn.OvsdbTransactionException;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.ovsdb.txn.TransactionResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Northbound database as the topology sees it: a client, and a cache of the tables tenants,
 * networks and gateways are made of, with look-ups by name.
 */
public final class Northbound implements AutoCloseable {
  /** The database name. */
  public static final String DB = "OVN_Northbound";

  private final OvsdbClient client;
  private final DatabaseCache cache;
  private final boolean ownsClient;
  private final CompletableFuture<Void> synced;

  /** Uses {@code client} (which stays open after {@link #close()}). */
  public Northbound(OvsdbClient client) {
    this(client, false, false, List.of());
  }

  /**
   * The Logical_Switch_Port columns the framework reads: who a port is for, every column it writes
   * (for reconciliation to compare; it writes no options, so they are left out) and whether it is
   * up. ovsdb-server composes a monitor's first contents row by row and column by column, so
   * with 100,000 ports each column left out saves a large part of a second.
   */
  public static final List<String> TASK_PORT_COLUMNS = List.of(LogicalSwitchPort.NAME, LogicalSwitchPort.TYPE,
      LogicalSwitchPort.ADDRESSES, LogicalSwitchPort.PORT_SECURITY, LogicalSwitchPort.DYNAMIC_ADDRESSES, LogicalSwitchPort.UP,
      LogicalSwitchPort.EXTERNAL_IDS);

  private Northbound(OvsdbClient client, boolean ownsClient, boolean inBackground, List<String> portColumns) {
    this.client = client;
    this.ownsClient = ownsClient;
    MonitorSpec spec = MonitorSpec.create();
    for (var t : List.of(LogicalRouter.TABLE, LogicalRouterPort.TABLE, LogicalSwitch.TABLE, LogicalSwitchPort.TABLE,
        LogicalRouterStaticRoute.TABLE, Nat.TABLE, HaChassisGroup.TABLE, HaChassis.TABLE, Dns.TABLE)) {
      t.monitor(spec);
    }
    if (!portColumns.isEmpty()) {
      spec.table(LogicalSwitchPort.TABLE_NAME, portColumns.toArray(String[]::new));
    }
    spec.index(LogicalRouter.TABLE_NAME, LogicalRouter.NAME)
        .index(LogicalRouterPort.TABLE_NAME, LogicalRouterPort.NAME)
        .index(LogicalSwitch.TABLE_NAME, LogicalSwitch.NAME)
        .index(LogicalSwitchPort.TABLE_NAME, LogicalSwitchPort.NAME)
        .index(HaChassisGroup.TABLE_NAME, HaChassisGroup.NAME)
        .indexMapKey(LogicalRouter.TABLE_NAME, LogicalRouter.EXTERNAL_IDS, Ownership.KIND)
        .indexMapKey(LogicalSwitch.TABLE_NAME, LogicalSwitch.EXTERNAL_IDS, Ownership.KIND)
        // A task port's agent: the framework gives tasks on one agent addresses that differ across networks.
        .indexMapKey(LogicalSwitchPort.TABLE_NAME, LogicalSwitchPort.EXTERNAL_IDS, PortMarks.AGENT_ID);
    if (inBackground) {
      OvsdbClient.Monitoring m = client.monitorInBackground(DB, spec);
      this.cache = m.cache();
      this.synced = m.synced();
    } else {
      this.cache = client.monitor(DB, spec);
      this.synced = CompletableFuture.completedFuture(null);
    }
  }

  /** Connects with {@code options} and owns the connection. */
  public static Northbound connect(OvsdbOptions options) {
    return open(options, false, List.of());
  }

  /**
   * Like {@link #connect}, but returns as soon as the monitor is asked for: with a large database
   * the contents take seconds to arrive, and {@link #synced()} says when they are in.
   */
  public static Northbound connectInBackground(OvsdbOptions options) {
    return open(options, true, List.of());
  }

  /**
   * Like {@link #connectInBackground(OvsdbOptions)}, with only {@code portColumns} of
   * Logical_Switch_Port (such as {@link #TASK_PORT_COLUMNS}); the others read as empty.
   */
  public static Northbound connectInBackground(OvsdbOptions options, List<String> portColumns) {
    return open(options, true, portColumns);
  }

  private static Northbound open(OvsdbOptions options, boolean inBackground, List<String> portColumns) {
    OvsdbClient c = OvsdbClient.connect(options);
    try {
      return new Northbound(c, true, inBackground, portColumns);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** Completes once the cache holds the database's contents (at once unless made by {@link #connectInBackground}). */
  public CompletableFuture<Void> synced() {
    return synced.copy();
  }

  public OvsdbClient client() {
    return client;
  }

  public DatabaseCache cache() {
    return cache;
  }

  public Optional<LogicalRouter> router(String name) {
    return one(LogicalRouter.TABLE_NAME, LogicalRouter.NAME, name, LogicalRouter::from);
  }

  public Optional<LogicalRouterPort> routerPort(String name) {
    return one(LogicalRouterPort.TABLE_NAME, LogicalRouterPort.NAME, name, LogicalRouterPort::from);
  }

  public Optional<LogicalSwitch> logicalSwitch(String name) {
    return one(LogicalSwitch.TABLE_NAME, LogicalSwitch.NAME, name, LogicalSwitch::from);
  }

  public Optional<LogicalSwitchPort> switchPort(String name) {
    return one(LogicalSwitchPort.TABLE_NAME, LogicalSwitchPort.NAME, name, LogicalSwitchPort::from);
  }

  public Optional<HaChassisGroup> haChassisGroup(String name) {
    return one(HaChassisGroup.TABLE_NAME, HaChassisGroup.NAME, name, HaChassisGroup::from);
  }

  /** Routers ovn-mesos made as {@code kind}. */
  public List<LogicalRouter> routers(Ownership.Kind kind) {
    return cache.lookupMapKey(LogicalRouter.TABLE_NAME, LogicalRouter.EXTERNAL_IDS, Ownership.KIND, kind.value())
        .stream().map(LogicalRouter::from).toList();
  }

  /** Switches ovn-mesos made as {@code kind}. */
  public List<LogicalSwitch> switches(Ownership.Kind kind) {
    return cache.lookupMapKey(LogicalSwitch.TABLE_NAME, LogicalSwitch.EXTERNAL_IDS, Ownership.KIND, kind.value())
        .stream().map(LogicalSwitch::from).toList();
  }

  /** A row of {@code table} by UUID, as a record. */
  public <T> Optional<T> get(io.ovnmesos.ovsdb.typed.TypedTable<T> table, io.ovnmesos.ovsdb.data.Uuid uuid) {
    return table.get(cache, uuid);
  }

  public Transaction transaction() {
    return client.transaction(DB);
  }

  /**
   * Commits {@code t}. A failed guard means someone changed the same objects meanwhile: that becomes a
   * conflict asking to retry, and nothing was changed.
   */
  public TransactionResult commit(Transaction t) {
    try {
      return OvsdbClient.join(t.commit());
    } catch (OvsdbTransactionException e) {
      if (e.isTimedOutWait()) {
        throw TopologyException.conflict("the topology changed while this request was prepared; nothing was "
            + "changed, run it again");
      }
      if ("constraint violation".equals(e.error())) {
        throw TopologyException.conflict("OVN refused the change: " + e.details());
      }
      throw e;
    }
  }

  private <T> Optional<T> one(String table, String column, String name, Function<Row, T> map) {
    return cache.lookupOne(table, column, name).map(map);
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    } else {
      client.cancelMonitor(cache);
    }
  }
}
