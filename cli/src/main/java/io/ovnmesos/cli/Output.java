package io.ovnmesos.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** Writes results for people, or as JSON for scripts. */
final class Output {
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  /** Prints {@code text} for people, or {@code value} as JSON. */
  void print(String text, Object value) {
    if (json) {
      try {
        out.println(JSON.writeValueAsString(value));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      out.println(text);
    }
    out.flush();
  }

  /** The result of a create or delete, in both forms. */
  record Change(String action, String kind, String name, boolean changed) {
    String text() {
      return kind + " " + name + (changed ? " " + action : switch (action) {
        case "created" -> " exists with these settings; nothing changed";
        default -> " does not exist; nothing changed";
      });
    }
  }

  void change(String action, String kind, String name, boolean changed) {
    Change c = new Change(action, kind, name, changed);
    print(c.text(), c);
  }
}
