package io.ovnmesos.testbed.junit;

import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Prerequisites;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** Runs {@link OvnTest} tests: checks prerequisites, starts the testbed, keeps logs, tears down. */
public final class OvnTestbedExtension implements ExecutionCondition, ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(OvnTestbedExtension.class);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<OvnTest> config = config(context);
    if (config.isEmpty()) {
      return ConditionEvaluationResult.enabled("no @OvnTest");
    }
    return HostRequirements.evaluate(Prerequisites.missing(config.get().datapath()));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == OvnTestbed.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    OvnTest cfg = config(context).orElseThrow(() -> new IllegalStateException(
        "an OvnTestbed parameter needs @OvnTest on the test or its class"));
    return context.getStore(NS).getOrComputeIfAbsent("testbed", k -> {
      OvnTestbed.Builder b = OvnTestbed.builder()
          .datapath(cfg.datapath())
          .nbClusterSize(cfg.nbClusterSize())
          .chassis(cfg.chassis());
      if (cfg.tls()) {
        b.tls();
      }
      return b.start();
    }, OvnTestbed.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    OvnTestbed tb = context.getStore(NS).remove("testbed", OvnTestbed.class);
    if (tb == null) {
      return;
    }
    try {
      if (context.getExecutionException().isPresent()) {
        Path target = Path.of("target", "testbed-logs", context.getRequiredTestClass().getSimpleName(),
            context.getRequiredTestMethod().getName());
        tb.saveLogs(target);
      }
    } finally {
      tb.close();
    }
  }

  private static Optional<OvnTest> config(ExtensionContext context) {
    for (Optional<? extends AnnotatedElement> e : List.of(context.getElement(),
        context.getTestClass().map(c -> (AnnotatedElement) c))) {
      Optional<OvnTest> found = e.flatMap(el -> AnnotationSupport.findAnnotation(el, OvnTest.class));
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

}
