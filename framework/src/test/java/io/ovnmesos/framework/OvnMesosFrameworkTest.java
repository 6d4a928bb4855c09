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

    Run halfTls = run("--nb", "tcp:127.0.0.1:1", "--grpc-tls-cert", "/etc/hostname");
    assertThat(halfTls.exit()).isEqualTo(2);
    assertThat(halfTls.err()).contains("--grpc-tls-cert/--grpc-tls-key/--grpc-tls-ca: a certificate and its private key go together");
  }

  @Test
  void theMastersSecretIsNeverInTheSettingsAsPrinted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path secret = java.nio.file.Files.writeString(dir.resolve("secret"), "hunter2\n");
    OvnMesosFramework f = new OvnMesosFramework();
    new CommandLine(f).parseArgs("--nb", "tcp:127.0.0.1:1", "--principal", "ovn-mesos", "--secret-file", secret.toString());
    Framework.Settings settings = f.settings();
    assertThat(settings.masterCredentials()).contains("ovn-mesos:hunter2");
    assertThat(settings.toString()).contains("ovn-mesos:***").doesNotContain("hunter2");
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
