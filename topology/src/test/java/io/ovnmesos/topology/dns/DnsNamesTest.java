package io.ovnmesos.topology.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DnsNamesTest {

  @Test
  void aMarathonAppsInstancesShareOneNameUnderTheFrameworkAndDomain() {
    // Marathon names every task of /coke/web "web.coke".
    assertThat(DnsNames.task("web.coke", "marathon", "mesos")).contains("web.coke.marathon.mesos");
  }

  @Test
  void namesAreMadeIntoHostNameLabelsAsMesosDnsMakesThem() {
    assertThat(DnsNames.task("My_App", "Marathon User", "mesos")).contains("my-app.marathon-user.mesos");
    assertThat(DnsNames.task("--web--", "m", "mesos")).as("no '-' at either end").contains("web.m.mesos");
    assertThat(DnsNames.task("a..b.", "m", "mesos")).as("empty parts dropped").contains("a.b.m.mesos");
    assertThat(DnsNames.task("x".repeat(70), "m", "mesos")).contains("x".repeat(63) + ".m.mesos");
    assertThat(DnsNames.task("ünï", "m", "mesos")).as("non-ASCII letters become '-', then trimmed").contains("n.m.mesos");
  }

  @Test
  void aNameThatLeavesNothingOrGrowsTooLongGivesNoName() {
    assertThat(DnsNames.task("___", "marathon", "mesos")).isEmpty();
    assertThat(DnsNames.task("web", "...", "mesos")).isEmpty();
    String long63 = "a".repeat(63);
    assertThat(DnsNames.task(long63 + "." + long63 + "." + long63, long63, "mesos")).isEmpty();
  }

  @Test
  void theDomainMustBeLabelsJoinedByDots() {
    assertThat(DnsNames.checkDomain("--dns-domain", "Mesos")).isEqualTo("mesos");
    assertThat(DnsNames.checkDomain("--dns-domain", "dc1.example.org")).isEqualTo("dc1.example.org");
    for (String bad : new String[] {"", ".mesos", "mesos.", "a..b", "-x", "x y", "a_b"}) {
      assertThatThrownBy(() -> DnsNames.checkDomain("--dns-domain", bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--dns-domain").hasMessageContaining(bad);
    }
  }

  @Test
  void reverseNamesAreWhatAResolverAsksForAPtr() {
    assertThat(DnsNames.reverse("10.10.0.5")).isEqualTo("5.0.10.10.in-addr.arpa");
    assertThat(DnsNames.reverse("fd00::1")).isEqualTo("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa");
  }
}
