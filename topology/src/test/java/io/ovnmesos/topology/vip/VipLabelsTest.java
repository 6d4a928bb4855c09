package io.ovnmesos.topology.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.topology.vip.VipLabels.Refused;
import io.ovnmesos.topology.vip.VipLabels.TaskPortInfo;
import io.ovnmesos.topology.vip.VipLabels.Vip;
import io.ovnmesos.topology.vip.VipLabels.VipKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VipLabelsTest {

  @Test
  void namedAndFixedVipsAsL4lbReadsThem() {
    List<VipLabels.Reading> r = VipLabels.of(List.of(
        new TaskPortInfo(8080, "tcp", Map.of("VIP_0", "/web:80", "network-scope", "container")),
        new TaskPortInfo(5353, "udp", Map.of("VIP_1", "10.10.255.10:53"))));
    assertThat(r).containsExactly(
        new Vip("VIP_0", new VipKey(Optional.of("web"), Optional.empty(), 80, "tcp"), 8080),
        new Vip("VIP_1", new VipKey(Optional.empty(), Optional.of("10.10.255.10"), 53, "udp"), 5353));
    assertThat(((Vip) r.get(0)).key().text()).isEqualTo("/web:80/tcp");
    assertThat(((Vip) r.get(1)).key().text()).isEqualTo("10.10.255.10:53/udp");
  }

  @Test
  void aPortWithoutVipLabelsAsksForNothing() {
    assertThat(VipLabels.of(List.of(new TaskPortInfo(80, "tcp", Map.of("VIP", "/x:1", "vip_0", "/x:1", "VIP_a", "/x:1")))))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no port | /web | expected \"/name:port\"",
      "empty name | /:80 | not made of DNS labels",
      "upper case | /Web:80 | not made of DNS labels",
      "a dot | /web.app:80 | not made of DNS labels",
      "port zero | /web:0 | not a number from 1 to 65535",
      "port too big | /web:65536 | not a number from 1 to 65535",
      "port not a number | /web:http | not a number from 1 to 65535",
      "an IPv6 address | fd00::1:80 | not an IPv4 address",
      "a prefix | 10.0.0.0/24:80 | not an IPv4 address",
      "a host name | example.com:80 | not an IPv4 address",
      "a control character | /web\u0001:80 | not made of DNS labels"})
  void malformedLabelsAreRefusedWithAReason(String what, String value, String reason) {
    List<VipLabels.Reading> r = VipLabels.of(List.of(new TaskPortInfo(8080, "tcp", Map.of("VIP_0", value,
        "VIP_1", "/ok:80"))));
    assertThat(r).hasSize(2);
    assertThat(r.get(0)).isInstanceOfSatisfying(Refused.class, x -> {
      assertThat(x.reason()).contains(reason);
      assertThat(x.message()).startsWith("label VIP_0=").doesNotContain("\u0001");
    });
    assertThat(r.get(1)).as("the other label stands").isInstanceOf(Vip.class);
  }

  @Test
  void theTaskPortMustBeOneAVipCanBalance() {
    assertThat(VipLabels.of(List.of(new TaskPortInfo(80, "sctp", Map.of("VIP_0", "/web:80")))).get(0))
        .isInstanceOfSatisfying(Refused.class, x -> assertThat(x.reason()).contains("tcp or udp"));
    assertThat(VipLabels.of(List.of(new TaskPortInfo(0, "tcp", Map.of("VIP_0", "/web:80")))).get(0))
        .isInstanceOfSatisfying(Refused.class, x -> assertThat(x.reason()).contains("not a port"));
  }

  @Test
  void aNameMayHaveGroups() {
    assertThat(VipLabels.of(List.of(new TaskPortInfo(80, "tcp", Map.of("VIP_0", "/shop/web:80")))).get(0))
        .isEqualTo(new Vip("VIP_0", new VipKey(Optional.of("shop/web"), Optional.empty(), 80, "tcp"), 80));
  }
}
