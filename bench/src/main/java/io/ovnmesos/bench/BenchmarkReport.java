package io.ovnmesos.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps {@code docs/benchmarks.md}: each benchmark owns one section between markers and replaces only
 * that, so benchmarks added by later work can be run and written separately.
 */
final class BenchmarkReport {
  static final String HEADER = """
      # Benchmarks

      Every figure here was measured by `./scripts/bench` on the machine described in its section,
      beside the prototype's way measured in the same run. Nothing here is asserted by tests: speed is
      measured, not enforced. Re-run a section with `./scripts/bench SECTION`.
      """;

  private BenchmarkReport() {}

  /** Replaces (or appends) section {@code id} of the report at {@code file} with {@code body}. */
  static void writeSection(Path file, String id, String body) throws IOException {
    String begin = "<!-- bench:" + id + ":begin -->";
    String end = "<!-- bench:" + id + ":end -->";
    String section = begin + "\n" + body.strip() + "\n" + end;
    String doc = Files.exists(file) ? Files.readString(file) : HEADER;
    Matcher m = Pattern.compile(Pattern.quote(begin) + ".*?" + Pattern.quote(end), Pattern.DOTALL).matcher(doc);
    doc = m.find() ? doc.substring(0, m.start()) + section + doc.substring(m.end())
        : doc.stripTrailing() + "\n\n" + section + "\n";
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, doc.endsWith("\n") ? doc : doc + "\n");
  }
}
