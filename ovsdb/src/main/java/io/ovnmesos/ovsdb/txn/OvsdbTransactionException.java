package io.ovnmesos.ovsdb.txn;

import io.ovnmesos.ovsdb.OvsdbErrorException;

/**
 * The server refused a transaction: one operation failed (its index and description are given) or
 * the commit itself did (index -1; for example a referential integrity violation). Nothing of the
 * transaction was applied.
 */
public final class OvsdbTransactionException extends OvsdbErrorException {
  private final int operationIndex;

  public OvsdbTransactionException(int operationIndex, String operation, String error, String details) {
    super(operationIndex < 0 ? "transaction commit" : "operation " + operationIndex + " (" + operation + ")",
        error, details);
    this.operationIndex = operationIndex;
  }

  /** The index of the failed operation, or -1 if the commit failed. */
  public int operationIndex() {
    return operationIndex;
  }

  /** True when a {@code wait} with a timeout failed: the state it guarded had changed. */
  public boolean isTimedOutWait() {
    return "timed out".equals(error());
  }
}
