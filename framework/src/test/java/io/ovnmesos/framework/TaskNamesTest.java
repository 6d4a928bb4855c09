package io.ovnmesos.framework;

import static io.ovnmesos.framework.MesosOvnCluster.ip;
import static io.ovnmesos.framework.MesosOvnCluster.pid;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testbed.Command;
import io.ovnmesos.testbed.CommandResult;
import io.ovnmesos.testbed.OvnTestbed;
import io.ovnmesos.testbed.Waiter;
import io.ovnmesos.testbed.junit.OvnTest;
import io.ovnmesos.ovsdb.OvsdbOptions;
import io.ovnmesos.topology.Northbound;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.access.TenantAccess;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * Tasks' names served by OVN itself: a real resolver (dig) in a task's namespace asks the network's
 * gateway, and ovn-controller answers from the tenant's DNS row, which the framework keeps equal to
 * the serving tasks' names.
 */
@OvnTest
class TaskNamesTest {
  private static final String WEB = "web.coke.marathon.mesos";
  private static final String GATEWAY = "10.10.0.1";

  /**
   * What dig, asking the gateway from {@code from}'s namespace, answers for {@code name} ({@code -x}:
   * its PTR). Without EDNS, as glibc's resolver asks: ovn-controller 23.03 answers no query that
   * carries an EDNS OPT record (ovn-org/ovn#192), which dig sends unless told not to.
   */
  private static Set<String> dig(Protos.Task from, String... query) {
    String[] argv = new String[9 + query.length];
    System.arraycopy(new String[] {"nsenter", "--net=/proc/" + pid(from) + "/ns/net", "dig", "+short", "+noedns", "+tries=1",
        "+time=2", "@" + GATEWAY, "-4"}, 0, argv, 0, 9);
    System.arraycopy(query, 0, argv, 9, query.length);
    CommandResult r = Command.of(argv).timeout(Duration.ofSeconds(20)).run();
    Set<String> out = new TreeSet<>();
    r.out().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith(";")).forEach(out::add);
    return out;
  }

  @Test
  void aTenantsTasksResolveEachOtherByNameAndNeverAnotherTenants(OvnTestbed ovn) throws Exception {
    MesosOvnCluster.layOut(ovn);
    try (MesosOvnCluster c = new MesosOvnCluster(ovn)) {
      Framework f = c.startFramework(c.settings(TenantAccess.allowAll()).withResync(Duration.ofMillis(500)));
      c.launchNamed("web-1", "web.coke", "coke1", "sleep 600");
      c.launchNamed("web-2", "web.coke", "coke1", "sleep 600");
      c.launchNamed("client", "client", "coke1", "sleep 600");
      // The same app name in another tenant, and a name only that tenant has.
      c.launchNamed("pepsi-web", "web.coke", "pepsi1", "sleep 600");
      c.launchNamed("secret", "secret", "pepsi1", "sleep 600");
      // Names that are not DNS labels: made into one, or, if nothing is left, no name; a port either way.
      c.launchNamed("odd", "Ünïcode_App!", "coke1", "sleep 600");
      c.launchNamed("nameless", "___", "coke1", "sleep 600");
      Protos.Task web1 = c.awaitState("web-1", Protos.TaskState.TASK_RUNNING);
      Protos.Task web2 = c.awaitState("web-2", Protos.TaskState.TASK_RUNNING);
      Protos.Task client = c.awaitState("client", Protos.TaskState.TASK_RUNNING);
      Protos.Task pepsiWeb = c.awaitState("pepsi-web", Protos.TaskState.TASK_RUNNING);
      c.awaitState("secret", Protos.TaskState.TASK_RUNNING);
      Protos.Task odd = c.awaitState("odd", Protos.TaskState.TASK_RUNNING);
      Protos.Task nameless = c.awaitState("nameless", Protos.TaskState.TASK_RUNNING);

      Waiter.until("both instances resolve by the app's name", Duration.ofSeconds(30),
          () -> dig(client, WEB).equals(Set.of(ip(web1), ip(web2))));
      assertThat(dig(client, "client.marathon.mesos")).containsExactly(ip(client));
      assertThat(dig(client, "n-code-app.marathon.mesos")).containsExactly(ip(odd));
      assertThat(dig(client, "-x", ip(nameless))).as("a task whose name leaves nothing has none").isEmpty();
      try (Topology topology = new Topology(Northbound.connect(OvsdbOptions.of(ovn.nbRemote())))) {
        assertThat(topology.view().tenants()).filteredOn(t -> t.name().equals("coke")).singleElement()
            .satisfies(t -> assertThat(t.names()).as("what ovn-mesos show lists").containsEntry(WEB,
                new TreeSet<>(Set.of(ip(web1), ip(web2))).stream().toList()));
      }
      assertThat(dig(client, "-x", ip(web1))).containsExactly(WEB + ".");
      assertThat(dig(client, "secret.marathon.mesos")).as("another tenant's name").isEmpty();
      assertThat(dig(pepsiWeb, WEB)).as("the same name in pepsi is pepsi's task only").containsExactly(ip(pepsiWeb));

      // A task being killed stops serving at once; its name goes with it.
      c.master.kill(web1.getTaskId());
      Waiter.until("the killed instance left the name", Duration.ofSeconds(30), () -> dig(client, WEB).equals(Set.of(ip(web2))));

      // A hand edit of the records is put back by the next resync.
      String row = ovn.nbctl("--bare", "--columns=_uuid", "find", "DNS", "external_ids:\"ovn-mesos/tenant\"=coke").out().strip();
      ovn.nbctl("set", "DNS", row, "records:\"" + WEB + "\"=\"10.10.66.66\"", "records:\"by.hand\"=\"10.10.0.99\"");
      Waiter.until("the records repaired", Duration.ofSeconds(30), () -> {
        String web = ovn.nbctl("get", "DNS", row, "records:\"" + WEB + "\"").out().strip().replace("\"", "");
        return web.equals(ip(web2)) && !ovn.nbctl("get", "DNS", row, "records").out().contains("by.hand");
      });
      assertThat(f.metrics().scrape()).containsPattern("ovn_mesos_ports_reconciled_total\\{action=\"names_repaired\"\\} [1-9]")
          .containsPattern("ovn_mesos_name_ready_latency_seconds_count [1-9]");
      assertThat(dig(client, WEB)).containsExactly(ip(web2));
    }
  }
}
