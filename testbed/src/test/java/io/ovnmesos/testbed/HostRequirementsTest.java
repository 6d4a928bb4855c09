package io.ovnmesos.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovnmesos.testbed.junit.HostRequirements;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class HostRequirementsTest {

  @Test
  void nothingMissingRunsTheTest() {
    assertThat(HostRequirements.evaluate(List.of()).isDisabled()).isFalse();
  }

  @Test
  void aMissingPieceSkipsOutsideCiAndFailsUnderCi() {
    List<String> missing = List.of("ovn-northd (Debian package ovn-central)", "root (network namespaces and veths need uid 0)");
    if (Prerequisites.inCi()) {
      assertThatThrownBy(() -> HostRequirements.evaluate(missing))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessageContaining("CI must provide")
          .hasMessageContaining("ovn-northd (Debian package ovn-central)");
    } else {
      ConditionEvaluationResult r = HostRequirements.evaluate(missing);
      assertThat(r.isDisabled()).isTrue();
      assertThat(r.getReason()).hasValueSatisfying(reason -> assertThat(reason)
          .startsWith("skipped: this machine lacks")
          .contains("ovn-northd (Debian package ovn-central)")
          .contains("root"));
    }
  }

  @Test
  void aMissingBinaryIsNamedWithItsPackage() {
    assertThat(Prerequisites.find("sh")).isPresent();
    assertThat(Prerequisites.find("no-such-binary-ovnmesos")).isEmpty();
  }
}
