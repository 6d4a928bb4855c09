package io.ovnmesos.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.junit.NeedsNamespaces;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

@NeedsNamespaces
class DeadJvmTest {

  static boolean ovnPresent() {
    return TeardownTest.ovnPresent();
  }

  @Test
  @EnabledIf("ovnPresent")
  void daemonsDieWithAKilledJvmAndTheNextTestbedSweepsTheRest() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        TestbedHolder.class.getName()).redirectErrorStream(true).start();
    Map<String, String> made = new HashMap<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while (made.size() < 3 && (line = out.readLine()) != null) {
        String[] kv = line.split(" ", 2);
        if (kv.length == 2 && List.of("DIR", "PREFIX", "PIDS").contains(kv[0])) {
          made.put(kv[0], kv[1]);
        }
      }
    }
    assertThat(made).as("holder output").containsKeys("DIR", "PREFIX", "PIDS");
    List<Long> pids = Arrays.stream(made.get("PIDS").split(",")).map(Long::parseLong).toList();
    Path dir = Path.of(made.get("DIR"));

    holder.destroyForcibly().waitFor();

    Waiter.until("every daemon of the killed JVM to exit", Duration.ofSeconds(20), () -> pids.stream()
        .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    assertThat(Netns.list()).anyMatch(n -> n.startsWith(made.get("PREFIX")));
    OvnTestbed.sweepStale(dir.getParent());
    assertThat(Netns.list()).noneMatch(n -> n.startsWith(made.get("PREFIX")));
    assertThat(dir).doesNotExist();
  }
}
