package io.ovnmesos.testbed.junit;

import io.ovnmesos.testbed.Datapath;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that needs a real OVN stack; a parameter of type {@link io.ovnmesos.testbed.OvnTestbed}
 * receives a started one, closed after the test (its logs are kept under {@code target/testbed-logs}
 * if the test fails).
 *
 * <p>Outside CI, a machine that lacks OVN, root or network namespaces skips the test and says what it
 * lacks. Under CI (environment {@code CI} set) the same test fails instead: CI must provide them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(OvnTestbedExtension.class)
@Tag("ovn")
public @interface OvnTest {
  /** The datapath of every chassis. */
  Datapath datapath() default Datapath.NETDEV;

  /** 1 for a standalone NB, 3 or 5 for a RAFT cluster. */
  int nbClusterSize() default 1;

  /** How many chassis. */
  int chassis() default 1;

  /** Makes a PKI and a TLS listener on the NB. */
  boolean tls() default false;
}
