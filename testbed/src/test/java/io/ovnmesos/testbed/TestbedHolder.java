package io.ovnmesos.testbed;

import java.io.IOException;

/** Starts a testbed with a container in a JVM of its own, prints what it made, and waits to be killed. */
public final class TestbedHolder {
  private TestbedHolder() {}

  public static void main(String[] args) throws IOException {
    OvnTestbed ovn = OvnTestbed.builder().start();
    ovn.nbctl("ls-add", "sw0", "--", "lsp-add", "sw0", "p1");
    ovn.chassis().addContainer("p1", "0a:00:00:00:00:01", "10.0.0.1/24");
    System.out.println("DIR " + ovn.dir());
    System.out.println("PREFIX " + ovn.namespacePrefix());
    System.out.println("PIDS " + ovn.pids().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow());
    System.out.flush();
    System.in.read();
  }
}
