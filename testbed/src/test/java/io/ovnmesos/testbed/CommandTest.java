package io.ovnmesos.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandTest {

  @Test
  void argumentsReachTheProgramVerbatimWithoutAShell() {
    CommandResult r = Command.of("printf", "%s|", "$(echo pwned)", "a b", ";rm -rf /").check();

    assertThat(r.stdout()).isEqualTo("$(echo pwned)|a b|;rm -rf /|");
  }

  @Test
  void aFailureCarriesTheArgvAndBothStreams() {
    assertThatThrownBy(() -> Command.of("sh", "-c", "echo out; echo err >&2; exit 3").check())
        .isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("exited 3")
        .hasMessageContaining("stdout: out")
        .hasMessageContaining("stderr: err");
  }

  @Test
  void aCommandPastItsLimitIsKilled() {
    CommandResult r = Command.of("sleep", "30").timeout(Duration.ofMillis(200)).run();

    assertThat(r.exitCode()).isEqualTo(Command.TIMED_OUT);
    assertThat(r.stderr()).contains("killed after 200 ms");
  }

  @Test
  void aMissingProgramIsReportedNotThrown() {
    CommandResult r = Command.of("no-such-program-ovnmesos").run();

    assertThat(r.exitCode()).isEqualTo(127);
    assertThat(r.stderr()).contains("cannot start no-such-program-ovnmesos");
  }

  @Test
  void standardInputIsDelivered() {
    assertThat(Command.of("cat").stdin("{\"a\":1}").check().stdout()).isEqualTo("{\"a\":1}");
  }
}
