package io.ovnmesos.framework.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DesiredNamesTest {
  private static final String WEB = "web.coke.marathon.mesos";

  @Test
  void aNameStandsForThePortsOfItsServingTasksOnly() {
    DesiredNames names = new DesiredNames();
    assertThat(names.track("fw/web-1", WEB, List.of("p1"), false, false)).as("staging: not serving").isEmpty();
    assertThat(names.serves("fw/web-1", true)).contains(WEB);
    assertThat(names.track("fw/web-2", WEB, List.of("p2"), false, true)).containsExactly(WEB);
    assertThat(names.ports(WEB)).containsExactly("p1", "p2");

    assertThat(names.serves("fw/web-1", false)).as("killing: drained").contains(WEB);
    assertThat(names.ports(WEB)).containsExactly("p2");
    assertThat(names.serves("fw/web-1", false)).as("no change, nothing to write").isEmpty();
    assertThat(names.forget("fw/web-1")).as("it no longer served").isEmpty();
    assertThat(names.forget("fw/web-2")).contains(WEB);
    assertThat(names.ports(WEB)).isEmpty();
    assertThat(names.all()).isEmpty();
  }

  @Test
  void aTaskThatChangesItsPortsChangesItsName() {
    DesiredNames names = new DesiredNames();
    names.track("fw/a", WEB, List.of("p1"), false, true);
    assertThat(names.track("fw/a", WEB, List.of("p1"), false, true)).as("the same: nothing to write").isEmpty();
    assertThat(names.track("fw/a", WEB, List.of("p1", "p9"), false, true)).containsExactly(WEB);
    assertThat(names.track("fw/a", "other.m.mesos", List.of("p1"), false, true)).containsExactly("other.m.mesos", WEB);
    assertThat(names.all()).isEqualTo(Map.of("other.m.mesos", Set.of("p1")));
  }

  @Test
  void whetherATaskHasAHealthCheckIsKept() {
    DesiredNames names = new DesiredNames();
    names.track("fw/a", WEB, List.of("p1"), true, false);
    assertThat(names.healthChecked("fw/a")).isTrue();
    assertThat(names.healthChecked("fw/unknown")).isFalse();
    names.serves("fw/a", true);
    assertThat(names.healthChecked("fw/a")).isTrue();
  }

  @Test
  void aTaskWhoseFrameworkIsNotKnownYetIsNamedOnceItIs() {
    DesiredNames names = new DesiredNames();
    assertThat(names.track("fw/web-1", null, List.of("p1"), false, true)).as("serving, but no name yet").isEmpty();
    assertThat(names.all()).isEmpty();
    assertThat(names.rename("fw/web-1", WEB)).containsExactly(WEB);
    assertThat(names.ports(WEB)).containsExactly("p1");
    assertThat(names.rename("fw/web-1", WEB)).as("the same name again").isEmpty();
    assertThat(names.rename("fw/unknown", WEB)).isEmpty();
  }
}
