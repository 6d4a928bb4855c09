package io.ovnmesos.topology.port;

import io.ovnmesos.ovsdb.nb.LogicalSwitch;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.OvsdbTransactionException;
import io.ovnmesos.ovsdb.txn.Transaction;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Keeps two writers from giving out one address on a switch. Both plan from their own cache, so each
 * transaction that adds ports carries an OVSDB {@code wait} on the switch as its cache showed it:
 * <ul>
 *   <li>an agent making a port (rare: only while the framework cannot answer) waits until the
 *       switch's {@code ports} and marks are exactly as cached, so any port another writer added or
 *       removed meanwhile aborts it, and it raises the switch's {@value #AGENT_ALLOCATIONS} counter;
 *   <li>the framework, which writes in large pipelined batches, waits only until that mark is as
 *       cached, so its own batches never conflict with each other, while any agent's allocation it
 *       has not seen yet aborts the batch.
 * </ul>
 * An aborted transaction changed nothing; its writer plans again once its cache has caught up.
 */
public final class AddressGuard {
  /** On a network's switch: a counter agents raise each time they add a port to it. */
  public static final String AGENT_ALLOCATIONS = "ovn-mesos/agent-allocations";

  private AddressGuard() {}

  /** Adds the framework's guard for {@code cached}; returns the operation's index in {@code t}. */
  public static int framework(Transaction t, LogicalSwitch cached) {
    int index = t.size();
    t.guard(LogicalSwitch.TABLE_NAME, List.of(Condition.uuid(cached.uuid())), List.of(LogicalSwitch.EXTERNAL_IDS),
        List.of(Map.of(LogicalSwitch.EXTERNAL_IDS, cached.externalIds())));
    return index;
  }

  /** Adds an agent's guard for {@code cached} and raises the switch's counter; returns the guard's index in {@code t}. */
  public static int agent(Transaction t, LogicalSwitch cached) {
    int index = t.size();
    // The marks too: then the counter only ever rises. Were only the ports compared, an agent whose
    // view predates another's add and remove would write back the same count, and the framework's
    // guard would not see its port.
    t.guard(LogicalSwitch.TABLE_NAME, List.of(Condition.uuid(cached.uuid())),
        List.of(LogicalSwitch.PORTS, LogicalSwitch.EXTERNAL_IDS),
        List.of(Map.of(LogicalSwitch.PORTS, cached.ports(), LogicalSwitch.EXTERNAL_IDS, cached.externalIds())));
    long next = parse(cached.externalIds().get(AGENT_ALLOCATIONS)) + 1;
    t.mutate(LogicalSwitch.TABLE_NAME, List.of(Condition.uuid(cached.uuid())), List.of(
        Mutation.delete(LogicalSwitch.EXTERNAL_IDS, List.of(AGENT_ALLOCATIONS)),
        Mutation.insert(LogicalSwitch.EXTERNAL_IDS, Map.of(AGENT_ALLOCATIONS, Long.toString(next)))));
    return index;
  }

  /** True if {@code e} is a transaction aborted by one of the guards at {@code indices}. */
  public static boolean isConflict(Throwable e, Collection<Integer> indices) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof OvsdbTransactionException ote) {
        return ote.isTimedOutWait() && indices.contains(ote.operationIndex());
      }
    }
    return false;
  }

  private static long parse(String counter) {
    try {
      return counter == null ? 0 : Long.parseLong(counter);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
