package io.ovnmesos.testcluster.marathon;

import io.ovnmesos.testcluster.master.Master;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.mesos.v1.Protos;

/**
 * Turns Marathon definitions into Mesos tasks as Marathon 1.5+ does and launches them on a
 * {@link Master}, spreading instances over the given agents in turn.
 *
 * <p>An app instance is one command task, {@code <app>.instance-<uuid>._app.1}, whose
 * {@code container.network_infos} are the app's container networks, each with its labels. A pod
 * instance is one task group: a default executor, {@code instance-<pod>.<uuid>}, whose container
 * holds the pod's networks, and a task per container, {@code <pod>.instance-<uuid>.<container>},
 * with no networks of its own. Task names are the id's segments reversed and joined by dots, as
 * Marathon makes host names of them.
 */
public final class MarathonLauncher {
  private final Master master;
  private final Protos.FrameworkID marathon;
  private final List<Protos.AgentID> agents;
  private int next;

  /** One launched instance: its definition's id, its tasks and the agent that runs them. */
  public record Instance(String definition, List<Protos.TaskID> tasks, Protos.AgentID agent) {}

  public MarathonLauncher(Master master, Protos.FrameworkID marathon, List<Protos.AgentID> agents) {
    if (agents.isEmpty()) {
      throw new IllegalArgumentException("no agents to launch on");
    }
    this.master = master;
    this.marathon = marathon;
    this.agents = List.copyOf(agents);
  }

  /** Launches every instance of {@code definition}. */
  public synchronized List<Instance> launch(MarathonDefinition definition) {
    List<Instance> out = new ArrayList<>();
    for (int i = 0; i < definition.instances(); i++) {
      Protos.AgentID agent = agents.get(next++ % agents.size());
      out.add(definition instanceof MarathonDefinition.App app ? launchApp(app, agent)
          : launchPod((MarathonDefinition.Pod) definition, agent));
    }
    return out;
  }

  private Instance launchApp(MarathonDefinition.App app, Protos.AgentID agent) {
    Protos.TaskID id = Protos.TaskID.newBuilder().setValue(safe(app.id()) + ".instance-" + UUID.randomUUID() + "._app.1").build();
    Protos.TaskInfo task = Protos.TaskInfo.newBuilder().setName(hostname(app.id())).setTaskId(id).setAgentId(agent)
        .addResources(scalar("cpus", app.cpus())).addResources(scalar("mem", app.mem()))
        .setCommand(Protos.CommandInfo.newBuilder().setValue(app.cmd()).setShell(true)
            .setEnvironment(Protos.Environment.newBuilder().addVariables(variable("MARATHON_APP_ID", app.id()))))
        .setContainer(container(app.networks())).setLabels(labels(app.labels()))
        .setDiscovery(discovery(app.id(), app.networks(), app.portMappings())).build();
    master.launch(marathon, task);
    return new Instance(app.id(), List.of(id), agent);
  }

  private Instance launchPod(MarathonDefinition.Pod pod, Protos.AgentID agent) {
    String instance = UUID.randomUUID().toString();
    Protos.ExecutorInfo executor = Protos.ExecutorInfo.newBuilder().setType(Protos.ExecutorInfo.Type.DEFAULT)
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue("instance-" + safe(pod.id()) + "." + instance))
        .setFrameworkId(marathon).addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32))
        .setContainer(container(pod.networks())).build();
    List<Protos.TaskInfo> group = new ArrayList<>();
    for (MarathonDefinition.Container c : pod.containers()) {
      group.add(Protos.TaskInfo.newBuilder().setName(c.name())
          .setTaskId(Protos.TaskID.newBuilder().setValue(safe(pod.id()) + ".instance-" + instance + "." + c.name()))
          .setAgentId(agent).addResources(scalar("cpus", c.cpus())).addResources(scalar("mem", c.mem()))
          .setCommand(Protos.CommandInfo.newBuilder().setValue(c.shell()).setShell(true))
          .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS))
          .setLabels(labels(pod.labels())).setDiscovery(discovery(pod.id(), pod.networks(), c.endpoints())).build());
    }
    master.launchGroup(marathon, executor, group);
    return new Instance(pod.id(), group.stream().map(Protos.TaskInfo::getTaskId).toList(), agent);
  }

  private static Protos.ContainerInfo container(List<MarathonDefinition.Network> networks) {
    Protos.ContainerInfo.Builder c = Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS);
    for (MarathonDefinition.Network n : networks) {
      if (n.mode().equals("host")) {
        continue;
      }
      c.addNetworkInfos(Protos.NetworkInfo.newBuilder().setName(n.name()).setLabels(labels(n.labels())));
    }
    return c.build();
  }

  /**
   * The task's DiscoveryInfo as Marathon makes it: named after the definition's host name, visible to
   * the framework, a port for each mapping, protocol and container network (labelled
   * {@code network-scope=container} and {@code network-name}), or, for a mapping with a host port, one
   * per protocol at that port ({@code network-scope=host}). The test cluster has no offers: a host
   * port is taken as written, 0 included (Marathon would pick one from the offer).
   */
  private static Protos.DiscoveryInfo discovery(String id, List<MarathonDefinition.Network> networks,
      List<MarathonDefinition.PortMapping> mappings) {
    Protos.Ports.Builder ports = Protos.Ports.newBuilder();
    List<String> containerNetworks = networks.stream().filter(n -> !n.mode().equals("host")).map(MarathonDefinition.Network::name)
        .toList();
    for (MarathonDefinition.PortMapping m : mappings) {
      for (String protocol : m.protocols()) {
        if (m.hostPort().isPresent() || containerNetworks.isEmpty()) {
          ports.addPorts(port(m, protocol, m.hostPort().orElse(m.containerPort()), Map.of("network-scope", "host")));
        } else {
          for (String network : containerNetworks) {
            ports.addPorts(port(m, protocol, m.containerPort(), Map.of("network-scope", "container", "network-name", network)));
          }
        }
      }
    }
    return Protos.DiscoveryInfo.newBuilder().setVisibility(Protos.DiscoveryInfo.Visibility.FRAMEWORK).setName(hostname(id))
        .setPorts(ports).build();
  }

  private static Protos.Port port(MarathonDefinition.PortMapping m, String protocol, int number, Map<String, String> scope) {
    Map<String, String> labels = new java.util.LinkedHashMap<>(m.labels());
    labels.putAll(scope);
    Protos.Port.Builder p = Protos.Port.newBuilder().setNumber(number).setProtocol(protocol).setLabels(labels(labels));
    if (!m.name().isEmpty()) {
      p.setName(m.name());
    }
    return p.build();
  }

  private static Protos.Labels labels(Map<String, String> labels) {
    Protos.Labels.Builder b = Protos.Labels.newBuilder();
    labels.forEach((k, v) -> b.addLabels(Protos.Label.newBuilder().setKey(k).setValue(v)));
    return b.build();
  }

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value))
        .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole("*")).build();
  }

  private static Protos.Environment.Variable variable(String name, String value) {
    return Protos.Environment.Variable.newBuilder().setName(name).setValue(value).build();
  }

  /** The id as Marathon puts it in task ids: without the leading '/', '/' as '_'. */
  static String safe(String id) {
    return (id.startsWith("/") ? id.substring(1) : id).replace('/', '_');
  }

  /** The id as a host name: segments reversed, joined by dots. */
  static String hostname(String id) {
    List<String> segments = new ArrayList<>(List.of((id.startsWith("/") ? id.substring(1) : id).split("/")));
    java.util.Collections.reverse(segments);
    return String.join(".", segments);
  }
}
