package io.ovnmesos.faults.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hostile-input corpus: one JSON file per entry point under {@code src/test/resources/hostile},
 * each a list of cases. Strings may hold {@code $REPEAT(text,n)}, expanded to text n times, so that
 * huge values stay readable in the files; an object value {@code "$MANY_LABELS(n)"} becomes n labels.
 */
final class Corpus {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REPEAT = Pattern.compile("\\$REPEAT\\(([^,]*),(\\d+)\\)");
  private static final Pattern MANY = Pattern.compile("\\$MANY_LABELS\\((\\d+)\\)");

  private Corpus() {}

  /** The cases of {@code entryPoint}, expanded. */
  static List<JsonNode> cases(String entryPoint) {
    try (InputStream in = Corpus.class.getResourceAsStream("/hostile/" + entryPoint + ".json")) {
      JsonNode root = JSON.readTree(in);
      List<JsonNode> out = new ArrayList<>();
      root.get("cases").forEach(c -> out.add(expand(c)));
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the corpus of " + entryPoint, e);
    }
  }

  /** A copy of {@code node} with every marker expanded. */
  static JsonNode expand(JsonNode node) {
    if (node.isTextual()) {
      Matcher many = MANY.matcher(node.asText());
      if (many.matches()) {
        ObjectNode labels = JSON.createObjectNode();
        for (int i = 0; i < Integer.parseInt(many.group(1)); i++) {
          labels.put("k" + i, "v" + i);
        }
        return labels;
      }
      return new TextNode(repeat(node.asText()));
    }
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), expand(e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      var copy = JSON.createArrayNode();
      node.forEach(e -> copy.add(expand(e)));
      return copy;
    }
    return node;
  }

  static String repeat(String s) {
    Matcher m = REPEAT.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * {@code base} with {@code overrides} merged in: objects field by field, a null removes the field,
   * anything else replaces it.
   */
  static ObjectNode merge(ObjectNode base, JsonNode overrides) {
    ObjectNode out = base.deepCopy();
    Iterator<Map.Entry<String, JsonNode>> it = overrides.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode current = out.get(e.getKey());
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else if (e.getValue().isObject() && current != null && current.isObject()) {
        out.set(e.getKey(), merge((ObjectNode) current, e.getValue()));
      } else {
        out.set(e.getKey(), e.getValue());
      }
    }
    return out;
  }
}
