package io.ovnmesos.faults.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The corpus itself: every entry point covered, every case named once and with what it expects. */
class CorpusTest {
  /** Each entry point's file and the field every case must carry as its expectation. */
  private static final Map<String, String> EXPECTATION = Map.of("cni", "code", "grpc", "status", "cli", "exit", "ovsdb", "msg",
      "mesos", "task");

  @Test
  void everyEntryPointHasNamedCasesWithExpectationsAndTheyNumberAtLeastAHundred() {
    int total = 0;
    for (var e : EXPECTATION.entrySet()) {
      List<JsonNode> cases = Corpus.cases(e.getKey());
      Set<String> names = new HashSet<>();
      for (JsonNode c : cases) {
        assertThat(c.path("name").asText()).as(e.getKey() + " case without a name: " + c).isNotBlank();
        assertThat(names.add(c.get("name").asText())).as(e.getKey() + ": name given twice: " + c.get("name")).isTrue();
        assertThat(c.has(e.getValue())).as(e.getKey() + " " + c.get("name") + ": no " + e.getValue()).isTrue();
      }
      assertThat(cases).as(e.getKey()).isNotEmpty();
      total += cases.size();
    }
    assertThat(total).as("cases across all entry points").isGreaterThanOrEqualTo(100);
  }

  @Test
  void markersExpandToWhatTheySay() {
    assertThat(Corpus.repeat("x$REPEAT(ab,3)y")).isEqualTo("xabababy");
    assertThat(Corpus.expand(Corpus.JSON.valueToTree("$MANY_LABELS(3)")).size()).isEqualTo(3);
    assertThat(Corpus.expand(Corpus.JSON.valueToTree(Map.of("k", "$REPEAT({\"a\":,2)"))).get("k").asText()).isEqualTo("{\"a\":{\"a\":");
  }
}
