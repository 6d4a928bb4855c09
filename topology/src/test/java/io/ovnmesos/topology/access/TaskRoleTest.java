package io.ovnmesos.topology.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one role rule, as the framework and the agent both apply it. */
class TaskRoleTest {
  private static final TaskRole.Resource CPUS_WEB = new TaskRole.Resource("web", List.of());
  private static final TaskRole.Resource RESERVED = new TaskRole.Resource("", List.of("eng", "eng/web"));
  private static final TaskRole.Resource PLAIN = new TaskRole.Resource("", List.of());

  @Test
  void theAllocationRoleWinsThenTheInnermostReservationThenTheFrameworksOnlyRole() {
    assertThat(TaskRole.of(List.of(RESERVED, CPUS_WEB), List.of("a", "b"), "")).isEqualTo("web");
    assertThat(TaskRole.of(List.of(PLAIN, RESERVED), List.of("a"), "")).isEqualTo("eng/web");
    assertThat(TaskRole.of(List.of(PLAIN), List.of("a"), "old")).isEqualTo("a");
    assertThat(TaskRole.of(List.of(PLAIN), List.of("a", "b"), "old")).as("pre-multi-role framework").isEqualTo("old");
    assertThat(TaskRole.of(List.of(), List.of(), "")).isEqualTo("*");
  }
}
