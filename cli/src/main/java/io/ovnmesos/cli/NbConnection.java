package io.ovnmesos.cli;

import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.ovsdb.jsonrpc.TlsFiles;
import io.ovnmesos.ovsdb.vswitch.OpenVswitch;
import io.ovnmesos.topology.TopologyException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How the commands reach OVN: the Northbound database (flag, then {@code OVN_NB_DB} as ovn-nbctl
 * reads it, then the local OVS {@code external_ids:ovn-nb} as the prototype did) and the local
 * Open_vSwitch database (for the chassis' identity and gateway bridges).
 */
public final class NbConnection {
  @Option(scope = picocli.CommandLine.ScopeType.INHERIT, names = "--nb", paramLabel = "REMOTES",
      description = "Northbound database, e.g. tcp:10.0.0.1:6641 or several for a cluster (default: $OVN_NB_DB, "
          + "else external_ids:ovn-nb of the local OVS)")
  String nb;

  @Option(scope = picocli.CommandLine.ScopeType.INHERIT, names = {"-p", "--private-key"}, paramLabel = "FILE",
      description = "private key for ssl: remotes (default: $OVN_MESOS_PRIVATE_KEY)")
  Path privateKey;

  @Option(scope = picocli.CommandLine.ScopeType.INHERIT, names = {"-c", "--certificate"}, paramLabel = "FILE",
      description = "certificate for ssl: remotes (default: $OVN_MESOS_CERTIFICATE)")
  Path certificate;

  @Option(scope = picocli.CommandLine.ScopeType.INHERIT, names = {"-C", "--ca-cert"}, paramLabel = "FILE",
      description = "CA certificate for ssl: remotes (default: $OVN_MESOS_CA_CERT)")
  Path caCert;

  @Option(scope = picocli.CommandLine.ScopeType.INHERIT, names = "--local-ovs", paramLabel = "REMOTE",
      description = "the local Open_vSwitch database (default: $OVN_MESOS_LOCAL_OVS, else unix:$OVS_RUNDIR/db.sock, "
          + "OVS_RUNDIR defaulting to /var/run/openvswitch)")
  String localOvs;

  @Option(scope = picocli.CommandLine.ScopeType.INHERIT, names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "how long to wait for the databases (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  Map<String, String> env = System.getenv();

  /** The local OVS remote, from the flag or the environment. */
  String localOvsRemote() {
    if (localOvs != null) {
      return localOvs;
    }
    return Optional.ofNullable(env.get("OVN_MESOS_LOCAL_OVS")).orElse("unix:"
        + Optional.ofNullable(env.get("OVS_RUNDIR")).orElse("/var/run/openvswitch") + "/db.sock");
  }

  /** The NB remotes, with where they came from for error messages. */
  String nbRemotes() {
    if (nb != null && !nb.isBlank()) {
      return nb;
    }
    String fromEnv = env.get("OVN_NB_DB");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return localOvsExternalId("ovn-nb").orElseThrow(() -> TopologyException.invalid("--nb",
        "no Northbound database given: use --nb, set OVN_NB_DB, or set external_ids:ovn-nb in the local OVS"));
  }

  /** A value of the local OVS's Open_vSwitch external_ids, if the local OVS can be reached. */
  Optional<String> localOvsExternalId(String key) {
    try (OvsdbClient ovs = openLocalOvs()) {
      var t = ovs.transaction("Open_vSwitch");
      t.select(OpenVswitch.TABLE_NAME, List.of(), List.of(OpenVswitch.EXTERNAL_IDS));
      return t.commit().join().get(0).rows().stream().findFirst()
          .map(r -> r.<String, String>map(OpenVswitch.EXTERNAL_IDS).get(key));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  OvsdbClient openLocalOvs() {
    return OvsdbClient.connect(OvsdbOptions.of(localOvsRemote()).withConnectTimeout(Duration.ofSeconds(timeoutSeconds)));
  }

  /** Options for the NB connection, with TLS files when the remotes are ssl:. */
  OvsdbOptions nbOptions() {
    String remotes = nbRemotes();
    OvsdbOptions options;
    try {
      options = OvsdbOptions.of(remotes);
    } catch (IllegalArgumentException e) {
      throw TopologyException.invalid("--nb", e.getMessage());
    }
    options = options.withConnectTimeout(Duration.ofSeconds(timeoutSeconds));
    if (remotes.contains("ssl:")) {
      Path key = file(privateKey, "OVN_MESOS_PRIVATE_KEY", "--private-key");
      Path cert = file(certificate, "OVN_MESOS_CERTIFICATE", "--certificate");
      Path ca = file(caCert, "OVN_MESOS_CA_CERT", "--ca-cert");
      try {
        options = options.withTls(new TlsFiles(key, cert, ca));
      } catch (IllegalArgumentException e) {
        throw TopologyException.invalid("--private-key/--certificate/--ca-cert", e.getMessage());
      }
    }
    return options;
  }

  private Path file(Path flag, String envName, String option) {
    if (flag != null) {
      return flag;
    }
    String v = env.get(envName);
    if (v == null || v.isBlank()) {
      throw TopologyException.invalid(option, "needed for ssl: remotes (or set " + envName + ")");
    }
    return Path.of(v);
  }
}
