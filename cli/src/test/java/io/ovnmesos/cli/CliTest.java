package io.ovnmesos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ovnmesos.testbed.Command;
import io.ovnmesos.testbed.CommandResult;
import io.ovnmesos.testbed.Datapath;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.junit.OvnTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@OvnTest(datapath = Datapath.DUMMY, chassis = 1)
class CliTest {

  /** What one in-process run printed and returned. */
  record Run(int exit, String out, String err) {}

  static Run run(CommandLine cl, Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    Object cmd = cl.getCommand();
    NbConnection conn = cmd instanceof OvnMesos m ? m.connection : ((OvnMesosInit) cmd).connection;
    conn.env = env;
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Run ovnMesos(OvnTestbed ovn, String... args) {
    List<String> all = new ArrayList<>(List.of("--nb", ovn.nbRemote()));
    all.addAll(List.of(args));
    return run(OvnMesos.commandLine(), Map.of(), all.toArray(String[]::new));
  }

  @Test
  void aTenantNetworkAndGatewayFromTheCommandLineAndTheTreeThatShowsThem(OvnTestbed ovn) throws Exception {
    assertThat(ovnMesos(ovn, "tenant", "create", "coke").out()).isEqualTo("tenant coke created\n");
    assertThat(ovnMesos(ovn, "network", "create", "coke1", "--tenant", "coke", "--subnet", "192.168.1.0/24",
        "--mtu", "1400", "--dns", "192.168.1.53").exit()).isZero();
    assertThat(ovnMesos(ovn, "gateway", "create", "--tenant", "coke", "--chassis", "chassis-1", "--physical-ip",
        "10.10.1.12/24", "--default-gw", "10.10.1.1").exit()).isZero();
    ovn.nbctl("lsp-add", "coke1", "web-1", "--", "lsp-set-addresses", "web-1", "0a:00:00:00:01:02 192.168.1.2",
        "--", "set", "Logical_Switch_Port", "web-1", "external_ids:ovn-mesos/task-id=web.1");

    Run again = ovnMesos(ovn, "network", "create", "coke1", "--tenant", "coke", "--subnet", "192.168.1.0/24",
        "--mtu", "1400", "--dns", "192.168.1.53");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("network coke1 exists with these settings; nothing changed");

    Run show = ovnMesos(ovn, "show");
    assertThat(show.exit()).isZero();
    assertThat(show.out()).contains("tenant coke  (router coke, join 100.64.0.0/24)")
        .contains("├── network coke1  192.168.1.0/24  gateway 192.168.1.1  mtu 1400  dns 192.168.1.53")
        .contains("port web-1  0a:00:00:00:01:02 192.168.1.2  down  task web.1")
        .contains("└── gateway router GR_coke_chassis-1 on chassis-1:100  10.10.1.12/24 on physnet via 10.10.1.1")
        .contains("nat snat 192.168.1.0/24 -> 10.10.1.12");

    JsonNode json = Output.JSON.readTree(ovnMesos(ovn, "--json", "show").out());
    assertThat(json.at("/tenants/0/networks/0/ports/0/task/task-id").asText()).isEqualTo("web.1");
    assertThat(json.at("/tenants/0/gateway/physicalIp").asText()).isEqualTo("10.10.1.12/24");
    assertThat(Output.JSON.readTree(ovnMesos(ovn, "network", "list", "--json").out()).get(0).get("name").asText()).isEqualTo("coke1");

    Run refused = ovnMesos(ovn, "network", "delete", "coke1");
    assertThat(refused.exit()).isEqualTo(OvnMesos.CONFLICT);
    assertThat(refused.err()).contains("ovn-mesos: network coke1 still has 1 task port(s) (web-1); stop those tasks first, or use --force");
    assertThat(ovnMesos(ovn, "tenant", "delete", "coke", "--force").out()).isEqualTo("tenant coke deleted\n");
    assertThat(ovnMesos(ovn, "tenant", "delete", "coke", "--if-exists").out()).isEqualTo("tenant coke does not exist; nothing changed\n");
    assertThat(ovnMesos(ovn, "show").out()).startsWith("no tenants");
  }

  @Test
  void errorsNameTheFieldAndExitWithACodeForTheirKind(OvnTestbed ovn) {
    ovnMesos(ovn, "tenant", "create", "coke");
    Run bad = ovnMesos(ovn, "network", "create", "n1", "--tenant", "coke", "--subnet", "192.168.1.7/24");
    assertThat(bad.exit()).isEqualTo(OvnMesos.INVALID);
    assertThat(bad.err()).isEqualTo("ovn-mesos: --subnet: 192.168.1.7/24 is not a network address; did you mean 192.168.1.0/24?\n");
    Run missing = ovnMesos(ovn, "network", "create", "n1", "--tenant", "fanta", "--subnet", "10.0.0.0/24");
    assertThat(missing.exit()).isEqualTo(OvnMesos.NOT_FOUND);
    assertThat(missing.err()).contains("tenant fanta does not exist");
    assertThat(ovnMesos(ovn, "network", "create", "n1", "--tenant", "coke").exit()).isEqualTo(OvnMesos.INVALID);
    assertThat(ovnMesos(ovn, "tenant", "create", "x;$(reboot)").err()).contains("is not a valid name");
    Run noNb = run(OvnMesos.commandLine(), Map.of(), "--local-ovs", "unix:/nonexistent.sock", "--timeout", "1", "tenant", "list");
    assertThat(noNb.exit()).isEqualTo(OvnMesos.INVALID);
    assertThat(noNb.err()).contains("--nb: no Northbound database given: use --nb, set OVN_NB_DB, or set external_ids:ovn-nb");
    Run badRemote = run(OvnMesos.commandLine(), Map.of(), "--nb", "http://nope", "tenant", "list");
    assertThat(badRemote.exit()).isEqualTo(OvnMesos.INVALID);
    assertThat(badRemote.err()).contains("--nb: remote \"http://nope\": expected tcp:HOST:PORT");
    Run unreachable = run(OvnMesos.commandLine(), Map.of(), "--nb", "tcp:127.0.0.1:1", "--timeout", "1", "tenant", "list");
    assertThat(unreachable.exit()).isEqualTo(OvnMesos.FAILED);
    assertThat(unreachable.err()).contains("no usable OVSDB server among [tcp:127.0.0.1:1]");
  }

  @Test
  void theDatabaseIsFoundInOvnNbDbOrTheLocalOvsAsThePrototypeFoundIt(OvnTestbed ovn) {
    Run fromEnv = run(OvnMesos.commandLine(), Map.of("OVN_NB_DB", ovn.nbRemote()), "tenant", "create", "coke");
    assertThat(fromEnv.exit()).as(fromEnv.err()).isZero();
    ovn.chassis().vsctl("set", "Open_vSwitch", ".", "external_ids:ovn-nb=\"" + ovn.nbRemote() + "\"");
    Run fromOvs = run(OvnMesos.commandLine(), Map.of(), "--local-ovs", ovn.chassis().ovsRemote(), "tenant", "list");
    assertThat(fromOvs.exit()).as(fromOvs.err()).isZero();
    assertThat(fromOvs.out()).startsWith("coke\trouter coke\tjoin 100.64.0.0/24");
  }

  @Test
  void ovnMesosInitKeepsThePrototypesCommands(OvnTestbed ovn) {
    Map<String, String> env = Map.of("OVN_NB_DB", ovn.nbRemote(), "OVN_MESOS_LOCAL_OVS", ovn.chassis().ovsRemote());
    assertThat(run(OvnMesosInit.commandLine(), env, "tenant-init", "--tenant-name", "coke").out())
        .isEqualTo("Initialization complete.\n");
    assertThat(run(OvnMesosInit.commandLine(), env, "network-init", "--network-name", "coke1", "--subnet",
        "192.168.1.0/24", "--tenant-name", "coke").exit()).isZero();
    Run gw = run(OvnMesosInit.commandLine(), env, "gateway-init", "--cluster-ip-subnet", "192.168.0.0/16",
        "--physical-interface", "eth1", "--physical-ip", "10.10.1.12/24", "--default-gw", "10.10.1.1", "--tenant-name", "coke");
    assertThat(gw.exit()).as(gw.err()).isZero();

    assertThat(ovn.nbctl("get", "Logical_Router", "GR_coke_chassis-1", "options:chassis").out()).isEqualTo("chassis-1");
    assertThat(ovn.nbctl("get", "Logical_Router_Port", "rtos-coke-coke1", "networks").out()).isEqualTo("[\"192.168.1.1/24\"]");
    assertThat(ovn.chassis().vsctl("get", "Open_vSwitch", ".", "external_ids:ovn-bridge-mappings").out()).isEqualTo("\"eth1:br-eth1\"");
    // ovn-controller joined the external switch's localnet port to the bridge through the mapping.
    assertThat(ovn.chassis().vsctl("list-ports", "br-eth1").out().lines().toList())
        .containsExactlyInAnyOrder("eth1", "patch-ln-eth1-to-br-int");
    // Re-running the prototype's sequence changes nothing (its SNAT rows used to pile up).
    assertThat(run(OvnMesosInit.commandLine(), env, "gateway-init", "--cluster-ip-subnet", "192.168.0.0/16",
        "--physical-interface", "eth1", "--physical-ip", "10.10.1.12/24", "--default-gw", "10.10.1.1", "--tenant-name", "coke").exit()).isZero();
    assertThat(ovn.nbctl("lr-nat-list", "GR_coke_chassis-1").out().lines().count()).isEqualTo(2);
    Run bad = run(OvnMesosInit.commandLine(), env, "network-init", "--network-name", "x", "--subnet", "banana", "--tenant-name", "coke");
    assertThat(bad.exit()).isEqualTo(OvnMesos.INVALID);
    assertThat(bad.err()).isEqualTo("Failed operation.\n(--subnet: \"banana\" is not an IP address or network)\n");
  }

  @Test
  @OvnTest(datapath = Datapath.DUMMY, chassis = 0, nbClusterSize = 3)
  void aClusteredNorthboundIsReachedThroughAllItsRemotes(OvnTestbed ovn) {
    String remotes = ovn.central().nbTcpRemote();
    assertThat(remotes.split(",")).hasSize(3);
    Run created = run(OvnMesos.commandLine(), Map.of("OVN_NB_DB", remotes), "tenant", "create", "coke");
    assertThat(created.exit()).as(created.err()).isZero();
    ovn.central().nbLeader().orElseThrow().kill();
    Run listed = run(OvnMesos.commandLine(), Map.of("OVN_NB_DB", remotes), "--timeout", "30", "tenant", "list");
    assertThat(listed.exit()).as(listed.err()).isZero();
    assertThat(listed.out()).startsWith("coke\t");
  }

  @Test
  @OvnTest(datapath = Datapath.DUMMY, chassis = 0, tls = true)
  void anSslNorthboundTakesTheKeyCertificateAndCaFromFlagsOrEnvironment(OvnTestbed ovn) {
    var creds = ovn.pki().issue("cli");
    String ssl = ovn.central().nbServers().get(0).sslRemote();
    Run flags = run(OvnMesos.commandLine(), Map.of(), "--nb", ssl, "-p", creds.privateKey().toString(),
        "-c", creds.certificate().toString(), "-C", ovn.pki().caCertificate().toString(), "tenant", "create", "coke");
    assertThat(flags.exit()).as(flags.err()).isZero();
    Run env = run(OvnMesos.commandLine(), Map.of("OVN_NB_DB", ssl, "OVN_MESOS_PRIVATE_KEY", creds.privateKey().toString(),
        "OVN_MESOS_CERTIFICATE", creds.certificate().toString(), "OVN_MESOS_CA_CERT", ovn.pki().caCertificate().toString()),
        "tenant", "list");
    assertThat(env.out()).startsWith("coke\t");
    Run missing = run(OvnMesos.commandLine(), Map.of(), "--nb", ssl, "tenant", "list");
    assertThat(missing.exit()).isEqualTo(OvnMesos.INVALID);
    assertThat(missing.err()).contains("--private-key: needed for ssl: remotes (or set OVN_MESOS_PRIVATE_KEY)");
  }

  @Test
  void theRealCommandRunsAsItsOwnProcess(OvnTestbed ovn) throws Exception {
    String cp = "target/classes:" + Files.readString(Path.of("target/classpath.txt")).strip();
    String java = ProcessHandle.current().info().command().orElseThrow();
    CommandResult ok = Command.of(java, "-cp", cp, OvnMesos.class.getName(), "--nb", ovn.nbRemote(), "tenant", "create", "pepsi")
        .timeout(Duration.ofSeconds(60)).run();
    assertThat(ok.exitCode()).as(ok.stderr()).isZero();
    assertThat(ok.stdout()).isEqualTo("tenant pepsi created\n");
    CommandResult usage = Command.of(java, "-cp", cp, OvnMesos.class.getName(), "network", "create").timeout(Duration.ofSeconds(60)).run();
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.stderr()).contains("Missing required").contains("--tenant=TENANT");
  }
}
