package io.ovnmesos.testbed.junit;

import io.ovnmesos.testbed.Prerequisites;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Turns a list of missing prerequisites into "run", "skip, naming them", or (under CI) a failure. */
public final class HostRequirements {
  private HostRequirements() {}

  /**
   * Enabled when nothing is missing; otherwise disabled with the list, except under CI, where the
   * test fails: CI installs everything, so a missing piece there is a broken CI, not a reason to skip.
   */
  public static ConditionEvaluationResult evaluate(List<String> missing) {
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("host has everything this test needs");
    }
    String what = "this machine lacks " + String.join(", ", missing);
    if (Prerequisites.inCi()) {
      throw new ExtensionConfigurationException("CI must provide what this test needs, but " + what);
    }
    return ConditionEvaluationResult.disabled("skipped: " + what);
  }
}
