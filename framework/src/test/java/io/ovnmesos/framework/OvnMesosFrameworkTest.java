package io.ovnmesos.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line: bad flag values are usage errors that name the flag, before anything starts. */
class OvnMesosFrameworkTest {
  private record Run(int exit, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new OvnMesosFramework());
    cl.setErr(new PrintWriter(err));
    return new Run(cl.execute(args), err.toString());
  }

  @Test
  void badValuesAreUsageErrorsNamingTheFlag() {
    Run allow = run("--nb", "tcp:127.0.0.1:1", "--allow", "web=coke");
    assertThat(allow.exit()).isEqualTo(2);
    assertThat(allow.err()).contains("--allow \"web=coke\"").contains("role:<role>=<tenant>");

    Run master = run("--nb", "tcp:127.0.0.1:1", "--master", "10.0.0.1");
    assertThat(master.exit()).isEqualTo(2);
    assertThat(master.err()).contains("--master").contains("host:port");

    Run grpc = run("--nb", "tcp:127.0.0.1:1", "--grpc-address", "nowhere");
    assertThat(grpc.exit()).isEqualTo(2);
    assertThat(grpc.err()).contains("--grpc-address");
  }

  @Test
  void helpListsEveryFlagWithItsEnvironmentVariable() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new OvnMesosFramework());
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("--help")).isZero();
    assertThat(out.toString()).contains("MESOS_MASTER").contains("OVN_NB_DB").contains("OVN_MESOS_ZK")
        .contains("OVN_MESOS_ALLOW").contains("OVN_MESOS_GRPC_ADDRESS");
  }
}
