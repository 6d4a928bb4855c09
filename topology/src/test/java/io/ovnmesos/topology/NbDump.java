package io.ovnmesos.topology;

import io.ovnmesos.testbed.Command;
import io.ovnmesos.testbed.OvnTestbed;
import java.util.ArrayList;
import java.util.List;

/** The whole Northbound content as ovsdb-client prints it, without NB_Global (whose counters northd bumps). */
final class NbDump {
  private NbDump() {}

  static String of(OvnTestbed ovn) {
    ovn.nbctl("--wait=sb", "sync");
    String dump = Command.of("ovsdb-client", "dump", ovn.nbRemote(), "OVN_Northbound").check().stdout();
    List<String> kept = new ArrayList<>();
    boolean skip = false;
    for (String line : dump.split("\n")) {
      if (line.endsWith(" table")) {
        skip = line.startsWith("NB_Global");
      }
      if (!skip) {
        kept.add(line);
      }
    }
    return String.join("\n", kept);
  }
}
