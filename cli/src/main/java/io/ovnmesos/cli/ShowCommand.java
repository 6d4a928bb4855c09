package io.ovnmesos.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code ovn-mesos show}: the whole managed topology as a tree. */
@Command(name = "show", description = "Show every tenant with its router, networks and their task ports, and gateway.")
final class ShowCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  OvnMesos root;

  @Override
  public Integer call() {
    var view = root.withTopology(t -> t.view());
    root.output().print(TreeText.of(view).render(), view);
    return 0;
  }
}
