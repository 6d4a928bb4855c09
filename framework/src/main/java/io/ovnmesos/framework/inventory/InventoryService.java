package io.ovnmesos.framework.inventory;

import io.grpc.stub.StreamObserver;
import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.nb.LogicalSwitchPort;
import io.ovnmesos.proto.v1.InventoryGrpc;
import io.ovnmesos.proto.v1.ListNetworksRequest;
import io.ovnmesos.proto.v1.ListNetworksResponse;
import io.ovnmesos.proto.v1.ListPortsRequest;
import io.ovnmesos.proto.v1.ListPortsResponse;
import io.ovnmesos.proto.v1.ListTenantsRequest;
import io.ovnmesos.proto.v1.ListTenantsResponse;
import io.ovnmesos.proto.v1.NetworkInfo;
import io.ovnmesos.proto.v1.TaskPortInfo;
import io.ovnmesos.proto.v1.Tenant;
import io.ovnmesos.topology.Ownership;
import io.ovnmesos.topology.Topology;
import io.ovnmesos.topology.network.Network;
import io.ovnmesos.topology.port.AddressEntry;
import io.ovnmesos.topology.port.PortMarks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read-only Inventory gRPC service: task ports by task, framework, agent or network; networks;
 * tenants. Answered from the Northbound cache, by standbys as well as the leader.
 */
public final class InventoryService extends InventoryGrpc.InventoryImplBase {
  private final Topology topology;

  public InventoryService(Topology topology) {
    this.topology = topology;
  }

  @Override
  public void listPorts(ListPortsRequest req, StreamObserver<ListPortsResponse> out) {
    List<TaskPortInfo> ports = new ArrayList<>();
    for (Row row : topology.northbound().cache().rows(LogicalSwitchPort.TABLE_NAME)) {
      LogicalSwitchPort p = LogicalSwitchPort.from(row);
      Map<String, String> ids = PortMarks.withNameMarks(p.name(), p.externalIds());
      if (!ids.containsKey(PortMarks.OWNER)
          || !matches(req.getTaskId(), ids.get(PortMarks.TASK_ID))
          || !matches(req.getFrameworkId(), ids.get(PortMarks.FRAMEWORK_ID))
          || !matches(req.getAgentId(), ids.get(PortMarks.AGENT_ID))
          || !matches(req.getNetwork(), ids.get(Ownership.NETWORK))) {
        continue;
      }
      ports.add(info(p));
    }
    ports.sort(Comparator.comparing(TaskPortInfo::getName));
    out.onNext(ListPortsResponse.newBuilder().addAllPorts(ports).build());
    out.onCompleted();
  }

  private static boolean matches(String wanted, String actual) {
    return wanted.isEmpty() || wanted.equals(actual);
  }

  private static TaskPortInfo info(LogicalSwitchPort p) {
    Map<String, String> ids = PortMarks.withNameMarks(p.name(), p.externalIds());
    TaskPortInfo.Builder b = TaskPortInfo.newBuilder().setName(p.name())
        .setNetwork(ids.getOrDefault(Ownership.NETWORK, "")).setTenant(ids.getOrDefault(Ownership.TENANT, ""))
        .setTaskId(ids.getOrDefault(PortMarks.TASK_ID, "")).setFrameworkId(ids.getOrDefault(PortMarks.FRAMEWORK_ID, ""))
        .setExecutorId(ids.getOrDefault(PortMarks.EXECUTOR_ID, "")).setAgentId(ids.getOrDefault(PortMarks.AGENT_ID, ""))
        .setContainerId(ids.getOrDefault(PortMarks.CONTAINER_ID, "")).setInterfaceName(ids.getOrDefault(PortMarks.IF_NAME, ""))
        .setOwner(ids.getOrDefault(PortMarks.OWNER, "")).setUp(p.up().orElse(false));
    AddressEntry.of(p).ifPresent(e -> b.setMac(e.mac()).addAllAddresses(e.ips()));
    return b.build();
  }

  @Override
  public void listNetworks(ListNetworksRequest req, StreamObserver<ListNetworksResponse> out) {
    Map<String, Integer> ports = new HashMap<>();
    for (Row row : topology.northbound().cache().rows(LogicalSwitchPort.TABLE_NAME)) {
      Map<String, String> ids = row.map(LogicalSwitchPort.EXTERNAL_IDS);
      if (ids.containsKey(PortMarks.OWNER) && ids.containsKey(Ownership.NETWORK)) {
        ports.merge(ids.get(Ownership.NETWORK), 1, Integer::sum);
      }
    }
    ListNetworksResponse.Builder r = ListNetworksResponse.newBuilder();
    for (Network n : topology.networks().list(req.getTenant().isEmpty() ? null : req.getTenant())) {
      r.addNetworks(NetworkInfo.newBuilder().setName(n.name()).setTenant(n.tenant()).addAllSubnets(n.subnets())
          .addAllGateways(n.gateways()).setMtu(n.mtu().orElse(0)).addAllDnsServers(n.dnsServers())
          .setTaskPorts(ports.getOrDefault(n.name(), 0)));
    }
    out.onNext(r.build());
    out.onCompleted();
  }

  @Override
  public void listTenants(ListTenantsRequest req, StreamObserver<ListTenantsResponse> out) {
    ListTenantsResponse.Builder r = ListTenantsResponse.newBuilder();
    for (var t : topology.tenants().list()) {
      r.addTenants(Tenant.newBuilder().setName(t.name())
          .addAllNetworks(topology.networks().list(t.name()).stream().map(Network::name).toList()));
    }
    out.onNext(r.build());
    out.onCompleted();
  }
}
