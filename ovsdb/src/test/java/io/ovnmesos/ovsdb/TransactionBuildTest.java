package io.ovnmesos.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.schema.DatabaseSchema;
import io.ovnmesos.ovsdb.txn.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Building a transaction, without a server: what reaches the sender. */
class TransactionBuildTest {
  private static final DatabaseSchema SCHEMA = schema();

  private static DatabaseSchema schema() {
    try {
      return DatabaseSchema.parse(new ObjectMapper().readTree("""
          {"name": "Test", "version": "1.0.0", "tables": {"Port": {"columns": {"name": {"type": "string"}}}}}"""));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anOperationAddedAfterCommitDoesNotChangeWhatWasSent() {
    List<ArrayNode> sent = new ArrayList<>();
    Transaction t = new Transaction(SCHEMA, params -> {
      sent.add(params);
      return new CompletableFuture<JsonNode>();
    });
    t.insert("Port", Map.of("name", "p1"));
    t.commit();
    String first = sent.get(0).toString();
    t.insert("Port", Map.of("name", "p2"));
    t.commit();

    assertThat(sent.get(0).toString()).isEqualTo(first).contains("p1").doesNotContain("p2");
    assertThat(sent.get(1).toString()).contains("p1", "p2");
    assertThat(sent.get(1).size()).isEqualTo(3);
  }

  @Test
  void rowNamesMustBeIdentifiers() {
    assertThat(new NamedUuid("_row0").name()).isEqualTo("_row0");
    assertThat(new NamedUuid("Row_9").name()).isEqualTo("Row_9");
    for (String bad : new String[] {"", "0row", "row-0", "row 0", "rów"}) {
      assertThatThrownBy(() -> new NamedUuid(bad)).as(bad).hasMessageContaining("named-uuid must match");
    }
    assertThatThrownBy(() -> new NamedUuid(null)).hasMessageContaining("named-uuid must match");
  }
}
