package io.ovnmesos.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.Datapath;
import io.ovnmesos.testbed.Netns;
import io.ovnmesos.testbed.Prerequisites;
import io.ovnmesos.testbed.junit.HostRequirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Keeps the README's first command true: the whole demo passes, and leaves no namespace behind. */
@ExtendWith(DemoTest.NeedsOvn.class)
class DemoTest {

  @Test
  void theWholeStoryRunsAndCleansUp() {
    var before = Netns.list();

    assertThat(Demo.runOnce()).isZero();

    assertThat(Netns.list()).containsExactlyInAnyOrderElementsOf(before);
  }

  static final class NeedsOvn implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return HostRequirements.evaluate(Prerequisites.missing(Datapath.NETDEV));
    }
  }
}
