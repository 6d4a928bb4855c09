package io.ovnmesos.ovsdb.txn;

import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import java.util.List;
import java.util.Map;

/** The results of a committed transaction, one per operation. */
public record TransactionResult(List<OperationResult> results, Map<NamedUuid, Integer> insertIndexes) {

  /** The result of one operation: a new row's UUID, selected rows, or a count of rows touched. */
  public record OperationResult(Uuid uuid, List<Row> rows, Long count) {}

  /** The result of operation {@code index}. */
  public OperationResult get(int index) {
    return results.get(index);
  }

  /** The real UUID of the row inserted under {@code name}. */
  public Uuid uuid(NamedUuid name) {
    Integer i = insertIndexes.get(name);
    if (i == null) {
      throw new IllegalArgumentException("no insert named " + name + " in this transaction");
    }
    return results.get(i).uuid();
  }
}
