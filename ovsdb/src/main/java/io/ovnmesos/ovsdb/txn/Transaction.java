package io.ovnmesos.ovsdb.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ovnmesos.ovsdb.OvsdbException;
import io.ovnmesos.ovsdb.data.DatumCodec;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.schema.ColumnSchema;
import io.ovnmesos.ovsdb.schema.DatabaseSchema;
import io.ovnmesos.ovsdb.schema.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A transaction under construction. Each operation is checked against the schema when it is added,
 * so a bad table, column or value fails at once, naming it, and nothing is sent. Many operations (for
 * example many ports) go in one transaction, which the server applies atomically.
 *
 * <pre>{@code
 * Transaction t = client.transaction("OVN_Northbound");
 * NamedUuid port = t.insert("Logical_Switch_Port", Map.of("name", "p1", "addresses", List.of("dynamic")));
 * t.mutate("Logical_Switch", List.of(Condition.eq("name", "sw0")), List.of(Mutation.insert("ports", port)));
 * TransactionResult r = t.commit().join();
 * }</pre>
 */
public final class Transaction {
  private final DatabaseSchema schema;
  private final Function<ArrayNode, CompletableFuture<JsonNode>> sender;
  private ArrayNode params = JsonNodeFactory.instance.arrayNode();
  /** True once {@link #params} has been handed to the sender: a later change must not reach it. */
  private boolean sent;
  private final List<Operation> operations = new ArrayList<>();
  private final Map<NamedUuid, Integer> inserts = new HashMap<>();
  private int nextName;

  /** A transaction on {@code schema}'s database, committed through {@code sender} ("transact" params in, result out). */
  public Transaction(DatabaseSchema schema, Function<ArrayNode, CompletableFuture<JsonNode>> sender) {
    this.schema = schema;
    this.sender = sender;
    params.add(schema.name());
  }

  /** Adds any operation. */
  public Transaction add(Operation op) {
    if (sent) {
      params = params.deepCopy();
      sent = false;
    }
    params.add(op.toJson(schema));
    operations.add(op);
    if (op instanceof Operation.Insert ins && ins.uuidName() != null) {
      inserts.put(ins.uuidName(), operations.size() - 1);
    }
    return this;
  }

  /** Inserts a row and returns a name later operations may use to refer to it. */
  public NamedUuid insert(String table, Map<String, Object> row) {
    NamedUuid name = new NamedUuid("row" + nextName++);
    add(new Operation.Insert(table, row, name));
    return name;
  }

  public Transaction select(String table, List<Condition> where, List<String> columns) {
    return add(new Operation.Select(table, where, columns));
  }

  public Transaction update(String table, List<Condition> where, Map<String, Object> row) {
    return add(new Operation.Update(table, where, row));
  }

  public Transaction mutate(String table, List<Condition> where, List<Mutation> mutations) {
    return add(new Operation.Mutate(table, where, mutations));
  }

  public Transaction delete(String table, List<Condition> where) {
    return add(new Operation.Delete(table, where));
  }

  /**
   * Aborts the whole transaction unless the {@code columns} of the rows matching {@code where} equal
   * {@code rows} right now: an optimistic-concurrency guard. A failed guard surfaces as an
   * {@link OvsdbTransactionException} whose {@link OvsdbTransactionException#isTimedOutWait()} is true.
   */
  public Transaction guard(String table, List<Condition> where, List<String> columns,
      List<Map<String, Object>> rows) {
    return add(new Operation.Wait(table, where, columns, true, rows, 0L));
  }

  /** Aborts the transaction unless no row matches {@code where} right now. */
  public Transaction guardAbsent(String table, List<Condition> where) {
    return guard(table, where, List.of("_uuid"), List.of());
  }

  public Transaction comment(String text) {
    return add(new Operation.Comment(text));
  }

  public Transaction assertLock(String lock) {
    return add(new Operation.Assert(lock));
  }

  /** How many operations the transaction holds. */
  public int size() {
    return operations.size();
  }

  /** The operations added so far. */
  public List<Operation> operations() {
    return List.copyOf(operations);
  }

  /**
   * Sends the transaction. The future fails with {@link OvsdbTransactionException} if the server
   * refused it, or with a connection or timeout error if its fate is unknown. Cancelling the future
   * asks the server to cancel the transaction (it may already have committed).
   */
  public CompletableFuture<TransactionResult> commit() {
    // Copied only if an operation is added after this (rare), not for every commit of a large batch.
    sent = true;
    CompletableFuture<JsonNode> raw = sender.apply(params);
    CompletableFuture<TransactionResult> result = raw.thenApply(this::parse);
    // Dependent futures do not pass cancellation upstream; the request's own future must see it so
    // that the server is told to cancel.
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        raw.cancel(true);
      }
    });
    return result;
  }

  /** Reads a {@code transact} result array into per-operation results, or throws the first error. */
  TransactionResult parse(JsonNode result) {
    if (!result.isArray()) {
      throw new OvsdbException("malformed transact reply: expected an array, got " + abbreviate(result));
    }
    for (int i = 0; i < result.size(); i++) {
      JsonNode r = result.get(i);
      if (r != null && r.has("error")) {
        String op = i < operations.size() ? operations.get(i).describe() : "commit";
        throw new OvsdbTransactionException(i < operations.size() ? i : -1, op, r.get("error").asText(),
            r.path("details").isMissingNode() ? null : r.path("details").asText());
      }
    }
    if (result.size() < operations.size()) {
      throw new OvsdbException("malformed transact reply: " + result.size() + " results for "
          + operations.size() + " operations");
    }
    List<TransactionResult.OperationResult> out = new ArrayList<>();
    for (int i = 0; i < operations.size(); i++) {
      out.add(parseOne(operations.get(i), result.get(i)));
    }
    return new TransactionResult(List.copyOf(out), Map.copyOf(inserts));
  }

  private TransactionResult.OperationResult parseOne(Operation op, JsonNode r) {
    Uuid uuid = r.has("uuid") ? (Uuid) DatumCodec.decodeAtom(r.get("uuid"), io.ovnmesos.ovsdb.schema.AtomicType.UUID) : null;
    Long count = r.has("count") ? r.get("count").asLong() : null;
    List<Row> rows = null;
    if (r.has("rows") && op instanceof Operation.Select sel) {
      TableSchema t = schema.table(sel.table());
      rows = new ArrayList<>();
      for (JsonNode row : r.get("rows")) {
        rows.add(decodeRow(t, row));
      }
      rows = List.copyOf(rows);
    }
    return new TransactionResult.OperationResult(uuid, rows, count);
  }

  /** Decodes a full row as {@code select} returns it. */
  public static Row decodeRow(TableSchema t, JsonNode row) {
    Map<String, Object> values = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ColumnSchema c = t.columns().get(e.getKey());
      if (c != null) {
        values.put(e.getKey(), DatumCodec.decode(e.getValue(), c.type()));
      }
    }
    Uuid uuid = values.get("_uuid") instanceof Uuid u ? u : Uuid.ZERO;
    return new Row(t.name(), uuid, values);
  }

  private static String abbreviate(JsonNode n) {
    String s = String.valueOf(n);
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
