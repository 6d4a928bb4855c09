package io.ovnmesos.topology.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TenantAccessTest {
  @Test
  void rolesAndPrincipalsAreGrantedTenants() {
    TenantAccess a = TenantAccess.parse(List.of("role:web=coke,pepsi", "principal:marathon=coke", "role:ops=*"));
    assertThat(a.allows("web", "", "pepsi")).isTrue();
    assertThat(a.allows("batch", "marathon", "coke")).isTrue();
    assertThat(a.allows("batch", "marathon", "pepsi")).isFalse();
    assertThat(a.allows("ops", "", "anything")).isTrue();
    assertThat(a.isOpen()).isFalse();
  }

  @Test
  void noRulesAllowEverything() {
    assertThat(TenantAccess.parse(List.of()).allows("any", "", "coke")).isTrue();
  }

  @Test
  void aMalformedRuleNamesItselfAndTheForm() {
    assertThatThrownBy(() -> TenantAccess.parse(List.of("web=coke"))).hasMessageContaining("\"web=coke\"")
        .hasMessageContaining("role:<role>=<tenant>");
    assertThatThrownBy(() -> TenantAccess.parse(List.of("user:x=coke"))).hasMessageContaining("neither role nor principal");
    assertThatThrownBy(() -> TenantAccess.parse(List.of("role:web="))).hasMessageContaining("names no tenant");
  }
}
