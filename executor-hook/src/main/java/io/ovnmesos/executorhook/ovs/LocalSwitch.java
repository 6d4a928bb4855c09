package io.ovnmesos.executorhook.ovs;

import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.OvsdbTimeoutException;
import io.ovnmesos.ovsdb.cache.DatabaseCache;
import io.ovnmesos.ovsdb.cache.MonitorSpec;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.ovsdb.vswitch.Bridge;
import io.ovnmesos.ovsdb.vswitch.Interface;
import io.ovnmesos.ovsdb.vswitch.Port;
import io.ovnmesos.executorhook.AttachFailure;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's integration bridge in its local Open_vSwitch database, through the native client and
 * a monitor of the ports: plugs container interfaces in with the external_ids ovn-controller binds
 * them by, waits (without polling) for ovn-controller to report the flows installed, and unplugs.
 */
public final class LocalSwitch {
  static final String DB = "Open_vSwitch";
  /** external_ids on the Interface naming the Mesos container and interface it serves. */
  public static final String CONTAINER_ID = "ovn-mesos/container-id";
  public static final String IF_NAME = "ovn-mesos/ifname";

  private final OvsdbClient ovs;
  private final String bridge;
  private final DatabaseCache cache;

  public LocalSwitch(OvsdbClient ovs, String bridge) {
    this.ovs = ovs;
    this.bridge = bridge;
    this.cache = ovs.monitor(DB, MonitorSpec.create()
        .table(Interface.TABLE_NAME, Interface.NAME, Interface.EXTERNAL_IDS, Interface.OFPORT, Interface.ERROR)
        .table(Port.TABLE_NAME, Port.NAME, Port.INTERFACES)
        .table(Bridge.TABLE_NAME, Bridge.NAME, Bridge.PORTS)
        .index(Interface.TABLE_NAME, Interface.NAME)
        .index(Port.TABLE_NAME, Port.NAME)
        .index(Bridge.TABLE_NAME, Bridge.NAME)
        .indexMapKey(Interface.TABLE_NAME, Interface.EXTERNAL_IDS, CONTAINER_ID));
    if (cache.lookupOne(Bridge.TABLE_NAME, Bridge.NAME, bridge).isEmpty()) {
      throw new IllegalStateException("the local OVS has no bridge " + bridge + "; is ovn-controller running here?");
    }
  }

  /** This chassis' name in OVN ({@code external_ids:system-id} of the local OVS). */
  public String systemId() {
    var t = ovs.transaction(DB);
    t.select("Open_vSwitch", List.of(), List.of("external_ids"));
    return OvsdbClient.join(t.commit()).get(0).rows().stream().findFirst()
        .map(r -> r.<String, String>map("external_ids").get("system-id"))
        .orElseThrow(() -> new IllegalStateException("the local OVS has no external_ids:system-id; is this an OVN chassis?"));
  }

  /** The interfaces plugged in for containers, by host interface name. */
  public Map<String, Row> containerInterfaces() {
    Map<String, Row> out = new HashMap<>();
    for (Row r : cache.rows(Interface.TABLE_NAME)) {
      if (r.<String, String>map(Interface.EXTERNAL_IDS).containsKey(CONTAINER_ID)) {
        out.put(r.string(Interface.NAME), r);
      }
    }
    return out;
  }

  /**
   * Plugs {@code hostInterface} into the bridge, bound to logical switch port {@code lsp}; replaces a
   * port of that name left by an earlier attempt, in the same transaction.
   */
  public void plug(String hostInterface, String lsp, String mac, String version, String containerId, String ifName) {
    Transaction t = ovs.transaction(DB);
    removePort(t, hostInterface);
    Map<String, String> ids = new HashMap<>();
    ids.put("iface-id", lsp);
    ids.put("attached_mac", mac);
    ids.put("iface-id-ver", version);
    ids.put(CONTAINER_ID, containerId);
    ids.put(IF_NAME, ifName);
    NamedUuid iface = t.insert(Interface.TABLE_NAME, Map.of(Interface.NAME, hostInterface, Interface.EXTERNAL_IDS, ids));
    NamedUuid port = t.insert(Port.TABLE_NAME, Map.of(Port.NAME, hostInterface, Port.INTERFACES, List.of(iface)));
    t.mutate(Bridge.TABLE_NAME, List.of(Condition.eq(Bridge.NAME, bridge)), List.of(Mutation.insert(Bridge.PORTS, List.of(port))));
    OvsdbClient.join(t.commit());
  }

  /** Waits until ovn-controller has installed the flows of {@code hostInterface}'s port. */
  public void awaitInstalled(String hostInterface, Duration limit) {
    try {
      OvsdbClient.join(cache.await("ovn-installed on " + hostInterface, limit, c -> c
          .lookupOne(Interface.TABLE_NAME, Interface.NAME, hostInterface)
          .filter(r -> "true".equals(r.<String, String>map(Interface.EXTERNAL_IDS).get("ovn-installed")))));
    } catch (OvsdbTimeoutException e) {
      String why = cache.lookupOne(Interface.TABLE_NAME, Interface.NAME, hostInterface)
          .flatMap(r -> r.<String>optional(Interface.ERROR)).map(err -> "; OVS reports: " + err).orElse("");
      throw AttachFailure.notInstalled("ovn-controller did not install the port's flows within "
          + limit.toSeconds() + " s", "is ovn-controller running and connected to the Southbound database?" + why);
    }
  }

  /** True if ovn-controller reports the interface's flows installed. */
  public boolean isInstalled(String hostInterface) {
    return cache.lookupOne(Interface.TABLE_NAME, Interface.NAME, hostInterface)
        .map(r -> "true".equals(r.<String, String>map(Interface.EXTERNAL_IDS).get("ovn-installed"))).orElse(false);
  }

  /** Removes the port of {@code hostInterface} from the bridge; false if there was none. */
  public boolean unplug(String hostInterface) {
    if (cache.lookupOne(Port.TABLE_NAME, Port.NAME, hostInterface).isEmpty()) {
      return false;
    }
    Transaction t = ovs.transaction(DB);
    removePort(t, hostInterface);
    OvsdbClient.join(t.commit());
    return true;
  }

  private void removePort(Transaction t, String hostInterface) {
    Optional<Row> port = cache.lookupOne(Port.TABLE_NAME, Port.NAME, hostInterface);
    port.ifPresent(p -> t.mutate(Bridge.TABLE_NAME, List.of(), List.of(Mutation.delete(Bridge.PORTS, List.of(p.uuid())))));
  }
}
