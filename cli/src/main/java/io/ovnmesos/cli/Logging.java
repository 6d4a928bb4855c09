package io.ovnmesos.cli;

/** Points Logback at the commands' own configuration (warnings only, on stderr) unless one is given. */
final class Logging {
  private Logging() {}

  /** Must run before the first logger is made. */
  static void configure() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "ovn-mesos-logback.xml");
    }
  }
}
