package io.ovnmesos.testbed.junit;

import io.ovnmesos.testbed.Prerequisites;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Marks a test that makes network namespaces and veths itself (root, iproute2), without OVN. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsNamespaces.Condition.class)
public @interface NeedsNamespaces {
  /** Skips (or, under CI, fails) the test where namespaces cannot be made. */
  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return HostRequirements.evaluate(Prerequisites.missingForNamespaces());
    }
  }
}
