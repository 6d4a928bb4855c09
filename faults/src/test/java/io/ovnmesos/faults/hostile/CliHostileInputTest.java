package io.ovnmesos.faults.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import io.ovnmesos.cli.OvnMesos;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The {@code ovn-mesos} command line: every case of {@code hostile/cli.json}, run in-process against a
 * real Northbound that holds tenant coke with network coke1.
 */
@OvnTest(chassis = 0)
class CliHostileInputTest {
  private static final List<String> TABLES = List.of("Logical_Switch", "Logical_Switch_Port", "Logical_Router",
      "Logical_Router_Port", "NAT", "ACL", "Address_Set", "Port_Group", "DHCP_Options", "Load_Balancer");

  @Test
  void everyCommandLineExitsWithItsCodeNamesTheFaultAndChangesNothing(OvnTestbed ovn) {
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(run(ovn, List.of("tenant", "create", "coke")).exit()).isZero();
    soft.assertThat(run(ovn, List.of("network", "create", "coke1", "--tenant", "coke", "--subnet", "192.168.1.0/24")).exit())
        .isZero();
    String before = dump(ovn);
    List<JsonNode> cases = Corpus.cases("cli");
    for (JsonNode c : cases) {
      String name = c.get("name").asText();
      List<String> args = new ArrayList<>();
      c.get("args").forEach(a -> args.add(a.asText()));
      Run r = c.path("ownRemote").asBoolean() ? execute(args) : run(ovn, args);
      soft.assertThat(r.exit()).as(name + ": exit; stderr " + r.err()).isEqualTo(c.get("exit").asInt());
      soft.assertThat(r.err().toLowerCase(Locale.ROOT)).as(name + ": stderr").contains(c.get("msg").asText().toLowerCase(Locale.ROOT));
      soft.assertThat(r.err()).as(name + ": no stack trace").doesNotContain("\tat ");
      soft.assertThat(r.err()).as(name + ": no control characters echoed").doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f]");
    }
    soft.assertThat(dump(ovn)).as("the Northbound after the corpus").isEqualTo(before);
    System.out.printf("ovn-mesos hostile input: %d cases%n", cases.size());
    soft.assertAll();
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(OvnTestbed ovn, List<String> args) {
    List<String> all = new ArrayList<>(List.of("--nb", ovn.nbRemote()));
    all.addAll(args);
    return execute(all);
  }

  private static Run execute(List<String> args) {
    CommandLine cl = OvnMesos.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private static String dump(OvnTestbed ovn) {
    StringBuilder out = new StringBuilder();
    for (String table : TABLES) {
      out.append(ovn.nbctl("--bare", "--columns=_uuid,external_ids", "list", table).out()).append('\n');
    }
    return out.toString();
  }
}
