package io.ovnmesos.topology.port;

import io.ovnmesos.ovsdb.data.Uuid;
import java.util.List;
import java.util.Map;

/**
 * What to write on an existing task port so that it is again the port its request asks for: the
 * columns that drifted, each with its whole wanted value, for one update of the row.
 *
 * @param columns the Logical_Switch_Port columns to set, by column name
 * @param drifted what differed, for logs and metrics (column names, or "address" when no entry the
 *     port holds fits its network and the addresses are left as they are)
 */
public record PortRepair(String name, Uuid uuid, Map<String, Object> columns, List<String> drifted) {
  public PortRepair {
    columns = Map.copyOf(columns);
    drifted = List.copyOf(drifted);
  }
}
