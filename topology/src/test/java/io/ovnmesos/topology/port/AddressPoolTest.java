package io.ovnmesos.topology.port;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddressString;
import io.ovnmesos.topology.network.InterfaceAddress;
import io.ovnmesos.topology.network.Network;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressPoolTest {
  private static Network net(List<String> subnets, List<String> gateways, List<String> exclude) {
    return new Network("coke1", "coke", subnets, gateways, exclude, Optional.empty(), List.of(), "rtos-coke-coke1");
  }

  @Test
  void skipsGatewayExcludedUsedAndInFlightAddresses() {
    AddressPool pool = new AddressPool(net(List.of("192.168.1.0/29"), List.of("192.168.1.1"), List.of("192.168.1.3..192.168.1.4")),
        List.of("0a:58:c0:a8:01:02 192.168.1.2", "dynamic", "0a:58:c0:a8:01:05 192.168.1.5"));
    var a = pool.next("x").orElseThrow();
    assertThat(a.ips()).containsExactly("192.168.1.6");
    assertThat(a.mac()).isEqualTo("0a:58:c0:a8:01:06");
    assertThat(pool.next("y")).as("192.168.1.7 is the broadcast address").isEmpty();
  }

  @Test
  void addressesAnAgentsOtherTasksHoldAreSkippedAndStayFreeForOtherAgents() {
    AddressPool pool = new AddressPool(net(List.of("10.0.0.0/24"), List.of("10.0.0.1"), List.of()), List.of());
    // Held on this agent by another tenant's tasks: 10.0.0.2 and 10.0.0.3.
    java.util.Set<Long> held = java.util.Set.of(AddressPool.parseIpv4("10.0.0.2"), AddressPool.parseIpv4("10.0.0.3"));
    assertThat(pool.next("on-agent", held).orElseThrow().ips()).containsExactly("10.0.0.4");
    assertThat(pool.next("elsewhere").orElseThrow().ips()).as("skipped, not taken").containsExactly("10.0.0.2");
    assertThat(pool.next("elsewhere-2").orElseThrow().ips()).containsExactly("10.0.0.3");
    assertThat(pool.next("next").orElseThrow().ips()).containsExactly("10.0.0.5");
    AddressPool full = new AddressPool(net(List.of("10.0.0.0/30"), List.of("10.0.0.1"), List.of()), List.of());
    assertThat(full.next("on-agent", java.util.Set.of(AddressPool.parseIpv4("10.0.0.2")))).as("only an avoided one is left")
        .isEmpty();
    assertThat(full.next("elsewhere").orElseThrow().ips()).containsExactly("10.0.0.2");
  }

  @Test
  void dualStackGetsAnEui64AddressFromTheMac() {
    AddressPool pool = new AddressPool(net(List.of("10.0.0.0/24", "fd00::/64"), List.of("10.0.0.1", "fd00::1"), List.of()),
        List.of());
    var a = pool.next("x").orElseThrow();
    assertThat(a.ips()).containsExactly("10.0.0.2", "fd00::858:aff:fe00:2");
  }

  @Test
  void aFixedAddressIsTakenOnceAndOnlyInside() {
    AddressPool pool = new AddressPool(net(List.of("10.0.0.0/24"), List.of("10.0.0.1"), List.of()), List.of());
    assertThat(pool.take(new IPAddressString("10.0.0.9").getAddress(), Optional.empty())).isPresent();
    assertThat(pool.take(new IPAddressString("10.0.0.9").getAddress(), Optional.empty())).isEmpty();
    assertThat(pool.take(new IPAddressString("10.0.0.1").getAddress(), Optional.empty())).isEmpty();
    assertThat(pool.take(new IPAddressString("10.0.1.9").getAddress(), Optional.empty())).isEmpty();
  }

  @Test
  void placesEachAddressOnItsSubnetAsTheNetworkWould() {
    Network n = net(List.of("10.0.0.0/24", "fd00::/64"), List.of("10.0.0.1", "fd00::1"), List.of());
    AddressPool pool = new AddressPool(n, List.of());
    var a = pool.next("x").orElseThrow();
    assertThat(pool.placed(a)).isEqualTo(n.interfaceAddresses(a.ips())).extracting(InterfaceAddress::address)
        .containsExactly("10.0.0.2/24", "fd00::858:aff:fe00:2/64");
    var fixed = pool.take(new IPAddressString("10.0.0.200").getAddress(), Optional.empty()).orElseThrow();
    assertThat(pool.placed(fixed)).isEqualTo(n.interfaceAddresses(fixed.ips()));
    assertThat(fixed.mac()).isEqualTo("0a:58:0a:00:00:c8");
  }

  @Test
  void parsesOnlyDottedQuads() {
    assertThat(AddressPool.parseIpv4("10.0.0.2")).isEqualTo(0x0a000002L);
    assertThat(AddressPool.parseIpv4("0a:58:0a:00:00:02")).isEqualTo(-1);
    assertThat(AddressPool.parseIpv4("dynamic")).isEqualTo(-1);
    assertThat(AddressPool.parseIpv4("10.0.0.256")).isEqualTo(-1);
    assertThat(AddressPool.parseIpv4("10.0.0")).isEqualTo(-1);
  }
}
