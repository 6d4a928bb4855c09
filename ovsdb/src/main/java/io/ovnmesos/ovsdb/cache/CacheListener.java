package io.ovnmesos.ovsdb.cache;

import java.util.List;

/**
 * Told about every batch of changes a monitor update applied to the cache, on the connection's I/O
 * thread, after the cache reflects them. Must not block.
 */
@FunctionalInterface
public interface CacheListener {
  void onChanges(List<RowChange> changes);
}
