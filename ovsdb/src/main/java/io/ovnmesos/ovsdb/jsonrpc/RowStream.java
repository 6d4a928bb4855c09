package io.ovnmesos.ovsdb.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Takes the rows of a request's reply one at a time, while the reply is parsed, instead of in one
 * tree. A monitor's first reply for a large database is tens of megabytes: held whole, its tree lives
 * long enough to be copied by every young collection until the last byte is in, where rows handed
 * over as they complete die young.
 *
 * <p>The reply's {@code result} (or one element of it, see {@link #position()}) must be a
 * {@code <table-updates>} object. Rows are streamed only if the reply names its {@code id} before
 * its {@code result}, as ovsdb-server writes it; otherwise the reply arrives as a whole tree, as
 * usual. Streamed rows are taken out of the tree that completes the request.
 */
public interface RowStream {
  /** Where the table updates are: -1 for the result itself, else the index of an element of the result array. */
  int position();

  /**
   * Called where the table updates begin; {@code before} holds the result array's earlier elements
   * (null when the result itself is the table updates). Returns whether to stream them.
   */
  boolean open(JsonNode before);

  /** One row's update (such as {@code {"initial": {...}}}), by table and UUID, taken out of the reply. */
  void row(String table, String uuid, JsonNode update);
}
