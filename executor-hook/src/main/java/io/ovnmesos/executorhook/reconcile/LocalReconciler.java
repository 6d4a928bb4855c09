package io.ovnmesos.executorhook.reconcile;

import io.ovnmesos.executorhook.ovs.LocalSwitch;
import io.ovnmesos.executorhook.plumbing.ContainerLink;
import io.ovnmesos.executorhook.port.AgentPorts;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.ovsdb.vswitch.Interface;
import io.ovnmesos.topology.port.PortMarks;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what containers that are gone left on this agent: a container's veth pair disappears with
 * its network namespace, so a br-int port whose host end is gone belongs to a dead container (its
 * DEL was lost: the agent rebooted with Mesos' runtime directory on tmpfs, or the hook was down),
 * and an agent-made logical port of this chassis with no br-int port was left by a crash mid-ADD.
 */
public final class LocalReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(LocalReconciler.class);

  private final LocalSwitch localSwitch;
  private final ContainerLink links;
  private final AgentPorts ports;

  public LocalReconciler(LocalSwitch localSwitch, ContainerLink links, AgentPorts ports) {
    this.localSwitch = localSwitch;
    this.links = links;
    this.ports = ports;
  }

  /** What one pass removed. */
  public record Outcome(int switchPorts, int logicalPorts) {}

  public Outcome run() {
    int switchPorts = 0;
    int logicalPorts = 0;
    Map<String, Row> plugged = localSwitch.containerInterfaces();
    for (Map.Entry<String, Row> e : plugged.entrySet()) {
      if (links.exists(e.getKey())) {
        continue;
      }
      Map<String, String> ids = e.getValue().map(Interface.EXTERNAL_IDS);
      String cid = ids.get(LocalSwitch.CONTAINER_ID);
      String ifName = ids.get(LocalSwitch.IF_NAME);
      LOG.info("container {} {} is gone: removing its br-int port {}", cid, ifName, e.getKey());
      localSwitch.unplug(e.getKey());
      switchPorts++;
      if (cid != null && ifName != null && ports.release(cid, ifName)) {
        logicalPorts++;
      }
    }
    for (LogicalSwitchPort p : ports.ownPorts().values()) {
      String cid = p.externalIds().get(PortMarks.CONTAINER_ID);
      String ifName = p.externalIds().get(PortMarks.IF_NAME);
      if (cid != null && ifName != null && !plugged.containsKey(ContainerLink.hostInterface(cid, ifName))) {
        LOG.info("port {} was never plugged in (a crash mid-ADD): removing it", p.name());
        if (ports.release(cid, ifName)) {
          logicalPorts++;
        }
      }
    }
    return new Outcome(switchPorts, logicalPorts);
  }
}
