package io.ovnmesos.framework.port;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ovnmesos.framework.metrics.FrameworkMetrics;
import io.ovnmesos.ovsdb.OvsdbConnectionException;
import io.ovnmesos.ovsdb.schema.DatabaseSchema;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.testbed.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The committer's rules, over transactions answered in memory (what the database says is scripted;
 * what OVSDB itself does is tested against the real thing elsewhere): coalescing, splitting what OVN
 * refuses, retrying what may not have arrived, planning again after a conflict, and stopping at once
 * when fenced.
 */
class BatchCommitterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DatabaseSchema SCHEMA = DatabaseSchema.parse(json(
      "{\"name\":\"Test\",\"version\":\"1.0.0\",\"tables\":{\"Row\":{\"columns\":{\"name\":{\"type\":\"string\"}}}}}"));

  /** A request: a "put" takes the place of anything before it; a "note" never takes the place of a put. */
  record Req(String key, String kind) implements BatchCommitter.Keyed {}

  private final List<List<String>> planned = Collections.synchronizedList(new ArrayList<>());
  private final List<String> committed = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger conflicts = new AtomicInteger();
  private final AtomicBoolean fenced = new AtomicBoolean();
  private final FrameworkMetrics metrics = new FrameworkMetrics();
  private BatchCommitter<Req> committer;

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private final BatchCommitter.Planner<Req> planner = new BatchCommitter.Planner<>() {
    @Override
    public boolean replaces(Req later, Req earlier) {
      return later.kind().equals("put") || earlier.kind().equals("note");
    }

    @Override
    public BatchCommitter.Batch plan(List<Req> requests, Transaction t) {
      planned.add(requests.stream().map(r -> r.key() + ":" + r.kind()).toList());
      requests.forEach(r -> t.insert("Row", Map.of("name", r.key())));
      return new BatchCommitter.Batch() {
        @Override
        public String describe() {
          return "test";
        }

        @Override
        public void committed() {
          requests.forEach(r -> committed.add(r.key()));
        }

        @Override
        public void failed() {}

        @Override
        public boolean conflict(RuntimeException e) {
          return conflicts.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }
      };
    }
  };

  /** Starts a committer whose transactions {@code database} answers, from the names each inserts. */
  private void start(Function<List<String>, CompletableFuture<JsonNode>> database) {
    committer = new BatchCommitter<>("test-committer", () -> new Transaction(SCHEMA, params -> database.apply(names(params))),
        t -> t.comment("fence"), CompletableFuture.completedFuture(null), planner, () -> fenced.set(true), metrics).start();
  }

  private static List<String> names(ArrayNode params) {
    List<String> names = new ArrayList<>();
    params.forEach(op -> {
      if (op.path("op").asText().equals("insert")) {
        names.add(op.path("row").path("name").asText());
      }
    });
    return names;
  }

  /** Every operation succeeds: the guard, the comment, one per insert. */
  private static CompletableFuture<JsonNode> ok(List<String> names) {
    ArrayNode a = JSON.createArrayNode();
    for (int i = 0; i < names.size() + 2; i++) {
      a.addObject();
    }
    return CompletableFuture.completedFuture(a);
  }

  private static CompletableFuture<JsonNode> error(String error) {
    ArrayNode a = JSON.createArrayNode();
    a.addObject().put("error", error);
    return CompletableFuture.completedFuture(a);
  }

  @AfterEach
  void stop() {
    if (committer != null) {
      committer.close();
    }
  }

  @Test
  void aBatchKeepsOneRequestPerKeyAndANoteNeverReplacesAPut() {
    // Writable only once all are queued: they are one batch.
    CompletableFuture<Void> open = new CompletableFuture<>();
    committer = new BatchCommitter<>("test-committer", () -> new Transaction(SCHEMA, params -> ok(names(params))),
        t -> t, open, planner, () -> fenced.set(true), metrics).start();
    committer.submit(new Req("a", "put"));
    committer.submit(new Req("a", "note"));
    committer.submit(new Req("b", "note"));
    committer.submit(new Req("b", "put"));
    committer.submit(new Req("c", "note"));
    committer.submit(new Req("c", "note"));
    open.complete(null);
    Waiter.until("all committed", Duration.ofSeconds(10), () -> committed.size() == 3);
    assertThat(planned).containsExactly(List.of("a:put", "b:put", "c:note"));
  }

  @Test
  void aRefusedBatchIsSplitUntilTheRequestAtFaultIsAlone() {
    start(names -> names.contains("bad") ? error("constraint violation") : ok(names));
    for (String k : List.of("k1", "k2", "k3", "bad", "k5", "k6", "k7")) {
      committer.submit(new Req(k, "put"));
    }
    Waiter.until("the good ones committed", Duration.ofSeconds(10), () -> committed.size() == 6);
    assertThat(committed).doesNotContain("bad");
    assertThat(planned).contains(List.of("bad:put"));
    assertThat(metrics.scrape()).contains("ovn_mesos_framework_errors_total{kind=\"transaction\"} 1.0");
  }

  @Test
  void aBatchWhoseOutcomeIsUnknownIsWrittenAgain() {
    AtomicInteger calls = new AtomicInteger();
    start(names -> calls.getAndIncrement() == 0
        ? CompletableFuture.failedFuture(new OvsdbConnectionException("connection reset")) : ok(names));
    committer.submit(new Req("a", "put"));
    Waiter.until("committed on the second try", Duration.ofSeconds(10), () -> committed.equals(List.of("a")));
    assertThat(planned).containsExactly(List.of("a:put"), List.of("a:put"));
    assertThat(metrics.scrape()).contains("ovn_mesos_framework_errors_total{kind=\"unreachable\"} 1.0");
  }

  @Test
  void aBatchItsOwnGuardStoppedIsPlannedAgain() {
    conflicts.set(1);
    AtomicInteger calls = new AtomicInteger();
    start(names -> calls.getAndIncrement() == 0 ? error("timed out") : ok(names));
    committer.submit(new Req("a", "put"));
    Waiter.until("committed once planned again", Duration.ofSeconds(10), () -> committed.equals(List.of("a")));
    assertThat(planned).hasSize(2);
    assertThat(fenced).as("a conflict is not fencing").isFalse();
  }

  @Test
  void aFencedBatchStopsTheCommitterAndTellsItsOwnerAtOnce() {
    start(names -> error("timed out"));
    committer.submit(new Req("a", "put"));
    Waiter.until("told", Duration.ofSeconds(10), fenced::get);
    committer.submit(new Req("b", "put"));
    assertThat(committed).isEmpty();
    assertThat(metrics.scrape()).contains("ovn_mesos_framework_errors_total{kind=\"fenced\"} 1.0");
    committer.close();
    assertThat(planned).as("nothing more written once fenced").containsExactly(List.of("a:put"));
  }
}
