package io.ovnmesos.topology.gateway;

import io.ovnmesos.ovsdb.OvsdbClient;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.txn.Condition;
import io.ovnmesos.ovsdb.txn.Mutation;
import io.ovnmesos.ovsdb.txn.Transaction;
import io.ovnmesos.ovsdb.vswitch.Bridge;
import io.ovnmesos.ovsdb.vswitch.Interface;
import io.ovnmesos.ovsdb.vswitch.OpenVswitch;
import io.ovnmesos.ovsdb.vswitch.Port;
import io.ovnmesos.topology.Names;
import io.ovnmesos.topology.TopologyException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway host's side of a provider network, in its local Open_vSwitch database: a bridge (with
 * the host's NIC, if named) and the {@code ovn-bridge-mappings} entry that lets ovn-controller join
 * the external switch's {@code localnet} port to it. Run on each gateway chassis.
 */
public final class LocalBridge {
  static final String DB = "Open_vSwitch";
  static final String MAPPINGS = "ovn-bridge-mappings";

  private LocalBridge() {}

  /**
   * Makes sure {@code bridge} exists (with br-int's datapath type), holds {@code nic} (if not null),
   * and that {@code physicalNetwork} maps to it. Returns false if all of that was already so.
   */
  public static boolean ensure(OvsdbClient ovs, String physicalNetwork, String bridge, String nic) {
    Names.check("--physical-network", physicalNetwork);
    Names.check("--bridge", bridge);
    if (nic != null) {
      Names.check("--physical-interface", nic);
    }
    Transaction read = ovs.transaction(DB);
    read.select(OpenVswitch.TABLE_NAME, List.of(), List.of("_uuid", OpenVswitch.EXTERNAL_IDS));
    read.select(Bridge.TABLE_NAME, List.of(), List.of("_uuid", Bridge.NAME, Bridge.DATAPATH_TYPE, Bridge.PORTS));
    read.select(Port.TABLE_NAME, List.of(), List.of("_uuid", Port.NAME));
    var r = OvsdbClient.join(read.commit());
    Row root = r.get(0).rows().stream().findFirst().orElseThrow(() ->
        TopologyException.notFound("the local Open_vSwitch database has no Open_vSwitch row; is OVS initialised?"));
    List<Row> bridges = r.get(1).rows();
    Map<String, String> ids = root.map(OpenVswitch.EXTERNAL_IDS);
    Map<String, String> mappings = parseMappings(ids.getOrDefault(MAPPINGS, ""));
    String mapped = mappings.get(physicalNetwork);
    if (mapped != null && !mapped.equals(bridge)) {
      throw TopologyException.conflict("this chassis maps provider network " + physicalNetwork + " to bridge " + mapped
          + ", not " + bridge);
    }
    Optional<Row> existing = bridges.stream().filter(b -> bridge.equals(b.string(Bridge.NAME))).findFirst();
    String datapathType = bridges.stream().filter(b -> "br-int".equals(b.string(Bridge.NAME))).findFirst()
        .map(b -> b.string(Bridge.DATAPATH_TYPE)).orElse("");
    Optional<Row> nicPort = nic == null ? Optional.empty()
        : r.get(2).rows().stream().filter(p -> nic.equals(p.string(Port.NAME))).findFirst();
    if (nicPort.isPresent()) {
      Set<Object> bridgePorts = existing.map(b -> b.<Object>set(Bridge.PORTS)).orElse(Set.of());
      if (!bridgePorts.contains(nicPort.get().uuid())) {
        throw TopologyException.conflict("--physical-interface: " + nic + " is already a port of another bridge");
      }
    }

    Transaction t = ovs.transaction(DB);
    boolean changed = false;
    if (existing.isEmpty()) {
      NamedUuid iface = t.insert(Interface.TABLE_NAME, Map.of(Interface.NAME, bridge, Interface.TYPE, "internal"));
      NamedUuid port = t.insert(Port.TABLE_NAME, Map.of(Port.NAME, bridge, Port.INTERFACES, List.of(iface)));
      NamedUuid br = t.insert(Bridge.TABLE_NAME, Map.of(Bridge.NAME, bridge, Bridge.PORTS, List.of(port),
          Bridge.DATAPATH_TYPE, datapathType));
      t.mutate(OpenVswitch.TABLE_NAME, List.of(), List.of(Mutation.insert(OpenVswitch.BRIDGES, List.of(br))));
      changed = true;
    }
    if (nic != null && nicPort.isEmpty()) {
      NamedUuid iface = t.insert(Interface.TABLE_NAME, Map.of(Interface.NAME, nic));
      NamedUuid port = t.insert(Port.TABLE_NAME, Map.of(Port.NAME, nic, Port.INTERFACES, List.of(iface)));
      t.mutate(Bridge.TABLE_NAME, List.of(Condition.eq(Bridge.NAME, bridge)), List.of(Mutation.insert(Bridge.PORTS, List.of(port))));
      changed = true;
    }
    if (mapped == null) {
      mappings.put(physicalNetwork, bridge);
      t.mutate(OpenVswitch.TABLE_NAME, List.of(), List.of(Mutation.delete(OpenVswitch.EXTERNAL_IDS, Set.of(MAPPINGS)),
          Mutation.insert(OpenVswitch.EXTERNAL_IDS, Map.of(MAPPINGS, formatMappings(mappings)))));
      changed = true;
    }
    if (changed) {
      t.comment("ovn-mesos: provider network " + physicalNetwork + " on bridge " + bridge);
      OvsdbClient.join(t.commit());
    }
    return changed;
  }

  /**
   * The prototype's mode, on request: puts {@code nic} into br-int bound to the external switch's
   * port {@code portName}, so the NIC carries only OVN's traffic. Returns false if it already is.
   */
  public static boolean nicIntoBrInt(OvsdbClient ovs, String nic, String portName) {
    Names.check("--nic-into-br-int", nic);
    Transaction read = ovs.transaction(DB);
    read.select(Port.TABLE_NAME, List.of(Condition.eq(Port.NAME, nic)), List.of("_uuid"));
    if (!OvsdbClient.join(read.commit()).get(0).rows().isEmpty()) {
      return false;
    }
    Transaction t = ovs.transaction(DB);
    NamedUuid iface = t.insert(Interface.TABLE_NAME, Map.of(Interface.NAME, nic,
        Interface.EXTERNAL_IDS, Map.of("iface-id", portName)));
    NamedUuid port = t.insert(Port.TABLE_NAME, Map.of(Port.NAME, nic, Port.INTERFACES, List.of(iface)));
    t.mutate(Bridge.TABLE_NAME, List.of(Condition.eq(Bridge.NAME, "br-int")), List.of(Mutation.insert(Bridge.PORTS, List.of(port))));
    t.comment("ovn-mesos: NIC " + nic + " into br-int as " + portName);
    OvsdbClient.join(t.commit());
    return true;
  }

  static Map<String, String> parseMappings(String s) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : s.split(",")) {
      String[] kv = pair.strip().split(":", 2);
      if (kv.length == 2 && !kv[0].isEmpty()) {
        m.put(kv[0], kv[1]);
      }
    }
    return m;
  }

  static String formatMappings(Map<String, String> m) {
    return String.join(",", m.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList());
  }
}
